"""An incident's change goes out to the systems subscribed to ``incident.changed``
(outgoing webhooks, signed): once per change, with what changed; a repeat of the
same data sends nothing."""

from __future__ import annotations

import pytest

from incidents import actions
from integrations import signing
from tests.integrations.helpers import make_integration, receiver, subscribe


@pytest.fixture(autouse=True)
def _receivers_allowed(settings):
    """The receivers listen on 127.0.0.1, allowed as an administrator would."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


def test_an_incident_opened_and_resolved_goes_out_once_per_change(
    db, django_capture_on_commit_callbacks
):
    integration = make_integration("Statuspagina")
    with receiver() as site:
        subscription = subscribe(integration, site.url, events=["incident.changed"])
        with django_capture_on_commit_callbacks(execute=True):
            actions.record_incident(
                "api", "INC-9", title="E-mail komt niet aan", status="open", impact="high"
            )
        with django_capture_on_commit_callbacks(execute=True):
            actions.record_incident("api", "INC-9", title="E-mail komt niet aan", status="open")
        with django_capture_on_commit_callbacks(execute=True):
            actions.record_incident("api", "INC-9", status="resolved")
    opened, resolved = site.received
    for request in (opened, resolved):
        signing.verify(subscription.secret, request.body, request.headers[signing.HEADER])
        assert request.headers["X-Kring-Event"] == "incident.changed"
    assert opened.json["opened"] is True
    assert opened.json["incident"]["title"] == "E-mail komt niet aan"
    assert opened.json["incident"]["impact"] == "high"
    assert opened.json["incident"]["resolved_at"] is None
    assert resolved.json["opened"] is False
    assert resolved.json["incident"]["status"] == "resolved"
    assert resolved.json["incident"]["resolved_at"] is not None
    assert resolved.json["changes"]["status"] == ["open", "resolved"]


def test_a_deactivated_integration_hears_of_no_incident(db, django_capture_on_commit_callbacks):
    integration = make_integration("Statuspagina")
    integration.account.is_active = False
    integration.account.save()
    with receiver() as site:
        subscribe(integration, site.url, events=["incident.changed"])
        with django_capture_on_commit_callbacks(execute=True):
            actions.record_incident("api", "INC-10", title="Printers", status="open")
    assert site.received == []
