from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from communities import queries


def viewer(request: HttpRequest) -> dict:
    """What the page's script needs to adapt fragments rendered once for everyone:
    which groups the viewer moderates (read only when a page uses it)."""
    return {
        "managed_group_ids": SimpleLazyObject(
            lambda: " ".join(str(pk) for pk in queries.managed_group_ids(request.user))
        ),
    }
