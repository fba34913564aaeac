"""What the agenda adds elsewhere: the feed card, emails at once, the digest's section,
and search."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agenda import actions
from notices import emails
from tests.agenda.helpers import make_event
from tests.factories import PersonFactory
from tests.notices.helpers import prefs

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_feed_card_is_on_the_group_page_and_home_timelines(team, client_for):
    event = make_event(team.alice, team.group, title="Scholingsmiddag")
    for url in ["/", "/groups/wondzorg/"]:
        html = client_for(team.bob).get(url).content.decode()
        assert 'class="post post-event"' in html, url
        assert "Scholingsmiddag" in html and f'href="/agenda/{event.pk}/"' in html


def test_the_one_moved_up_gets_an_email_at_once(team):
    for person in team.people:
        prefs(person)
    event = make_event(team.alice, team.group, capacity=1, title="Workshop")
    actions.sign_up(team.bob, event)
    actions.sign_up(team.carol, event)
    mail.outbox.clear()
    actions.decline(team.bob, event)
    assert [m.to for m in mail.outbox] == [["carol@k.test"]]
    assert mail.outbox[0].subject == "A place came free: you are going to Workshop"
    assert "/notifications/" in mail.outbox[0].body


def test_a_cancelled_event_is_mailed_to_those_going_and_waiting(team):
    for person in team.people:
        prefs(person)
    event = make_event(team.alice, team.group, capacity=1, title="Workshop")
    actions.sign_up(team.bob, event)
    actions.sign_up(team.carol, event)
    mail.outbox.clear()
    actions.cancel_event(team.alice, event)
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@k.test", "carol@k.test"]
    assert {m.subject for m in mail.outbox} == {"Cancelled: Workshop"}


def digest_of(person):
    return emails.build_digest(person, "weekly", timezone.now() - timedelta(days=7))


def test_the_digest_lists_ones_events_in_the_coming_week(team):
    soon = make_event(team.alice, team.group, title="Deze week", days=3)
    later = make_event(team.alice, team.group, title="Later", days=12)
    make_event(team.alice, team.group, title="Niet aangemeld", days=2)
    for event in (soon, later):
        actions.sign_up(team.bob, event)
    digest = digest_of(team.bob)
    assert not digest.is_empty
    [(section, items)] = digest.sections
    assert str(section.label) == "Your events in the coming week"
    assert [item.text for item in items] == ["Deze week"]
    assert items[0].url == f"/agenda/{soon.pk}/"
    message = emails.digest_email(digest, prefs(team.bob))
    assert "Your events in the coming week" in message.body and "Deze week" in message.body
    assert "Deze week" in message.alternatives[0][0]
    assert digest_of(team.carol).sections == []


def test_the_digest_section_costs_the_same_queries_for_one_event_or_many(team):
    def queries_of_digest():
        with CaptureQueriesContext(connection) as captured:
            digest_of(team.bob)
        return len(captured)

    actions.sign_up(team.bob, make_event(team.alice, team.group, days=2))
    one = queries_of_digest()
    for n in range(6):
        actions.sign_up(team.bob, make_event(team.alice, None, title=f"E{n}", days=1 + n % 5))
    assert queries_of_digest() == one


def found(viewer, typed):
    from search import queries

    results = queries.search(viewer, typed, queries.Filters())
    return [
        f"{hit.kind}:{re.sub('<[^>]+>', '', hit.title or hit.snippet)}"
        for section in results.sections
        for hit in section.hits
    ]


def test_events_are_found_by_title_description_and_place(team, client_for):
    make_event(team.alice, team.group, title="Reanimatietraining", place="Gebouw Oost")
    make_event(team.alice, None, title="Nieuwjaarsborrel", description="Met hapjes en drankjes")
    # The event, and its card in the group's feed.
    assert found(team.bob, "reanimatie") == ["event:Reanimatietraining", "post:Reanimatietraining"]
    assert "event:Reanimatietraining" in found(team.bob, "oost")
    assert found(PersonFactory(), "hapjes") == ["event:Nieuwjaarsborrel"]
    page = client_for(team.bob).get("/search/", {"q": "reanimatie"}).content.decode()
    assert '<h2 id="results-events">' in page
    assert "Events" in page and "Zaal" not in page
