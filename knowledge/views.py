"""Knowledge pages: the list, a page, its form, its history and differences."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities.views.feeds import live_url
from knowledge import actions, diff, queries
from knowledge.forms import FilterForm, PageForm, initial_for
from knowledge.models import Page
from limits.counting import Limited, check
from limits.responses import refuse


def _page_or_404(request: HttpRequest, pk: int) -> Page:
    """A page this person may read; any other is, to them, a page that does not exist."""
    page = queries.visible_page(request.user, pk)
    if page is None:
        raise Http404
    return page


def page_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, person=request.user)
    tag = group = None
    organisation_wide = False
    if form.is_valid():
        tag = (form.cleaned_data["tag"] or "").strip().lstrip("#").lower() or None
        chosen = form.cleaned_data["group"]
        if chosen == "organisation":
            organisation_wide = True
        elif chosen:
            group = queries.groups_with_pages(request.user).filter(pk=int(chosen)).first()
    listing = queries.page_list(
        request.user,
        tag=tag,
        group=group,
        organisation_wide=organisation_wide,
        cursor=request.GET.get("after"),
    )
    more_query = request.GET.copy()
    if listing.next_cursor:
        more_query["after"] = listing.next_cursor
    return render(
        request,
        "knowledge/list.html",
        {
            "form": form,
            "pages": listing.pages,
            "next_query": more_query.urlencode() if listing.next_cursor else "",
            "filtered": bool(tag or group or organisation_wide),
        },
    )


def _apply_errors(form: PageForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _over_limit(request: HttpRequest, form: PageForm) -> Limited | None:
    """Saving a page counts as a post (``RATE_LIMITS["post"]``); over the limit, the form
    comes back with what was typed and when to try again."""
    limited = check(request, "post")
    if limited is not None:
        form.add_error(None, limited.message)
    return limited


def _answer(response: HttpResponse, limited: Limited | None) -> HttpResponse:
    return refuse(response, limited) if limited else response


def page_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"owner": f"person:{request.user.pk}"}
    if (parent := request.GET.get("parent", "")).isdigit():
        initial["parent"] = parent
    if (group := request.GET.get("group", "")).isdigit():
        initial["group"] = group
    if title := request.GET.get("title", "").strip():
        # The coach's "write a page for …" links bring the term searched for.
        initial["title"] = title[:200]
    form = PageForm(request.POST or None, initial=initial, person=request.user)
    limited = _over_limit(request, form) if request.method == "POST" else None
    if request.method == "POST" and not limited and form.is_valid():
        data = form.cleaned_data
        try:
            page = actions.create_page(
                request.user,
                title=data["title"],
                body=data["body"],
                group=data["group"],
                parent=data["parent"],
                owner=data["owner"],
                deputy=data["deputy"],
                review_months=data["review_months"],
            )
        except PermissionDenied as error:
            form.add_error("group", str(error) or _("You cannot write pages there."))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect(page)
    status = 422 if request.method == "POST" else 200
    response = render(request, "knowledge/form.html", {"form": form, "page": None}, status=status)
    return _answer(response, limited)


def page_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page_or_404(request, pk)
    may_edit = queries.may_edit(request.user, page)
    may_check = may_edit or queries.may_check(request.user, page)
    return render(
        request,
        "knowledge/page.html",
        {
            "page": page,
            "ancestors": queries.ancestors(request.user, page),
            "children": queries.children(request.user, page),
            "may_edit": may_edit,
            "may_check": may_check,
            # Come from a reminder of its review date: "Still correct" first of all
            # (not once it is checked and its date is far off again).
            "review": may_check and request.GET.get("review") == "1" and _review_due(page),
            # The version shown: a socket that opens on a page saved since is told.
            "page_live_url": f"{live_url('live_page', page.pk)}&v={page.version}",
        },
    )


def _review_due(page: Page) -> bool:
    soon = timezone.localdate() + timedelta(days=max(actions.REVIEW_REMINDER_DAYS.values()))
    return page.review_by <= soon


def page_edit(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page_or_404(request, pk)
    if not queries.may_edit(request.user, page):
        raise PermissionDenied(_("Only members of the page's group can edit it."))
    form = PageForm(request.POST or None, initial=initial_for(page), person=request.user, page=page)
    conflict = None
    limited = _over_limit(request, form) if request.method == "POST" else None
    if request.method == "POST" and not limited and form.is_valid():
        data = form.cleaned_data
        base = data["base"] or page.version
        try:
            saved = actions.edit_page(
                request.user,
                page,
                base=base,
                title=data["title"],
                body=data["body"],
                parent=data["parent"],
                owner=data["owner"],
                deputy=data["deputy"],
                review_months=data["review_months"],
            )
        except actions.EditConflict as clash:
            conflict = _conflict(page, clash, form)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved as version %(number)s.") % {"number": saved.version})
            return redirect(saved)
    status = 409 if conflict else 422 if request.method == "POST" else 200
    response = render(
        request,
        "knowledge/form.html",
        {"form": form, "page": page, "conflict": conflict},
        status=status,
    )
    return _answer(response, limited)


def _conflict(page: Page, clash: actions.EditConflict, form: PageForm) -> dict[str, Any]:
    """The form again, the editor's own text in it, now on top of the current version;
    and what changed between the version they started from and that one."""
    data = form.data.copy()
    data["base"] = str(clash.page.version)
    form.data = data
    base = queries.version(page, clash.base)
    current = queries.version(page, clash.page.version)
    changes = diff.diff_versions(base, current) if base and current else None
    authors = sorted(
        {str(v.author) for v in queries.versions(page) if v.number > clash.base},
    )
    return {
        "base": clash.base,
        "current": current,
        "diff": changes,
        "authors": authors,
    }


@require_POST
def page_check(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page_or_404(request, pk)
    page = actions.mark_still_correct(request.user, page)
    messages.success(
        request,
        _("Thank you: the page is marked as still correct. Its next review is on %(date)s.")
        % {"date": date_format(page.review_by, "j F Y")},
    )
    return redirect(page)


def page_history(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page_or_404(request, pk)
    versions = queries.versions(page)
    numbers = {v.number: v for v in versions}
    old = _int(request.GET.get("from"))
    new = _int(request.GET.get("to"))
    chosen = None
    if old in numbers and new in numbers:
        if old > new:
            old, new = new, old
        chosen = {
            "old": numbers[old],
            "new": numbers[new],
            "diff": diff.diff_versions(numbers[old], numbers[new]),
        }
    elif len(versions) > 1:
        old, new = versions[1].number, versions[0].number
    return render(
        request,
        "knowledge/history.html",
        {
            "page": page,
            "versions": versions,
            "chosen": chosen,
            "old": old,
            "new": new,
            "may_edit": queries.may_edit(request.user, page),
        },
    )


@require_POST
def page_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    page = _page_or_404(request, pk)
    try:
        saved = actions.restore_version(request.user, page, number)
    except ValidationError:
        raise Http404 from None
    messages.success(
        request,
        _("Version %(old)s restored as version %(number)s.")
        % {"old": number, "number": saved.version},
    )
    return redirect(saved)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
