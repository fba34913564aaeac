"""Administrators read incidents and their history in the admin, and cannot edit
them there (an edit would bypass the followers, the widget and the desk)."""

from __future__ import annotations

from incidents import actions
from tests.integrations.helpers import administrator


def test_an_incident_and_its_history_are_shown_and_not_editable(db, client_for):
    incident, _ = actions.record_incident(
        "topdesk", "u-1", number="I 2612 041", title="Mail komt niet aan", status="open"
    )
    actions.record_incident("topdesk", "u-1", status="in progress")
    admin = client_for(administrator())

    listing = admin.get("/admin/incidents/incident/")
    assert listing.status_code == 200
    assert "Mail komt niet aan" in listing.content.decode()
    page = admin.get(f"/admin/incidents/incident/{incident.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "In progress" in body and 'name="_save"' not in body
    assert admin.get("/admin/incidents/incident/add/").status_code == 403
    admin.post(f"/admin/incidents/incident/{incident.pk}/change/", {"title": "Anders"})
    incident.refresh_from_db()
    assert incident.title == "Mail komt niet aan"
