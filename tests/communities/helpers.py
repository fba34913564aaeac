"""Helpers the communities tests share."""

import re
from datetime import timedelta

from django.db.models import F

from communities.models import Post


def synced_at(html: str) -> str:
    """When the page read its posts, as the page keeps it for its first catch-up."""
    return re.search(r'data-synced-at="([0-9.]+)"', html).group(1)


def age_every_change(minutes: int = 10) -> None:
    """Move every recorded change into the past, beyond the catch-up's clock slack."""
    Post.objects.exclude(changed_at=None).update(
        changed_at=F("changed_at") - timedelta(minutes=minutes)
    )
