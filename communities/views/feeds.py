"""What every feed page shares: a page of posts by cursor, the older-posts
fragment, the catch-up fetch, and the settings of the live socket."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from communities import fragments, queries
from communities.models import Post


@dataclass
class Feed:
    """A feed as a page shows it: its posts and where it goes live."""

    posts: list[Post]
    has_more: bool
    before: int | None
    more_url: str  # this page's URL; ?before=<id> gives older posts
    live_url: str  # the WebSocket
    newer_url: str  # the catch-up fetch
    hold_new: bool = False  # collect new posts behind a "N new posts" bar


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404(f"{name} must be a number") from None


def feed_page(
    request: HttpRequest,
    template: str,
    posts: QuerySet[Post],
    context: dict,
    *,
    live_url: str,
    newer_url: str,
    hold_new: bool = False,
) -> HttpResponse:
    """The full page, or over htmx with ``?before=``, just the next older posts."""
    before = int_param(request, "before")
    rows, has_more = queries.page(posts, before=before)
    feed = Feed(rows, has_more, before, request.path, live_url, newer_url, hold_new)
    if request.htmx and before is not None:
        return render(request, "communities/fragments/feed_page.html", {"feed": feed})
    return render(request, template, {**context, "feed": feed})


def newer_posts(request: HttpRequest, posts: QuerySet[Post]) -> HttpResponse:
    """Everything newer than ``?after=``: fetched each time a page's socket (re)connects."""
    rows = queries.newer(posts, int_param(request, "after") or 0)
    if not rows:
        return HttpResponse(status=204)
    return HttpResponse(fragments.new_posts_message(rows))
