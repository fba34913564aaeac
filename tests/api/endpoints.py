"""What the API's resource tests share: a client acting as a person."""

from rest_framework.test import APIClient


def api_as(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person)
    return client


# What every request does besides answering it: the session, "where one is logged
# in" and the day's use (middleware), and the savepoints around their writes; and
# content types, read once per process and cached.
_AROUND = (
    "django_session",
    "accounts_login",
    "insights_",
    "SAVEPOINT",
    "django_content_type",
)


def answering_queries(client: APIClient, url: str, **params) -> list[str]:
    """The SQL a GET of ``url`` runs to answer it (the middleware's own left out)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [q["sql"] for q in captured if not any(word in q["sql"] for word in _AROUND)]
