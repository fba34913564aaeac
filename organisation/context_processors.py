from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from organisation import queries


def organisation(request: HttpRequest) -> dict:
    """The organisation's name, logo and accent for every page (one query, when used)."""
    return {"organisation": SimpleLazyObject(queries.style)}
