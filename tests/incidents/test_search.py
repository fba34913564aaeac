"""Major incidents are found by search, by a word of their title or their number,
by every colleague; the hit shows the incident's state now."""

from __future__ import annotations

import re

from incidents import actions
from search import queries
from tests.factories import PersonFactory


def found(viewer, typed: str) -> list[str]:
    results = queries.search(viewer, typed, queries.Filters())
    return [
        f"{hit.kind}:{re.sub('<[^>]+>', '', hit.title or hit.snippet)}"
        for section in results.sections
        for hit in section.hits
    ]


def test_an_incident_is_found_by_its_title_and_number_and_shows_its_state(
    team, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_incident(
            "topdesk", "u-1", number="I 2612 041", title="Telefonie valt uit", status="open"
        )
    assert found(team.bob, "telefonie") == ["incident:Telefonie valt uit"]
    assert found(PersonFactory(), "2612") == ["incident:Telefonie valt uit"]
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_incident("topdesk", "u-1", status="resolved")
    page = client_for(team.bob).get("/search/", {"q": "telefonie"}).content.decode()
    assert '<h2 id="results-incidents">' in page
    assert "Resolved" in page


def test_a_deactivated_person_finds_no_incident(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_incident("api", "INC-3", title="Telefonie valt uit")
    team.bob.is_active = False
    team.bob.save()
    assert found(team.bob, "telefonie") == []
