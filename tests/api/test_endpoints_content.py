"""Knowledge pages, documents and events over the API: the same rule of who sees
what, and pages written through knowledge's actions (a version conflict is a 409)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from agenda.models import Attendance
from communities.models import Membership
from knowledge.models import Page
from tests.agenda.helpers import make_event
from tests.api.endpoints import answering_queries, api_as
from tests.documents.helpers import add
from tests.knowledge.helpers import edit, make_page

PAGES = "/api/v1/pages/"


def test_a_page_written_over_the_api_is_the_page_on_the_site(team, client_for):
    api = api_as(team.alice)
    response = api.post(
        PAGES,
        {"title": "Wondprotocol", "text": "Spoel **altijd** #wondzorg", "group": "wondzorg"},
        format="json",
    )
    assert response.status_code == 201, response.content
    page = response.json()
    assert page["version"] == 1 and page["tags"] == ["wondzorg"]
    assert "<strong>altijd</strong>" in page["html"]
    assert page["owner"] == {"type": "person", "name": "Alice de Vries"}
    assert page["group"]["slug"] == "wondzorg"
    assert page["review_by"]
    shown = client_for(team.bob).get(f"/pages/{page['id']}/").content.decode()
    assert "<strong>altijd</strong>" in shown


def test_saving_from_an_old_version_is_a_conflict_and_writes_nothing(team):
    page = make_page(team.alice)
    edit(team.bob, page, "Nieuwer")
    response = api_as(team.carol).patch(
        f"{PAGES}{page.pk}/", {"text": "Van versie 1", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["version"] == 2
    page.refresh_from_db()
    assert page.body == "Nieuwer" and page.version == 2
    response = api_as(team.carol).patch(
        f"{PAGES}{page.pk}/", {"text": "Van versie 2", "version": 2}, format="json"
    )
    assert response.status_code == 200 and response.json()["version"] == 3
    assert response.json()["title"] == "Wondzorg protocol"
    missing = api_as(team.carol).patch(f"{PAGES}{page.pk}/", {"text": "x"}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()


def test_writing_a_page_in_a_group_one_is_not_in_is_refused(team):
    Membership.objects.filter(person=team.carol).delete()
    response = api_as(team.carol).post(
        PAGES, {"title": "T", "text": "x", "group": "wondzorg"}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "Join the group to write pages in it."}
    empty = api_as(team.carol).post(PAGES, {"title": " ", "text": "x"}, format="json")
    assert empty.status_code == 400
    assert not Page.objects.exists()


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_pages_costs_the_same_queries(team, count):
    for n in range(count):
        make_page(team.alice, title=f"Pagina {n}", body=f"Tekst #tag{n}", group=team.group)
    # The pages with their group and owners; their tags.
    assert len(answering_queries(api_as(team.bob), PAGES)) == 2


def test_pages_filter_by_group_and_tag(team):
    make_page(team.alice, title="In groep", group=team.group)
    make_page(team.alice, title="Overal", body="#algemeen")
    api = api_as(team.bob)
    titles = lambda **p: [x["title"] for x in api.get(PAGES, p).json()["results"]]  # noqa: E731
    assert titles() == ["Overal", "In groep"]
    assert titles(group="wondzorg") == ["In groep"]
    assert titles(tag="algemeen") == ["Overal"]


def test_documents_list_and_detail_link_to_the_checked_download(team, client_for):
    document = add(team.alice, group=team.group)
    api = api_as(team.bob)
    listed = api.get("/api/v1/documents/").json()["results"]
    assert [d["title"] for d in listed] == ["Protocol wondzorg"]
    detail = api.get(f"/api/v1/documents/{document.pk}/").json()
    assert detail["version"] == 1 and detail["file_name"] == "protocol.docx"
    path = detail["file_url"].removeprefix("http://testserver")
    assert client_for(team.bob).get(path).status_code == 200
    assert api.get("/api/v1/documents/", {"group": "organisation"}).json()["results"] == []


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_documents_costs_the_same_queries(team, count):
    for n in range(count):
        add(team.alice, title=f"Document {n}", name=f"d{n}.docx", text=f"tekst {n}")
    # The documents with group, uploader and current version; their tags.
    assert len(answering_queries(api_as(team.bob), "/api/v1/documents/")) == 2


def test_events_upcoming_by_default_or_in_a_range_and_signing_up(team):
    soon = make_event(team.alice, team.group, days=2, capacity=1)
    later = make_event(team.alice, None, days=40, title="Jaarfeest")
    api = api_as(team.bob)
    events = api.get("/api/v1/events/").json()["results"]
    assert [e["title"] for e in events] == ["Intervisie wondzorg", "Jaarfeest"]
    day = (timezone.localtime(later.start)).date()
    ranged = api.get("/api/v1/events/", {"from": str(day), "to": str(day)}).json()["results"]
    assert [e["id"] for e in ranged] == [later.pk]
    for wrong in ("gisteren", "2026-02-30", "2026-02-01T25:00", "9999-12-31"):
        assert api.get("/api/v1/events/", {"from": "2026-01-01", "to": wrong}).status_code == 400
    response = api.post(f"/api/v1/events/{soon.pk}/attendance/")
    assert response.status_code == 200 and response.json() == {"status": "going"}
    waiting = api_as(team.carol).post(f"/api/v1/events/{soon.pk}/attendance/")
    assert waiting.json() == {"status": "waiting"}
    detail = api.get(f"/api/v1/events/{soon.pk}/").json()
    assert detail["going"] == 1 and detail["my_answer"] == "going"
    assert api.delete(f"/api/v1/events/{soon.pk}/attendance/").json() == {"status": "not_going"}
    # The place given up went to the first one waiting, as on the page.
    assert Attendance.objects.get(event=soon, person=team.carol).status == "going"


def test_signing_up_for_a_started_event_is_refused_as_json(team):
    started = make_event(team.alice, team.group, start=timezone.now() - timedelta(minutes=5))
    response = api_as(team.bob).post(f"/api/v1/events/{started.pk}/attendance/")
    assert response.status_code == 400
    assert response.json() == {"detail": ["This event has started: sign-up is closed."]}


@pytest.mark.parametrize("count", [2, 12])
def test_a_page_of_events_costs_the_same_queries(team, count):
    for n in range(count):
        make_event(team.alice, team.group, days=n + 1)
    # The events with their counts; the person's answers.
    assert len(answering_queries(api_as(team.bob), "/api/v1/events/")) == 2


def test_an_event_added_over_the_api_is_on_the_agenda_with_its_card_and_can_be_called_off(
    team, client_for, django_capture_on_commit_callbacks
):
    api = api_as(team.bob)
    start = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/events/",
            {
                "title": "Scholing wondzorg",
                "group": team.group.slug,
                "start": start.isoformat(),
                "end": (start + timedelta(hours=2)).isoformat(),
                "capacity": 12,
                "place": "Zaal 3",
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    event = response.json()
    assert (event["title"], event["capacity"], event["group"]["slug"]) == (
        "Scholing wondzorg",
        12,
        team.group.slug,
    )
    # The same event as the agenda shows it, with its card in the group's feed.
    assert (
        "Scholing wondzorg"
        in client_for(team.alice).get(f"/agenda/{event['id']}/").content.decode()
    )
    assert (
        "Scholing wondzorg"
        in client_for(team.alice).get(f"/groups/{team.group.slug}/").content.decode()
    )

    moved = api.patch(f"/api/v1/events/{event['id']}/", {"place": "Zaal 5"}, format="json")
    assert moved.status_code == 200 and moved.json()["place"] == "Zaal 5"
    # Someone else's event: only its organiser (or the group's managers) changes it.
    assert api_as(team.carol).patch(
        f"/api/v1/events/{event['id']}/", {"place": "Kelder"}, format="json"
    ).status_code in (403, 404)
    cancelled = api.post(f"/api/v1/events/{event['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_at"] is not None


def test_a_wrong_event_is_refused_field_by_field_and_nothing_is_written(team):
    start = timezone.now() + timedelta(days=3)
    response = api_as(team.bob).post(
        "/api/v1/events/",
        {"title": "Omgekeerd", "start": start.isoformat(), "end": start.isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "end" in response.json()
    from agenda.models import Event

    assert not Event.objects.filter(title="Omgekeerd").exists()


def test_a_document_uploaded_over_the_api_is_in_the_library_and_a_wrong_file_is_refused(
    team, client_for
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.models import Document

    api = api_as(team.bob)
    response = api.post(
        "/api/v1/documents/",
        {
            "file": SimpleUploadedFile("rooster.txt", b"Rooster voor december\n", "text/plain"),
            "title": "Rooster december",
            "group": team.group.slug,
            "tags": "#rooster",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    document = response.json()
    assert (document["title"], document["tags"], document["version"]) == (
        "Rooster december",
        ["rooster"],
        1,
    )
    assert client_for(team.alice).get(document["file_url"]).status_code == 200

    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not a picture at all", "image/jpeg")
    refused = api.post("/api/v1/documents/", {"file": fake, "title": "Nep"}, format="multipart")
    assert refused.status_code == 400
    assert "foto.jpg is not a file the library takes" in str(refused.json())
    assert not Document.objects.filter(title="Nep").exists()
