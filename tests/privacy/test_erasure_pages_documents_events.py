"""Erasing a person in knowledge pages, the document library and the agenda: their
answers and calendar address go (the waiting list moves up), the pages they own pass
to their deputies, the versions they saved stay by "Former colleague", the documents
they uploaded stay or go as the administrator chose; all of it or nothing."""

from __future__ import annotations

import os

import pytest

from agenda.models import Attendance, CalendarFeed
from audit.models import Entry as AuditEntry
from documents.models import Document, DocumentVersion
from knowledge.models import Page, PageVersion
from privacy import actions
from tests.agenda.helpers import notice_kinds_of
from tests.factories import PersonFactory
from tests.privacy.helpers import build_shelf, build_world

Status = Attendance.Status


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


@pytest.fixture
def shelf(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_shelf(world)


@pytest.fixture
def admin(db):
    return PersonFactory(username="it", is_staff=True, is_superuser=True)


def erase(admin, person, on_commit, keep=True):
    with on_commit(execute=True):
        return actions.erase_person(admin, person, keep_contributions=keep)


def files_of_documents(*documents: Document) -> list[str]:
    return [v.file.path for d in documents for v in DocumentVersion.objects.filter(document=d)]


def test_her_answers_and_calendar_link_go_and_the_waiting_list_moves_up(
    world, shelf, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob, carol = world.team.people
    full = shelf.full_event
    assert Attendance.objects.get(event=full, person=carol).status == Status.WAITING
    erasure = erase(admin, alice, django_capture_on_commit_callbacks)
    assert not Attendance.objects.filter(person=alice).exists()
    assert not CalendarFeed.objects.filter(person=alice).exists()
    assert Attendance.objects.get(event=full, person=carol).status == Status.GOING
    assert "event_moved_up" in notice_kinds_of(carol)
    summary = erasure.summary()
    assert (summary["event_answers"], summary["calendar_links"]) == (2, 1)
    [entry] = AuditEntry.objects.filter(verb="person_erased")
    assert entry.detail["event_answers"] == 2 and entry.detail["calendar_links"] == 1

    # Bob organises the event: its list of who goes names her no more.
    client = client_for(bob)
    page = client.get(f"/agenda/{full.pk}/").content.decode()
    assert "Carol Smit" in page
    assert "Alice de Vries" not in page and "Former colleague" not in page
    csv = client.get(f"/agenda/{full.pk}/attendees.csv").content.decode()
    assert "Carol Smit" in csv and "Alice de Vries" not in csv
    # The event she organised stays, organised by "Former colleague", without a link.
    mine = client.get(f"/agenda/{shelf.alice_event.pk}/").content.decode()
    assert "Intervisie verbandkeuze" in mine and "Former colleague" in mine
    assert "Alice de Vries" not in mine and "/people/alice/" not in mine


def test_her_pages_pass_to_their_deputies_and_her_versions_stay_by_former_colleague(
    world, shelf, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob, carol = world.team.people
    erasure = erase(admin, alice, django_capture_on_commit_callbacks)
    assert erasure.summary()["pages_handed_over"] == 1
    page = Page.objects.get(pk=shelf.alice_page.pk)
    assert (page.owner_person, page.deputy_person) == (bob, None)
    assert Page.objects.get(pk=shelf.carol_page.pk).deputy_person is None
    assert "page_handed_over" in notice_kinds_of(bob)
    assert PageVersion.objects.filter(author=alice).count() == 2
    client = client_for(carol)
    for url in (
        f"/pages/{shelf.bob_page.pk}/history/",
        f"/pages/{shelf.alice_page.pk}/history/",
        f"/pages/{shelf.alice_page.pk}/",
        f"/pages/{shelf.carol_page.pk}/",
        f"/pages/{shelf.mention_page.pk}/",
        "/pages/",
    ):
        html = client.get(url).content.decode()
        assert "Alice de Vries" not in html and "/people/alice/" not in html, url
    history = client.get(f"/pages/{shelf.alice_page.pk}/history/").content.decode()
    assert "Former colleague" in history
    # The mention on Bob's page is the plain text that was typed.
    assert "vraag het @alice." in Page.objects.get(pk=shelf.mention_page.pk).body_html


def test_her_documents_stay_in_the_library_when_her_contributions_are_kept(
    world, shelf, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob = world.team.alice, world.team.bob
    files = files_of_documents(shelf.alice_document, shelf.bob_document)
    erasure = erase(admin, alice, django_capture_on_commit_callbacks, keep=True)
    summary = erasure.summary()
    assert (summary["documents_removed"], summary["document_versions_removed"]) == (0, 0)
    assert all(os.path.exists(name) for name in files)
    assert Document.objects.get(pk=shelf.alice_document.pk).uploaded_by_id == alice.pk
    html = client_for(bob).get(f"/documents/{shelf.alice_document.pk}/").content.decode()
    assert "Handboek verbandkeuze" in html and "Former colleague" in html
    assert "Alice de Vries" not in html and "/people/alice/" not in html


def test_her_documents_go_files_and_all_when_her_contributions_are_removed(
    world, shelf, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob = world.team.alice, world.team.bob
    hers = files_of_documents(shelf.alice_document)
    her_version = shelf.bob_document.versions.get(number=2)
    bobs_version = shelf.bob_document.versions.get(number=1)
    erasure = erase(admin, alice, django_capture_on_commit_callbacks, keep=False)
    summary = erasure.summary()
    assert (summary["documents_removed"], summary["document_versions_removed"]) == (1, 1)
    assert not Document.objects.filter(pk=shelf.alice_document.pk).exists()
    assert not any(os.path.exists(name) for name in [*hers, her_version.file.path])
    # Bob's document stays, showing his own version again.
    document = Document.objects.get(pk=shelf.bob_document.pk)
    assert document.current_id == bobs_version.pk
    assert list(document.versions.values_list("number", flat=True)) == [1]
    assert os.path.exists(bobs_version.file.path)
    client = client_for(bob)
    assert client.get(f"/documents/{shelf.alice_document.pk}/").status_code == 404
    assert "Handboek verbandkeuze" not in client.get("/documents/").content.decode()
    assert "Handboek" not in client.get("/search/?q=verbandkeuze").content.decode()


def test_a_failing_erasure_leaves_everything_as_it_was(
    world, shelf, admin, monkeypatch, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    files = files_of_documents(shelf.alice_document, shelf.bob_document)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    # The last step of all fails, after the agenda, pages and library did their part.
    monkeypatch.setattr("privacy.actions.knowledge_actions.unmention", broken)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        actions.erase_person(admin, alice, keep_contributions=False)
    alice.refresh_from_db()
    assert alice.is_active and not alice.is_erased
    assert Attendance.objects.filter(person=alice).count() == 2
    assert CalendarFeed.objects.filter(person=alice).exists()
    page = Page.objects.get(pk=shelf.alice_page.pk)
    assert (page.owner_person_id, page.deputy_person_id) == (alice.pk, world.team.bob.pk)
    assert Page.objects.get(pk=shelf.carol_page.pk).deputy_person_id == alice.pk
    assert Document.objects.filter(uploaded_by=alice).count() == 1
    assert DocumentVersion.objects.filter(uploaded_by=alice).count() == 2
    assert all(os.path.exists(name) for name in files)
    assert not AuditEntry.objects.filter(verb="person_erased").exists()


# Committed for real: the index follows each commit, as it does when Kring runs.
@pytest.mark.django_db(transaction=True)
def test_search_finds_her_name_nowhere_among_pages_documents_and_events(client_for):
    world = build_world()
    shelf = build_shelf(world)
    admin = PersonFactory(username="it", is_staff=True, is_superuser=True)
    alice, bob = world.team.alice, world.team.bob
    client = client_for(bob)
    # Before: Bob's page that mentions her is found by her name.
    assert "Wie weet wat" in client.get("/search/?q=Vries").content.decode()
    actions.erase_person(admin, alice)
    for query in ("alice", "Vries"):
        for section in ("", "&kind=knowledge", "&kind=documents", "&kind=events"):
            html = client.get(f"/search/?q={query}{section}").content.decode()
            assert "Alice de Vries" not in html and "/people/alice/" not in html, (query, section)
            if query != "alice":  # what Bob typed, "@alice", stays as he typed it
                assert "Wie weet wat" not in html, (query, section)
    # What she contributed is still found by what it says.
    found = client.get("/search/?q=verband").content.decode()
    assert f"/search/open/page/{shelf.alice_page.pk}/" in found
    assert f"/search/open/document/{shelf.alice_document.pk}/" in found
    assert f"/search/open/event/{shelf.alice_event.pk}/" in found
