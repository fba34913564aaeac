"""The search page, the suggestions as one types, and opening a hit (logged)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from limits.decorators import limit
from search import actions, queries, registry
from search.forms import SearchForm


@require_GET
@vary_on_headers("HX-Request")
@limit("search")
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.user, request.GET or None)
    results = None
    search_id = ""
    cursor = request.GET.get("cursor", "")
    if form.is_valid() and form.cleaned_data["q"].strip():
        typed = form.cleaned_data["q"]
        results = queries.search(request.user, typed, form.filters(), cursor=cursor)
        if cursor:
            search_id = request.GET.get("s", "")
        else:
            logged = actions.record_search(request.user, typed, results.total)
            search_id = str(logged.pk) if logged else ""
    context = {
        "form": form,
        "results": results,
        "search_id": search_id,
        "search_typed": request.GET.get("q", "")[:200],
    }
    if request.htmx and cursor and results is not None:
        # "More results": the next page of the one section shown, and its own "more".
        return render(
            request,
            "search/fragments/more.html",
            context | {"section_hits": results.sections[0] if results.sections else None},
        )
    return render(request, "search/results.html", context)


@require_GET
@limit("search")
def suggestions(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("q", "")[:200]
    found = queries.suggest(request.user, typed)
    logged = actions.record_search(request.user, typed, len(found.hits)) if found.query else None
    return render(
        request,
        "search/fragments/suggestions.html",
        {"suggestions": found, "typed": typed, "search_id": logged.pk if logged else ""},
    )


@require_GET
def open_hit(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """A hit's link: the opening is logged against its search, then on to the thing,
    if the person may still see it."""
    try:
        found = registry.kind(kind)
    except KeyError:
        raise Http404 from None
    obj = found.visible_to(request.user).filter(pk=object_id).first()
    if obj is None:
        raise Http404
    search_id, position = request.GET.get("s", ""), request.GET.get("at", "")
    if search_id.isdigit() and position.isdigit():
        actions.record_open(int(search_id), request.user, kind, object_id, int(position))
    return redirect(found.url(obj))
