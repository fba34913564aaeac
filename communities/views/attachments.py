"""Attached files, served only to people who may see their post."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from communities import actions, queries
from communities.models import Attachment


def _visible_or_404(request: HttpRequest, attachment_id: int) -> Attachment:
    """A file of a post the viewer may not see is a 404, the same as no file at all."""
    try:
        return queries.visible_attachment(request.user, attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("no such file") from None


def _serve(file, content_type: str, *, name: str, download: bool) -> FileResponse:
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=download, filename=name
    )
    # Never let a file act as a page of this site, whatever it contains.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def attachment(request: HttpRequest, attachment_id: int, name: str = "") -> FileResponse:
    found = _visible_or_404(request, attachment_id)
    download = found.kind == Attachment.Kind.DOCUMENT
    return _serve(found.file, found.content_type, name=found.name, download=download)


@require_GET
def attachment_thumbnail(request: HttpRequest, attachment_id: int) -> FileResponse:
    found = _visible_or_404(request, attachment_id)
    if not found.thumbnail:
        raise Http404("no thumbnail")
    return _serve(found.thumbnail, found.content_type, name=found.name, download=False)


@require_POST
def attachment_describe(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """The author writes what a photo shows. Over htmx the post's content comes back
    with the description in place (or the refusal beside the text, which is kept)."""
    found = _visible_or_404(request, attachment_id)
    text = request.POST.get("description", "")
    errors: dict[int, list[str]] = {}
    try:
        actions.describe_photo(request.user, found, text)
    except ValidationError as refusal:
        errors[found.pk] = refusal.messages
    if not request.htmx:
        if errors:
            messages.error(request, " ".join(errors[found.pk]))
        return redirect("post", found.post_id)
    post = queries.with_activity([found.post])[0]
    return render(
        request,
        "communities/fragments/post_content.html",
        {"post": post, "describe_errors": errors, "described": {found.pk: text}},
        status=422 if errors else 200,
    )
