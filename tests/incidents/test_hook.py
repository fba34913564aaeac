"""POST /incidents/hook/: a service desk's signed word becomes an incident; anything
unsigned, stale, too large or not an incident is refused and nothing is written."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client
from django.urls import reverse

from incidents.models import Incident
from integrations import signing

pytestmark = pytest.mark.django_db

SECRET = "a-shared-hook-secret"


@pytest.fixture(autouse=True)
def hook_secret(settings):
    settings.INCIDENTS_WEBHOOK_SECRET = SECRET


def post(body: bytes, signature: str | None = None, **headers):
    if signature is not None:
        headers[signing.META_KEY] = signature
    return Client().post(
        reverse("incident_hook"), data=body, content_type="application/json", **headers
    )


def signed(payload, secret=SECRET, timestamp=None):
    body = json.dumps(payload).encode()
    return body, signing.sign(secret, body, timestamp)


INCIDENT = {
    "external_id": "HOOK-1",
    "title": "Telephony is down",
    "status": "Registered",
    "impact": "Organisation",
    "url": "https://desk.example/i/1",
}


def test_a_signed_incident_is_recorded_once(django_capture_on_commit_callbacks):
    body, signature = signed(INCIDENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(body, signature)
    assert response.status_code == 200 and response.json()["changed"] is True
    incident = Incident.objects.get()
    assert (incident.source, incident.title, incident.status, incident.impact) == (
        "webhook",
        "Telephony is down",
        "open",
        "high",
    )
    # The same again: nothing changed.
    body, signature = signed(INCIDENT)
    assert post(body, signature).json()["changed"] is False
    body, signature = signed({"external_id": "HOOK-1", "status": "closed"})
    assert post(body, signature).json()["changed"] is True
    incident.refresh_from_db()
    assert incident.status == "resolved" and incident.title == "Telephony is down"


@pytest.mark.parametrize(
    "make, status",
    [
        (lambda: (json.dumps(INCIDENT).encode(), None), 403),  # unsigned
        (lambda: signed(INCIDENT, secret="another-secret"), 403),
        (lambda: signed(INCIDENT, timestamp=int(time.time()) - 301), 403),  # a replay
        (lambda: (b"not json", signing.sign(SECRET, b"not json")), 400),
        (lambda: signed([INCIDENT]), 400),
        (lambda: signed({"title": "no id"}), 400),
        (lambda: signed({**INCIDENT, "url": "javascript:alert(1)"}), 400),
        (lambda: signed({"external_id": "HOOK-2"}), 400),  # new, without a title
        (lambda: signed({**INCIDENT, "title": "x" * 70_000}), 413),
    ],
)
def test_what_is_refused_writes_nothing(make, status):
    body, signature = make()
    response = post(body, signature)
    assert response.status_code == status
    assert not Incident.objects.exists()


def test_a_body_changed_after_signing_is_refused():
    body, signature = signed(INCIDENT)
    response = post(body.replace(b"Telephony", b"Everything"), signature)
    assert response.status_code == 403
    assert not Incident.objects.exists()


def test_without_a_secret_there_is_no_hook(settings):
    settings.INCIDENTS_WEBHOOK_SECRET = ""
    body, signature = signed(INCIDENT)
    assert post(body, signature).status_code == 404
    assert not Incident.objects.exists()
