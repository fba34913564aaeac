from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from communities import notices, queries


def viewer(request: HttpRequest) -> dict:
    """What the page's script needs to adapt fragments rendered once for everyone:
    who is looking, and which groups they moderate (read only when a page uses it);
    and the bell's unread count."""
    return {
        "unread_notice_count": SimpleLazyObject(lambda: notices.unread_count(request.user)),
        "managed_group_ids": SimpleLazyObject(
            lambda: " ".join(str(pk) for pk in queries.managed_group_ids(request.user))
        ),
    }
