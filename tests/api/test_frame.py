"""The API's frame: its OpenAPI schema, its docs pages and cursor pages."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import yaml
from django.test import Client
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts import actions
from accounts.models import AccessToken
from api.pagination import Cursor


def test_the_served_schema_is_valid_openapi_3_with_the_bearer_scheme(db):
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # drf-spectacular's validator: raises if invalid
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Kring API"
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearer"]["description"],
    }
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/schema/" not in schema["paths"]


def test_the_schema_comes_as_json_too(db):
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.json()["info"]["title"] == "Kring API"


def test_the_docs_page_is_served_from_kring_itself(db):
    swagger = Client().get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in swagger
    assert "?script=" in swagger  # the init script is a file, not inline
    assert "cdn" not in swagger.lower()


def _page(queryset, query: dict[str, str] | None = None, view=None):
    request = Request(APIRequestFactory().get("/api/v1/things/", query or {}))
    paginator = Cursor()
    items = paginator.paginate_queryset(queryset, request, view=view)
    return items, paginator.get_paginated_response([t.pk for t in items]).data


def _tokens(person, count: int) -> list[AccessToken]:
    made = [actions.make_personal_token(person, f"t{n}", "read")[0] for n in range(count)]
    # Distinct times, a minute apart, oldest first.
    start = timezone.now() - timedelta(hours=1)
    for n, token in enumerate(made):
        AccessToken.objects.filter(pk=token.pk).update(created_at=start + timedelta(minutes=n))
    return made


def test_a_cursor_page_is_newest_first_and_links_the_next(team):
    made = _tokens(team.alice, 5)
    items, data = _page(AccessToken.objects.all(), {"page_size": "2"})
    assert [t.pk for t in items] == [made[4].pk, made[3].pk]
    assert data["previous"] is None
    assert "cursor=" in data["next"]
    assert set(data) == {"next", "previous", "results"}


def test_a_cursor_page_stays_put_when_new_items_arrive(team):
    made = _tokens(team.alice, 5)
    _items, first = _page(AccessToken.objects.all(), {"page_size": "2"})
    # Two new ones arrive between the requests: an offset would repeat items.
    actions.make_personal_token(team.alice, "nieuw 1", "read")
    actions.make_personal_token(team.alice, "nieuw 2", "read")
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    items, _second = _page(AccessToken.objects.all(), {"page_size": "2", "cursor": cursor})
    assert [t.pk for t in items] == [made[2].pk, made[1].pk]


def test_page_size_is_50_by_default_and_at_most_200(team):
    assert Cursor.page_size == 50
    request = Request(APIRequestFactory().get("/", {"page_size": "5000"}))
    assert Cursor().get_page_size(request) == 200


def test_a_view_may_order_its_pages_otherwise(team):
    made = _tokens(team.alice, 3)

    class OldestFirst:
        ordering = "created_at"

    items, _data = _page(AccessToken.objects.all(), {"page_size": "2"}, view=OldestFirst())
    assert [t.pk for t in items] == [made[0].pk, made[1].pk]
