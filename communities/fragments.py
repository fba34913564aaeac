"""HTML fragments shared by full pages, HTMX responses and WebSocket pushes.

This is the one module that knows how htmx inserts live content (out-of-band
swaps into ``#feed-posts`` and into the parts of a post): the form response,
the reconnect catch-up and the WebSocket push all send the same message, so a
move to another htmx version or extension changes only this module and its
templates.

A fragment holds nothing that depends on who looks at it, except the
language: HTTP responses are rendered in the request's language, and a live
push is rendered once per language the site speaks (``in_each_language``),
each socket taking the one of its page. So a Dutch reader never gets an
English push, and a post costs one rendering per language, not per reader.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from communities import queries
from communities.models import Post, Reply
from communities.signals import Change

FEED_LIST_ID = "feed-posts"

#: A fragment for sockets: its HTML in each language the site speaks.
Rendered = dict[str, str]


def in_each_language(render: Callable[[], str]) -> Rendered:
    """``render()`` once in each of the site's languages (``settings.LANGUAGES``)."""
    rendered = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            rendered[code] = render()
    return rendered


def in_language(rendered: Rendered, code: str | None) -> str:
    """The fragment in language ``code``; the site's language if it has none in it."""
    return rendered.get(code or "") or rendered.get(settings.LANGUAGE_CODE) or ""


def new_posts_message(posts: Sequence[Post]) -> str:
    """An out-of-band message that puts ``posts`` (newest first) into the open feed."""
    if not posts:
        return ""
    return render_to_string(
        "communities/fragments/new_posts.html", {"posts": posts, "target": FEED_LIST_ID}
    )


def published_post_messages(post: Post) -> Rendered:
    """``new_posts_message`` of a post just published, in each language: rendered once,
    for the feeds that push it and for the poster's own response, which hold the
    same object."""
    rendered = getattr(post, "_published_messages", None)
    if rendered is None:
        posts = queries.with_activity([post])
        rendered = post._published_messages = in_each_language(lambda: new_posts_message(posts))
    return rendered


def published_post_message(post: Post) -> str:
    """The poster's own response: the push's rendering, in the request's language, when
    the push was rendered here; else (a worker pushes it) in that language alone."""
    rendered = getattr(post, "_published_messages", None)
    if rendered is None:
        # Its action gave a post just written its (empty) activity; else ask for it.
        posts = [post] if hasattr(post, "latest_replies") else queries.with_activity([post])
        return new_posts_message(posts)
    return in_language(rendered, translation.get_language())


def post_changed_messages(post: Post, change: str, reply: Reply | None = None) -> Rendered:
    """An out-of-band message, in each language, that updates a post wherever a page
    shows it: a reply added to its list or removed, its reply count, its reactions,
    its text, the post gone, or its group's pinned announcement."""
    context = _changed_context(post, change, reply)
    if context is None:
        return {}
    return in_each_language(lambda: _render_change(change, context))


def post_changed_message(post: Post, change: str, reply: Reply | None = None) -> str:
    """``post_changed_messages`` in the request's language alone (the actor's response)."""
    context = _changed_context(post, change, reply)
    return "" if context is None else _render_change(change, context)


def _changed_context(post: Post, change: str, reply: Reply | None) -> dict | None:
    fresh = queries.with_activity(
        list(Post.objects.filter(pk=post.pk).select_related("author", "group"))
    )
    if not fresh:
        return None
    if reply is not None:
        reply = Reply.objects.select_related("author").get(pk=reply.pk)
    context = {"post": fresh[0], "reply": reply}
    if change == Change.PIN_CHANGED:
        context["pinned_places"] = [queries.pinned_place(fresh[0].group_id)]
        context["unpinned"] = queries.unpinned_among(fresh, context["pinned_places"])
    return context


def _render_change(change: str, context: dict) -> str:
    return render_to_string(f"communities/fragments/changes/{Change(change).value}.html", context)


def changes_message(changes: queries.Changes) -> str:
    """Out-of-band updates for posts a page shows that changed while its socket was
    away: their content, reactions and reply count replaced, their latest replies
    added (the page skips those it has), removed posts and replies taken out, and
    the pinned announcement of groups whose pin changed. Like the live push it
    holds nothing that depends on who looks."""
    if not changes:
        return ""
    return render_to_string("communities/fragments/posts_changed.html", {"changes": changes})


def connections_messages(person_id: int) -> Rendered:
    """Out-of-band updates, in each language, of a person's follower and following
    counts and lists: the same for every viewer of their profile."""
    person = queries.active_person(person_id)
    if person is None:
        return {}
    context = {
        "person": person,
        "followers": queries.followers(person),
        "followed_people": queries.following(person),
        "oob": True,
    }
    return in_each_language(
        lambda: render_to_string("communities/fragments/connections.html", context)
    )


CATCH_UP_GAP_ID = "catch-up-gap"


def catch_up_gap_message() -> str:
    """An out-of-band message that tells a page it missed more than a catch-up
    brings (``settings.CATCH_UP_POSTS``, ``settings.CATCH_UP_CHANGES``) and offers
    a reload: the page would otherwise keep a gap without knowing."""
    return render_to_string("communities/fragments/catch_up_gap.html", {"target": CATCH_UP_GAP_ID})
