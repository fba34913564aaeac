"""Secret stays secret when it leaves Kring: an integration hears only of what its
account may read, by the one visibility rule. Its account is a member of an open
group only (its hook's); the secret and closed groups' posts, events and pages
never go out, nor do they once it is removed from a group it was in."""

from __future__ import annotations

import pytest

from communities import actions
from communities.models import Group
from integrations.models import Event
from tests.agenda.helpers import make_event
from tests.factories import GroupFactory
from tests.integrations.helpers import make_hook, receiver, subscribe
from tests.knowledge.helpers import edit, make_page
from tests.test_privacy import build_world

PRIVATE = ["geheim", "team"]  # the secret and the closed group


@pytest.fixture
def world(db):
    alice, viewers, private = build_world()
    open_group = GroupFactory(slug="open", privacy=Group.Privacy.OPEN, members=[alice])
    integration = make_hook(open_group).integration
    return alice, private, open_group, integration


def everything_in(alice, group):
    """A post, an event and a page edit in ``group``."""
    actions.post_to_group(alice, group, "Vertrouwelijk #vertrouwelijk")
    make_event(alice, group, title="Vertrouwelijk overleg")
    page = make_page(alice, group=group, title="Vertrouwelijk protocol")
    edit(alice, page, "Vertrouwelijk, bewerkt")


@pytest.mark.parametrize("slug", PRIVATE)
def test_nothing_of_a_private_group_goes_out(world, slug, django_capture_on_commit_callbacks):
    alice, private, open_group, integration = world
    with receiver() as site:
        subscribe(integration, site.url, events=list(Event.values))
        with django_capture_on_commit_callbacks(execute=True):
            everything_in(alice, private[slug])
            everything_in(alice, open_group)
    sent = [request.json for request in site.received]
    assert sorted(request["event"] for request in sent) == [
        "event.created",
        "page.updated",
        "post.created",
        "post.created",  # the event's card in the open group's feed
    ]
    assert all(slug not in str(request) for request in sent)
    assert {
        (request.get("post") or request.get("page") or request.get("agenda_event"))["group"]["slug"]
        for request in sent
    } == {"open"}


@pytest.mark.parametrize("slug", PRIVATE)
def test_an_integration_removed_from_a_private_group_hears_no_more(
    world, slug, django_capture_on_commit_callbacks
):
    alice, private, open_group, _integration = world
    integration = make_hook(private[slug]).integration
    with receiver() as site:
        subscribe(integration, site.url)
        with django_capture_on_commit_callbacks(execute=True):
            actions.post_to_group(alice, private[slug], "Nog lid")
        actions.remove_member(alice, private[slug], integration.account)
        with django_capture_on_commit_callbacks(execute=True):
            actions.post_to_group(alice, private[slug], "Niet meer lid")
    assert [request.json["post"]["text"] for request in site.received] == ["Nog lid"]
