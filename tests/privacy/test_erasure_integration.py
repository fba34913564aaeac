"""Erasing a person on PostgreSQL (its row locks and its full-text search), committed
for real: the waiting list moves up, pages pass on, documents go with their files,
and search finds her name nowhere."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from agenda.models import Attendance, CalendarFeed
from documents.models import Document, DocumentVersion
from knowledge.models import Page
from privacy import actions
from tests.factories import PersonFactory
from tests.privacy.helpers import build_shelf, build_world

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_erasure_on_postgresql_forgets_her_in_pages_documents_and_events(client_for):
    assert connection.vendor == "postgresql"
    world = build_world()
    shelf = build_shelf(world)
    admin = PersonFactory(username="it", is_staff=True, is_superuser=True)
    alice, bob, carol = world.team.people
    files = [v.file.path for v in DocumentVersion.objects.filter(uploaded_by=alice)]
    client = client_for(bob)
    assert "Wie weet wat" in client.get("/search/?q=Vries").content.decode()

    erasure = actions.erase_person(admin, alice, keep_contributions=False)

    summary = erasure.summary()
    assert (summary["event_answers"], summary["calendar_links"]) == (2, 1)
    assert (summary["pages_handed_over"], summary["documents_removed"]) == (1, 1)
    assert summary["document_versions_removed"] == 1
    assert not Attendance.objects.filter(person=alice).exists()
    assert not CalendarFeed.objects.filter(person=alice).exists()
    assert Attendance.objects.get(event=shelf.full_event, person=carol).status == "going"
    assert Page.objects.get(pk=shelf.alice_page.pk).owner_person == bob
    assert not Document.objects.filter(uploaded_by=alice).exists()
    assert Document.objects.get(pk=shelf.bob_document.pk).current.number == 1
    assert not any(os.path.exists(name) for name in files)
    for kind in ("", "&kind=knowledge", "&kind=documents", "&kind=events"):
        html = client.get(f"/search/?q=Vries{kind}").content.decode()
        assert "Alice de Vries" not in html and "Wie weet wat" not in html, kind
