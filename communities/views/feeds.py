"""What every feed page shares: a page of posts by cursor, the older-posts
fragment, the catch-up fetch, and the settings of the live socket."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation

from communities import fragments, post_cards, queries
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
    # When the page was read (seconds since the epoch): the first catch-up asks
    # for changes since then, each later one since the one before.
    synced_at: float = 0.0


# The catch-up's header: when it read, for the page's next catch-up.
SYNCED_AT_HEADER = "Kring-Synced-At"
# Changes are asked for from this much before the page's last read: another
# process's clock may lag a little (a change seen twice is swapped in twice).
CLOCK_SLACK = timedelta(seconds=5)


def live_url(name: str, *args: object) -> str:
    """The address of a page's WebSocket (named in ``settings.WEBSOCKET_URLCONF``),
    asking for its fragments in the page's language."""
    path = reverse(name, urlconf=settings.WEBSOCKET_URLCONF, args=args)
    return f"{path}?{urlencode({'lang': translation.get_language()})}"


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404(f"{name} must be a number") from None


def time_param(request: HttpRequest, name: str) -> datetime | None:
    """A moment given as seconds since the epoch (not before it)."""
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        seconds = float(value)
        if not seconds >= 0:  # also refuses NaN
            raise ValueError(value)
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise Http404(f"{name} must be a moment in seconds") from None


def feed_page(
    request: HttpRequest,
    template: str,
    posts: QuerySet[Post],
    context: dict,
    *,
    live_url: str,
    newer_url: str,
    hold_new: bool = False,
    pinned: Sequence[int] = (),
) -> HttpResponse:
    """The full page, or over htmx with ``?before=``, just the next older posts.
    ``pinned``: the posts the page shows in its pinned place, left out of the feed so
    that each post is on the page once. The cards of the feed's posts, and of those
    in ``context["pinned_places"]``, are found together (``post_cards.attach``)."""
    synced_at = timezone.now().timestamp()
    before = int_param(request, "before")
    rows, has_more = queries.page(posts.exclude(pk__in=pinned), before=before)
    feed = Feed(rows, has_more, before, request.path, live_url, newer_url, hold_new, synced_at)
    if request.htmx and before is not None:
        post_cards.attach(rows)
        return render(request, "communities/fragments/feed_page.html", {"feed": feed})
    shown_pinned = [post for place in context.get("pinned_places", ()) for post in place.posts]
    post_cards.attach(rows + shown_pinned)
    return render(request, template, {**context, "feed": feed})


def newer_posts(
    request: HttpRequest, posts: QuerySet[Post], pinned: Sequence[int] = ()
) -> HttpResponse:
    """What a page missed, fetched each time its socket (re)connects: every post newer
    than ``?after=`` (the newest it shows), and with ``?since=`` (when it last read)
    the changes since then to the posts it shows. If more happened than a catch-up
    brings, it says so. The response's header says when this read, for the next time.
    ``pinned`` posts are in the page's pinned place: never added to its feed."""
    synced_at = timezone.now()
    after = int_param(request, "after") or 0
    since = time_param(request, "since")
    new_posts, more = queries.newer(posts.exclude(pk__in=pinned), after)
    post_cards.attach(new_posts)
    message = fragments.new_posts_message(new_posts)
    if since is not None and after:
        changes = queries.changed(request.user, posts, upto=after, since=since - CLOCK_SLACK)
        message += fragments.changes_message(changes)
        more = more or changes.more
    if more:
        message += fragments.catch_up_gap_message()
    response = HttpResponse(message) if message else HttpResponse(status=204)
    response[SYNCED_AT_HEADER] = f"{synced_at.timestamp():.3f}"
    return response
