"""Names of channel-layer groups.

One per group feed (every socket in it may read that feed), and one per
person (every socket that person has open), to reach them when their access
changes.
"""


def group_feed(group_id: int) -> str:
    return f"feed.group.{group_id}"


def person(person_id: int) -> str:
    return f"person.{person_id}"
