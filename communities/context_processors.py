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


def sidebar(request: HttpRequest) -> dict:
    """The shell's sidebar: the person's groups and followed #tags. Two queries,
    whatever their number, and only on pages that show the sidebar."""

    def read() -> dict:
        user = request.user
        if not user.is_authenticated:
            return {"groups": [], "tags": []}
        return {"groups": list(queries.groups_of(user)), "tags": list(queries.followed_tags(user))}

    return {"sidebar": SimpleLazyObject(read)}
