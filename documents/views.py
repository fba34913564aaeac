"""The document library's pages: the list, a document with its versions, the upload
and edit forms, and the downloads, each through ``Document.objects.visible_to``: a
document someone may not see is a 404, the same page as for one that does not exist."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from documents import actions, queries
from documents.forms import DocumentDetailsForm, ReplaceForm, UploadForm
from documents.models import Document, DocumentVersion, FileKind
from documents.queries import ORGANISATION, Filters
from limits.counting import check
from limits.decorators import limit
from limits.responses import too_many


def _not_yours() -> str:
    return _("Only who uploaded it and the library's managers can change this document.")


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    filters = Filters(
        tag=request.GET.get("tag", "").strip().lstrip("#").lower()[:64],
        group=request.GET.get("group", "").strip()[:140],
        kind=request.GET.get("type", ""),
    )
    page = Paginator(queries.listed(request.user, filters), settings.DOCUMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    groups = queries.readable_groups_with_documents(request.user)
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "documents": list(page.object_list),
            "filters": filters,
            "groups": groups,
            "chosen_group": next((g for g in groups if g.slug == filters.group), None),
            "tags": queries.tags_in_use(request.user),
            "kinds": FileKind.choices,
            "organisation_library": ORGANISATION,
            "query": query.urlencode(),
            "filtered": any(vars(filters).values()),
        },
    )


def _document_or_404(request: HttpRequest, document_id: int) -> Document:
    try:
        return queries.document_for(request.user, document_id)
    except Document.DoesNotExist:
        raise Http404("no such document") from None


@require_GET
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    return _detail(request, document, ReplaceForm())


def _detail(request: HttpRequest, document: Document, replace_form: ReplaceForm, status=200):
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "versions": queries.versions_of(document),
            "may_change": queries.may_change(request.user, document),
            "replace_form": replace_form,
        },
        status=status,
    )


def document_upload(request: HttpRequest) -> HttpResponse:
    person = request.user
    # Only what is sent counts against the upload limit, not opening the form.
    if request.method == "POST" and (limited := check(request, "upload")):
        return too_many(request, limited)
    initial = {"library": request.GET.get("library", ORGANISATION)}
    form = UploadForm(request.POST or None, request.FILES or None, person=person, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = actions.add_document(
                    person,
                    title=data["title"],
                    description=data["description"],
                    tags=data["tags"],
                    group=data["library"],
                    file=data["file"],
                )
            except PermissionDenied as refusal:
                form.add_error("library", str(refusal))
            else:
                messages.success(request, _("“%(title)s” is in the library.") % {"title": document})
                return redirect(document)
        status = 422
    return render(request, "documents/form.html", {"form": form, "uploading": True}, status=status)


@require_POST
@limit("upload")
def document_replace(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    if not queries.may_change(request.user, document):
        raise PermissionDenied(_not_yours())
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, document, form, status=422)
    version = actions.replace_file(request.user, document, form.cleaned_data["file"])
    messages.success(
        request, _("Version %(number)s is the current one.") % {"number": version.number}
    )
    return redirect(document)


def document_edit(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    if not queries.may_change(request.user, document):
        raise PermissionDenied(_not_yours())
    initial = {
        "title": document.title,
        "description": document.description,
        "tags": " ".join(f"#{tag.name}" for tag in document.tags.all()),
    }
    form = DocumentDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.edit_document(request.user, document, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(document)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "documents/form.html", {"form": form, "document": document}, status=status
    )


@require_POST
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _document_or_404(request, document_id)
    actions.delete_document(request.user, document)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": document.title})
    return redirect("document_list")


@require_GET
def document_download(
    request: HttpRequest, document_id: int, number: int, name: str = ""
) -> FileResponse:
    try:
        version = queries.version_for(request.user, document_id, number)
    except DocumentVersion.DoesNotExist:
        raise Http404("no such document") from None
    response = FileResponse(
        version.file.open("rb"),
        content_type=version.content_type,
        as_attachment=True,
        filename=actions.safe_name(version.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Never let a file act as a page of this site, whatever it contains.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
