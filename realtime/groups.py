"""Names of channel-layer groups: who hears what.

- ``feed.group.<id>``: sockets on a group's page; only readers of the group join.
- ``feed.tag.<hash>.open`` and ``feed.tag.<hash>.group.<id>``: sockets on a
  tag page. A post in an open group goes to the first, a post in a closed or
  secret group to the second, which only that group's members join. So a tag
  page, shared by everyone, never hears of a post its viewer may not read.
- ``feed.author.<person id>.open`` / ``.group.<id>``: sockets on a profile,
  split by scope the same way.
- A home timeline socket joins the feeds its timeline is made of
  (``communities.queries.home_sources``): its groups' feeds and the open scope
  of the people and #tags it follows. No group per person carries posts.
- ``person.<person id>``: every socket of that person, to re-check access.
- ``agenda.event.<id>``: sockets on an agenda event's page (its places left), and
  ``agenda.event.<id>.person.<person id>``: one person's (their own answer).
- ``session.<hash of the session key>``: every socket opened with one login, closed
  when that login ends (``realtime.sessions``).
"""

import hashlib


def group_feed(group_id: int) -> str:
    return f"feed.group.{group_id}"


def tag_feed(tag_name: str, group_id: int | None) -> str:
    """``group_id`` None for posts every reader may see (open groups)."""
    # Channel-layer names are ASCII; tags may be in any script.
    key = hashlib.sha256(tag_name.encode()).hexdigest()[:24]
    scope = "open" if group_id is None else f"group.{group_id}"
    return f"feed.tag.{key}.{scope}"


def author_feed(author_id: int, group_id: int | None) -> str:
    scope = "open" if group_id is None else f"group.{group_id}"
    return f"feed.author.{author_id}.{scope}"


def person(person_id: int) -> str:
    return f"person.{person_id}"


def session(session_key: str) -> str:
    """Every socket opened with one login. The key is a secret: only its hash names
    the group (group names travel through Redis and show in its monitoring)."""
    return f"session.{hashlib.sha256(session_key.encode()).hexdigest()[:32]}"


def event(event_id: int) -> str:
    """Sockets on an agenda event's page; only those who may see the event join."""
    return f"agenda.event.{event_id}"


def event_person(event_id: int, person_id: int) -> str:
    """That person's sockets on that event's page: their own answer, changed for them."""
    return f"agenda.event.{event_id}.person.{person_id}"
