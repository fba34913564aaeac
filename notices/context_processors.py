from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from communities.views.feeds import live_url
from notices import queries


def bell(request: HttpRequest) -> dict:
    """The bell's unread count (read only when a page shows it), and the socket that
    keeps it live on pages without a feed."""
    return {
        "unread_notice_count": SimpleLazyObject(lambda: queries.unread_count(request.user)),
        "notices_live_url": SimpleLazyObject(lambda: live_url("live_notices")),
    }
