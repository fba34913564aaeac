"""A page is found by a word of its text (in its other Dutch forms), stays found past
its review date, and reaches open copies of itself live when it is saved."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from knowledge.models import Page
from search import queries
from tests.knowledge.helpers import edit, make_page
from tests.sockets import settled, socket_of

pytestmark = pytest.mark.django_db(transaction=True)


def found(viewer, typed, **filters) -> list[str]:
    results = queries.search(viewer, typed, queries.Filters(**filters))
    return [
        f"{hit.kind}:{re.sub('<[^>]+>', '', hit.title or hit.snippet)}"
        for section in results.sections
        for hit in section.hits
    ]


def test_a_page_is_found_by_a_word_in_its_text_and_comes_before_posts(team):
    from communities import actions as core

    make_page(team.alice, title="Protocol decubitus", body="Regels voor goede wondzorg thuis")
    core.post_to_group(team.alice, team.group, "Vraag over wondzorg")
    hits = found(team.bob, "wondzorg")
    assert "page:Protocol decubitus" in hits
    assert hits.index("page:Protocol decubitus") < hits.index("post:Vraag over wondzorg")
    assert found(team.bob, "regel", section="knowledge") == ["page:Protocol decubitus"]


def test_an_edit_is_found_and_a_page_past_review_still_is(team):
    page = make_page(team.alice, title="Handhygiëne", body="Was je handen")
    edit(team.bob, page, "Desinfecteer je handen met alcohol")
    assert found(team.carol, "alcohol") == ["page:Handhygiëne"]
    Page.objects.filter(pk=page.pk).update(created_at=timezone.now() - timedelta(days=800))
    assert Page.objects.get(pk=page.pk).past_review
    assert found(team.carol, "alcohol") == ["page:Handhygiëne"]


async def test_an_open_page_hears_who_saved_it(team):
    page = await database_sync_to_async(make_page)(team.alice, title="Live", body="een")
    socket = await socket_of(team.carol, f"/ws/pages/{page.pk}/")
    await database_sync_to_async(edit)(team.bob, page, "twee")
    received = await settled(socket, team.carol)
    assert len(received) == 1
    assert "Updated by Bob Jansen just now." in received[0]
    assert 'id="page-updates" hx-swap-oob="innerHTML"' in received[0]
    await socket.disconnect()


async def test_a_dutch_page_hears_it_in_dutch(team):
    page = await database_sync_to_async(make_page)(team.alice, title="Live", body="een")
    socket = await socket_of(team.carol, f"/ws/pages/{page.pk}/?lang=nl")
    await database_sync_to_async(edit)(team.bob, page, "twee")
    received = await settled(socket, team.carol)
    assert len(received) == 1 and "Bob Jansen" in received[0]
    await socket.disconnect()


async def test_a_socket_that_opens_on_a_page_saved_since_is_told_at_once(team):
    page = await database_sync_to_async(make_page)(team.alice, title="Live", body="een")
    await database_sync_to_async(edit)(team.bob, page, "twee")
    stale = await socket_of(team.carol, f"/ws/pages/{page.pk}/?v=1")
    received = await settled(stale, team.carol)
    assert len(received) == 1 and "Updated by Bob Jansen just now." in received[0]
    await stale.disconnect()
    fresh = await socket_of(team.carol, f"/ws/pages/{page.pk}/?v=2")
    assert await settled(fresh, team.carol) == []
    await fresh.disconnect()
