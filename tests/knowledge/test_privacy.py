"""Secret stays secret on knowledge pages: for every kind of viewer (an outsider,
a member of another group, a member, a manager, someone removed) and a secret and a
closed group, every path of a page in the group (the page, the list and its
filters, the history and a difference, the edit form, "still correct", restoring,
search, the live push, notifications) reaches exactly the group's members and
managers; and to the others a page in the group looks like a page that does not
exist. An organisation-wide page reaches everyone."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from communities import actions as core
from knowledge import actions
from knowledge.actions import Steward
from notices import queries as notice_queries
from project.asgi import application
from tests.knowledge.helpers import edit, main_of, make_page
from tests.sockets import ORIGIN, session_cookie, settled
from tests.test_privacy import ENTITLED, VIEWERS, build_world

SLUGS = ["geheim", "team"]


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


def _private_page(alice, group, marker):
    page = make_page(
        alice,
        title=f"Pagina {marker}",
        body=f"Vertrouwelijk {marker} #vertrouwelijk",
        group=group,
    )
    edit(alice, page, f"Vertrouwelijk {marker} herzien #vertrouwelijk")
    return page


def _urls(page) -> list[str]:
    return [
        reverse("page_detail", args=[page.pk]),
        reverse("page_history", args=[page.pk]),
        reverse("page_history", args=[page.pk]) + "?from=1&to=2",
        reverse("page_edit", args=[page.pk]),
        reverse("page_list"),
        reverse("page_list") + "?tag=vertrouwelijk",
        reverse("page_list") + f"?group={page.group_id}",
    ]


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_page_shows_a_private_page_only_to_members(world, client_for, slug, viewer):
    alice, viewers, private = world
    marker = f"kennis{slug}"
    page = _private_page(alice, private[slug], marker)
    client = client_for(viewers[viewer])
    for url in _urls(page):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        shown = marker in response.content.decode()
        assert shown == (viewer in ENTITLED), f"{viewer} on {url}: shown={shown}"


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("viewer", ["outsider", "other_member", "removed"])
def test_to_others_a_private_page_looks_like_one_that_does_not_exist(
    world, client_for, slug, viewer
):
    alice, viewers, private = world
    page = _private_page(alice, private[slug], "x")
    client = client_for(viewers[viewer])
    missing = page.pk + 1000
    for name in ("page_detail", "page_history", "page_edit"):
        there = client.get(reverse(name, args=[page.pk]))
        not_there = client.get(reverse(name, args=[missing]))
        assert there.status_code == not_there.status_code == 404
        assert main_of(there) == main_of(not_there)
    for url in (reverse("page_check", args=[page.pk]), reverse("page_restore", args=[page.pk, 1])):
        assert client.post(url).status_code == 404
    page.refresh_from_db()
    assert page.version == 2 and page.checked_at is None


@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_organisation_wide_page_reaches_everyone(world, client_for, viewer):
    alice, viewers, private = world
    page = make_page(alice, title="Voor iedereen", body="openbaarwoord")
    html = client_for(viewers[viewer]).get(page.get_absolute_url()).content.decode()
    assert "openbaarwoord" in html


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_finds_a_private_page_only_for_members(
    world, client_for, slug, viewer, django_capture_on_commit_callbacks
):
    alice, viewers, private = world
    term = f"zoekkennis{slug}"
    with django_capture_on_commit_callbacks(execute=True):
        _private_page(alice, private[slug], term)
    client = client_for(viewers[viewer])
    for url in (
        f"/search/?q={term}",
        f"/search/?q={term}&kind=knowledge",
        f"/search/?q={term}&order=newest",
        f"/search/suggestions/?q={term}",
    ):
        html = client.get(url).content.decode()
        shown = f"{term}</mark>" in html or f"Pagina {term}" in html
        assert shown == (viewer in ENTITLED), f"{viewer} on {url}"


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("viewer", VIEWERS)
def test_notifications_of_a_private_page_reach_only_members(
    world, client_for, slug, viewer, django_capture_on_commit_callbacks
):
    """The viewer owns one page and is deputy of another: only the rule keeps them out."""
    alice, viewers, private = world
    person = viewers[viewer]
    bob = viewers["manager"]
    with django_capture_on_commit_callbacks(execute=True):
        owned = make_page(
            alice, title="Eigen", body="x", group=private[slug], owner=Steward(person=person)
        )
        edit(alice, owned, "gewijzigd door Alice")
        deputy_of = make_page(
            bob,
            title="Plaatsvervanger",
            body="y",
            group=private[slug],
            deputy=Steward(person=person),
        )
        admin = viewers["outsider"]
        admin.is_staff = admin.is_superuser = True
        admin.save()
        if viewer != "manager":
            core.deactivate_person(admin, bob)
    kinds = {n.kind for n in notice_queries.latest(person, 50)}
    assert (actions.PAGE_CHANGED in kinds) == (viewer in ENTITLED), viewer
    if viewer != "manager":
        assert (actions.PAGE_HANDED_OVER in kinds) == (viewer == "member"), viewer
    html = client_for(person).get(reverse("notices")).content.decode()
    assert ("Eigen" in html) == (viewer in ENTITLED), viewer
    assert deputy_of


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slug", SLUGS)
async def test_the_live_push_of_a_private_page_reaches_only_members(slug):
    alice, viewers, private = await database_sync_to_async(build_world)()
    page = await database_sync_to_async(make_page)(
        alice, title="Live", body="een", group=private[slug]
    )
    sockets = []
    for name, viewer in viewers.items():
        cookie = await database_sync_to_async(session_cookie)(viewer)
        communicator = WebsocketCommunicator(
            application, f"/ws/pages/{page.pk}/", headers=[ORIGIN, cookie]
        )
        await communicator.connect()
        sockets.append((name, communicator))
    await database_sync_to_async(edit)(alice, page, "twee")
    for name, communicator in sockets:
        received = await settled(communicator, viewers[name], may_close=True)
        shown = any("Updated by" in message for message in received)
        assert shown == (name in ENTITLED), f"{name}: {received}"
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_member_removed_stops_hearing_an_open_page():
    alice, viewers, private = await database_sync_to_async(build_world)()
    group = private["team"]
    page = await database_sync_to_async(make_page)(alice, title="Live", body="een", group=group)
    member = viewers["member"]
    cookie = await database_sync_to_async(session_cookie)(member)
    socket = WebsocketCommunicator(application, f"/ws/pages/{page.pk}/", headers=[ORIGIN, cookie])
    await socket.connect()
    await database_sync_to_async(core.remove_member)(alice, group, member)
    await database_sync_to_async(edit)(alice, page, "twee")
    received = await settled(socket, member, may_close=True)
    assert not any("Updated by" in message for message in received), received
    await socket.disconnect()
