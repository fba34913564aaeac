"""HTML fragments shared by full pages, HTMX responses and WebSocket pushes.

This is the one module that knows how htmx inserts live content (out-of-band
swaps into ``#feed-posts``): the form response, the reconnect catch-up and the
WebSocket push all send the same message, so a move to another htmx version
or extension changes only this module and its templates.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from communities import notices, queries
from communities.models import Post, Reply

FEED_LIST_ID = "feed-posts"


def new_posts_message(posts: Sequence[Post]) -> str:
    """An out-of-band message that puts ``posts`` (newest first) into the open feed.

    It is rendered once and sent to every viewer, so it holds nothing that
    depends on who looks at it and is rendered in the site's language.
    """
    if not posts:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "communities/fragments/new_posts.html", {"posts": posts, "target": FEED_LIST_ID}
        )


def published_post_message(post: Post) -> str:
    """``new_posts_message`` of a post just published: rendered once, for the feeds
    that push it and for the poster's own response, which hold the same object."""
    message = getattr(post, "_published_message", None)
    if message is None:
        message = post._published_message = new_posts_message(queries.with_activity([post]))
    return message


def post_changed_message(post: Post, change: str, reply: Reply | None = None) -> str:
    """An out-of-band message that updates a post wherever a page shows it: a reply
    added to its list or removed, its reply count, its reactions, or the post gone."""
    fresh = queries.with_activity(
        list(Post.objects.filter(pk=post.pk).select_related("author", "group"))
    )
    if not fresh:
        return ""
    if reply is not None:
        reply = Reply.objects.select_related("author").get(pk=reply.pk)
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "communities/fragments/post_changed.html",
            {"post": fresh[0], "change": change, "reply": reply},
        )


def changes_message(changes: queries.Changes) -> str:
    """Out-of-band updates for posts a page shows that changed while its socket was
    away: their content, reactions and reply count replaced, their latest replies
    added (the page skips those it has), removed posts and replies taken out.
    Like the live push it holds nothing that depends on who looks."""
    if not changes:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("communities/fragments/posts_changed.html", {"changes": changes})


CATCH_UP_GAP_ID = "catch-up-gap"


def catch_up_gap_message() -> str:
    """An out-of-band message that tells a page it missed more than a catch-up
    brings (``settings.CATCH_UP_POSTS``, ``settings.CATCH_UP_CHANGES``) and offers
    a reload: the page would otherwise keep a gap without knowing. It goes only in
    a catch-up response, one request of one reader, so it is worded in the
    request's language."""
    return render_to_string("communities/fragments/catch_up_gap.html", {"target": CATCH_UP_GAP_ID})


NOTICE_COUNT_ID = "notice-count"


def notice_count_message(person) -> str:
    """The bell's unread count as an out-of-band swap: pushed over every socket of the
    person when it changes, and fetched when a socket (re)connects.

    The count differs per person, so unlike posts it is rendered for each; it
    holds only a number, and the page words it in its own language.
    """
    return render_to_string(
        "communities/fragments/notice_count.html",
        {"count": notices.unread_count(person), "oob": True},
    )
