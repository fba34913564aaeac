"""Names of channel-layer groups. One per group feed: every socket in it may read that feed."""


def group_feed(group_id: int) -> str:
    return f"feed.group.{group_id}"
