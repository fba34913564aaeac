"""The download holds what the person did in knowledge pages, the document library and
the agenda, and nothing of others; its cost does not grow with how much they did."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agenda import actions as agenda_actions
from documents import actions as document_actions
from privacy import actions, queries
from privacy.models import DataExport
from tests.agenda.helpers import make_event
from tests.documents.files import docx_bytes
from tests.documents.helpers import add, checked
from tests.knowledge.helpers import edit, make_page
from tests.privacy.helpers import build_shelf, build_world, downloaded, unzip


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


@pytest.fixture
def shelf(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_shelf(world)


def download_of(person, client_for, on_commit) -> dict[str, bytes]:
    client = client_for(person)
    with on_commit(execute=True):
        actions.request_export(person)
    export = DataExport.objects.get(person=person)
    assert export.status == DataExport.Status.READY
    return unzip(downloaded(client.get(f"/settings/data/{export.pk}/download/")))


def test_pages_documents_and_events_are_in_her_download(
    world, shelf, client_for, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    files = download_of(alice, client_for, django_capture_on_commit_callbacks)
    pages = json.loads(files["knowledge_pages.json"])
    saved = [(v["page"]["id"], v["version"], v["note"]) for v in pages["versions_saved"]]
    assert saved == [(shelf.alice_page.pk, 1, ""), (shelf.bob_page.pk, 2, "vak erbij")]
    first = pages["versions_saved"][0]
    assert first["title"] == "Wondverband kiezen"
    assert first["page"]["group"]["name"] == "Kenniskring wondzorg"
    assert pages["versions_saved"][1]["page"]["group"] == "organisation"
    assert first["page"]["address"].endswith(f"/pages/{shelf.alice_page.pk}/")
    looked_after = {(p["title"], p["as"]) for p in pages["pages_looked_after"]}
    assert looked_after == {("Wondverband kiezen", "owner"), ("Roosters", "deputy")}

    documents = json.loads(files["documents.json"])
    [added] = documents["documents_added"]
    assert (added["title"], added["library"]) == ("Handboek verbandkeuze", "organisation")
    uploaded = [
        (v["document"]["title"], v["version"], v["file_name"])
        for v in documents["versions_uploaded"]
    ]
    assert uploaded == [
        ("Handboek verbandkeuze", 1, "handboek.docx"),
        ("Protocol van Bob", 2, "protocol-v2.docx"),
    ]
    mine = documents["versions_uploaded"][1]
    assert mine["document"]["library"]["name"] == "Kenniskring wondzorg"
    assert mine["size"] == shelf.bob_document.versions.get(number=2).size
    assert mine["download"].endswith("/2/protocol-v2.docx")
    # Listed, not copied: no document file is in the download.
    assert not [name for name in files if name.endswith(".docx")]

    events = json.loads(files["events.json"])
    answers = [(a["event"]["title"], a["answer"]) for a in events["answers"]]
    assert answers == [("Teamuitje", "going"), ("Scholing tillen", "not_going")]
    assert events["answers"][0]["starts"].startswith(str(shelf.full_event.start.date()))
    assert events["answers"][0]["answered"]
    [organised] = events["organised"]
    assert (organised["title"], organised["group"]) == ("Intervisie verbandkeuze", "organisation")
    assert events["calendar_link"]["made"]
    readme = files["README.txt"].decode()
    for name in ("knowledge_pages.json", "documents.json", "events.json"):
        assert name in readme


def test_nothing_of_others_and_never_the_calendar_secret(
    world, shelf, client_for, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    token = agenda_actions.new_calendar_link(alice)
    files = download_of(alice, client_for, django_capture_on_commit_callbacks)
    everything = b"".join(files.values()).decode("utf-8", errors="replace")
    for theirs in (
        "Geheime pagina van Carol",
        "Geheim document van Carol",
        "Geheim overleg van Carol",
        "aanvulling van Carol",  # Carol's note on her version of Bob's page
        "Parkeren achter het gebouw",  # a page's text is written by many
        "Wie weet wat",  # Bob's page that only mentions her
        "protocol.docx",  # Bob's own version of his document
        token,
    ):
        assert theirs not in everything, theirs
    events = json.loads(files["events.json"])
    # Carol waits for the same event: her answer is hers.
    assert len(events["answers"]) == 2
    assert set(events["calendar_link"]) == {"made"}


def test_without_a_calendar_link_the_download_says_so(
    world, shelf, client_for, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    agenda_actions.turn_off_calendar_link(alice)
    files = download_of(alice, client_for, django_capture_on_commit_callbacks)
    assert json.loads(files["events.json"])["calendar_link"] is None


def queries_of(person) -> int:
    with CaptureQueriesContext(connection) as captured:
        queries.contents_of(person)
    return len(captured)


def test_the_cost_of_the_download_does_not_grow_with_what_she_did(
    world, shelf, django_capture_on_commit_callbacks
):
    alice, bob = world.team.alice, world.team.bob
    group = world.team.group
    once = queries_of(alice)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            page = make_page(alice, title=f"Pagina {n}", body="Tekst", group=group)
            edit(alice, page, "Tekst, bewerkt", note=f"noot {n}")
            document = add(alice, title=f"Document {n}", name=f"document-{n}.docx")
            document_actions.replace_file(
                alice, document, checked(f"document-{n}-v2.docx", docx_bytes(f"versie {n}"))
            )
            agenda_actions.sign_up(alice, make_event(bob, group, title=f"Overleg {n}", days=9))
            make_event(alice, group, title=f"Mijn overleg {n}", days=20)
    assert queries_of(alice) == once
    # The items were there to be counted.
    contents = queries.contents_of(alice).documents
    assert len(contents["knowledge_pages.json"]["versions_saved"]) == 2 + 6
    assert len(contents["knowledge_pages.json"]["pages_looked_after"]) == 2 + 3
    assert len(contents["documents.json"]["versions_uploaded"]) == 2 + 6
    assert len(contents["events.json"]["answers"]) == 2 + 3
    assert len(contents["events.json"]["organised"]) == 1 + 3
