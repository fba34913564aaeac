"""How the incidents tests talk to Kring from outside: the REST API, and signed hooks."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from accounts import actions as account_actions


def api_request(base_url: str, person, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """One request to the REST API of a live server as ``person``: (status, JSON),
    with a read-write access token of theirs, as the service desk would send it."""
    secret = account_actions.make_personal_token(person, "service desk", "read_write")[1]
    request = urllib.request.Request(
        f"{base_url}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def api_post(base_url: str, person, path: str, body: Any) -> tuple[int, Any]:
    return api_request(base_url, person, "POST", path, body)


def api_patch(base_url: str, person, path: str, body: Any) -> tuple[int, Any]:
    return api_request(base_url, person, "PATCH", path, body)


def grant_reporting(person) -> None:
    """The permission to write incidents through the API."""
    from django.contrib.auth.models import Permission

    person.user_permissions.add(Permission.objects.get(codename="change_incident"))
