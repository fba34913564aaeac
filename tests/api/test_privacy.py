"""Secret stays secret over the API, as on the pages: for every kind of viewer (an
outsider, a member of another group, a member, a manager, someone removed) and a
secret and a closed group, every list, filter and detail of a post, its replies,
the group, a knowledge page, a document, an event and a notification reaches
exactly the group's members and managers. To the others a private thing's detail
is the same 404 as an id that does not exist, and writing into it is that 404 too,
with nothing written."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agenda.models import Event
from communities import actions
from communities.models import Post, Reaction, Reply
from documents.models import Document
from knowledge.models import Page
from tests.agenda.helpers import make_event
from tests.api.endpoints import api_as
from tests.documents.helpers import add
from tests.knowledge.helpers import make_page
from tests.test_privacy import ENTITLED, VIEWERS, build_world

MISSING = 999_999
START = (timezone.now() + timedelta(days=5)).isoformat()
END = (timezone.now() + timedelta(days=5, hours=1)).isoformat()


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


def _private_content(world, slug, capture):
    alice, viewers, private = world
    group = private[slug]
    marker = f"vertrouwelijk-{slug}"
    mentions = " ".join(f"@{name}" for name in VIEWERS)
    with capture(execute=True):
        post = actions.post_to_group(alice, group, f"{marker} {mentions} #vertrouwelijk")
    with capture(execute=True):
        reply = actions.reply_to_post(viewers["member"], post, f"antwoord {marker}")
    page = make_page(alice, title=f"Pagina {marker}", body=f"{marker} #vertrouwelijk", group=group)
    document = add(alice, title=f"Document {marker}", group=group)
    event = make_event(alice, group, title=f"Afspraak {marker}")
    return marker, {
        "post": post,
        "reply": reply,
        "page": page,
        "document": document,
        "event": event,
    }


def _shows(response, marker: str) -> bool:
    assert response.status_code in (200, 404), (response.status_code, response.content)
    return marker in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize("slug", ["geheim", "team"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_list_filter_and_detail_shows_private_things_only_to_members(
    world, django_capture_on_commit_callbacks, slug, viewer
):
    marker, things = _private_content(world, slug, django_capture_on_commit_callbacks)
    entitled = viewer in ENTITLED
    api = api_as(world[1][viewer])
    post = things["post"]
    lists = [
        "/api/v1/posts/",
        "/api/v1/posts/?tag=vertrouwelijk",
        "/api/v1/posts/?author=alice",
        f"/api/v1/posts/?group={slug}",
        f"/api/v1/posts/{post.pk}/replies/",
        "/api/v1/pages/",
        "/api/v1/pages/?tag=vertrouwelijk",
        f"/api/v1/pages/?group={slug}",
        "/api/v1/documents/",
        f"/api/v1/documents/?group={slug}",
        "/api/v1/events/",
        f"/api/v1/events/?group={slug}",
        "/api/v1/notifications/",
        "/api/v1/notifications/?unread=true",
    ]
    for url in lists:
        assert _shows(api.get(url), marker) == entitled, f"{viewer} on {url}"
    slugs = [g["slug"] for g in api.get("/api/v1/groups/").json()["results"]]
    assert (slug in slugs) == entitled

    details = {
        "/api/v1/posts/{}/": post.pk,
        "/api/v1/pages/{}/": things["page"].pk,
        "/api/v1/documents/{}/": things["document"].pk,
        "/api/v1/events/{}/": things["event"].pk,
        "/api/v1/groups/{}/": slug,
    }
    for pattern, key in details.items():
        response = api.get(pattern.format(key))
        if entitled:
            assert response.status_code == 200, pattern
        else:
            missing = api.get(pattern.format(MISSING if key != slug else "bestaat-niet"))
            assert (
                (response.status_code, response.json())
                == (
                    missing.status_code,
                    missing.json(),
                )
                == (404, missing.json())
            ), pattern


@pytest.mark.parametrize("slug", ["geheim", "team"])
@pytest.mark.parametrize("viewer", sorted(set(VIEWERS) - ENTITLED))
def test_writing_into_what_one_cannot_read_is_the_missing_404(
    world, django_capture_on_commit_callbacks, slug, viewer
):
    marker, things = _private_content(world, slug, django_capture_on_commit_callbacks)
    api = api_as(world[1][viewer])
    post, page, event = things["post"], things["page"], things["event"]
    writes = [
        api.post("/api/v1/posts/", {"group": slug, "text": "binnendringen"}, format="json"),
        api.patch(f"/api/v1/posts/{post.pk}/", {"text": "binnendringen"}, format="json"),
        api.delete(f"/api/v1/posts/{post.pk}/"),
        api.post(f"/api/v1/posts/{post.pk}/replies/", {"text": "binnendringen"}, format="json"),
        api.delete(f"/api/v1/posts/{post.pk}/replies/{things['reply'].pk}/"),
        api.post(f"/api/v1/posts/{post.pk}/reactions/", {"reaction": "like"}, format="json"),
        api.post(
            "/api/v1/pages/", {"title": "x", "text": "binnendringen", "group": slug}, format="json"
        ),
        api.patch(
            f"/api/v1/pages/{page.pk}/", {"text": "binnendringen", "version": 1}, format="json"
        ),
        api.post(f"/api/v1/events/{event.pk}/attendance/"),
        api.post(
            "/api/v1/events/",
            {"title": "binnendringen", "group": slug, "start": START, "end": END},
            format="json",
        ),
        api.patch(f"/api/v1/events/{event.pk}/", {"title": "binnendringen"}, format="json"),
        api.post(f"/api/v1/events/{event.pk}/cancel/"),
        api.post(
            "/api/v1/documents/",
            {"file": SimpleUploadedFile("binnendringen.txt", b"binnendringen"), "group": slug},
            format="multipart",
        ),
        api.post(f"/api/v1/groups/{slug}/membership/"),
    ]
    assert [r.status_code for r in writes] == [404] * len(writes)
    assert not Event.objects.filter(title="binnendringen").exists()
    assert not Document.objects.filter(title__contains="binnendringen").exists()
    assert not Post.objects.filter(body__contains="binnendringen").exists()
    assert not Reply.objects.filter(body__contains="binnendringen").exists()
    assert not Reaction.objects.exists()
    assert not Page.objects.filter(body__contains="binnendringen").exists()
    post.refresh_from_db()
    assert post.deleted_at is None
    assert Reply.objects.get(pk=things["reply"].pk).deleted_at is None
    assert not event.attendances.exists()
    event.refresh_from_db()
    assert event.cancelled_at is None
