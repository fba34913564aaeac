"""Notifications: who hears of what, the bell, the list, and preferences.

Writes here commit for real (transactional tests), so the notifications made
after commit are made, and Celery runs in-process (no REDIS_URL): an email
wanted "at once" lands in Django's test outbox.
"""

from datetime import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import actions
from communities.models import Group, Membership
from notices import actions as notice_actions
from notices import queries as notice_queries
from notices import registry
from notices.models import Delivery, NotificationPreferences
from project.asgi import application
from tests.factories import PersonFactory
from tests.notices.helpers import prefs
from tests.sockets import ORIGIN, session_cookie, settled

pytestmark = pytest.mark.django_db(transaction=True)


HTMX = {"HTTP_HX_REQUEST": "true"}


def texts(person) -> list[str]:
    return [n.text for n in notice_queries.latest(person, limit=50)]


# Who hears of what ----------------------------------------------------------------


def test_a_mention_in_a_post_notifies_the_person_mentioned_and_no_one_else(team):
    actions.post_to_group(team.alice, team.group, "Kijk even mee @bob, en @alice zelf")
    assert texts(team.bob) == ["Alice de Vries mentioned you in Wondzorg"]
    assert texts(team.alice) == [] and texts(team.carol) == []


def test_replies_notify_the_author_and_the_others_in_the_conversation(team):
    post = actions.post_to_group(team.alice, team.group, "Vraag")
    actions.reply_to_post(team.bob, post, "Eerste antwoord")
    assert texts(team.alice) == ["Bob Jansen replied to your post"]
    actions.reply_to_post(team.carol, post, "Ik ook, @bob")
    assert texts(team.alice) == [
        "Carol Smit replied to your post",
        "Bob Jansen replied to your post",
    ]
    # Bob is mentioned in the reply: one notice for it, not a second as a replier.
    assert texts(team.bob) == ["Carol Smit mentioned you in Wondzorg"]
    assert texts(team.carol) == []


def test_reactions_to_a_post_gather_in_one_notice(team):
    dave = PersonFactory(username="dave", display_name="Dave Bos")
    Membership.objects.create(group=team.group, person=dave)
    post = actions.post_to_group(team.alice, team.group, "Foto van de verbandkar")
    actions.toggle_reaction(team.bob, post, "like")
    assert texts(team.alice) == ["Bob Jansen reacted to your post"]
    actions.toggle_reaction(team.bob, post, "thanks")  # the same person again: no change
    actions.toggle_reaction(team.carol, post, "like")
    actions.toggle_reaction(dave, post, "celebrate")
    assert texts(team.alice) == ["Dave Bos and 2 others reacted to your post"]
    assert notice_queries.unread_count(team.alice) == 1
    # Once read, the next reaction starts a new notice.
    notice_actions.mark_all_read(team.alice)
    actions.toggle_reaction(team.carol, post, "thanks")
    assert texts(team.alice)[0] == "Carol Smit reacted to your post"


def test_following_joining_and_group_decisions_are_told_to_whom_they_concern(team):
    actions.follow_person(team.bob, team.alice)
    assert texts(team.alice) == ["Bob Jansen follows you now"]
    team_group = actions.create_group(team.alice, name="Team", privacy=Group.Privacy.CLOSED)
    request = actions.request_to_join(team.carol, team_group)
    assert texts(team.alice)[0] == "Carol Smit asks to join Team"
    assert notice_queries.latest(team.alice)[0].url == "/groups/team/members/"
    actions.decide_join_request(team.alice, request, approve=False)
    assert texts(team.carol) == ["Your request to join Team was declined"]
    actions.decide_join_request(
        team.alice, actions.request_to_join(team.carol, team_group), approve=True
    )
    assert texts(team.carol)[0] == "You are now a member of Team"
    secret = actions.create_group(team.alice, name="Geheim", privacy=Group.Privacy.SECRET)
    actions.add_member(team.alice, secret, team.bob)
    assert texts(team.bob) == ["Alice de Vries added you to Geheim"]


def test_new_posts_in_a_group_or_tag_are_told_to_those_who_asked(team, client_for):
    client_for(team.bob).post("/groups/wondzorg/tell/", {"on": "1"})
    client_for(team.carol).post("/tags/richtlijn/tell/", {"on": "1"})
    actions.post_to_group(team.alice, team.group, "Nieuwe #richtlijn")
    assert texts(team.bob) == ["Alice de Vries posted in Wondzorg"]
    assert texts(team.carol) == ["Alice de Vries posted in Wondzorg"]
    client_for(team.bob).post("/groups/wondzorg/tell/", {"on": "0"})
    actions.post_to_group(team.alice, team.group, "Nog een")
    assert len(texts(team.bob)) == 1 and len(texts(team.carol)) == 1


def test_only_readers_of_a_group_hear_of_its_posts(team):
    secret = actions.create_group(team.alice, name="Geheim", privacy=Group.Privacy.SECRET)
    actions.add_member(team.alice, secret, team.bob)
    actions.tell_of_new_posts(team.carol, tag_name="vertrouwelijk")
    actions.post_to_group(team.alice, secret, "@carol @bob #vertrouwelijk")
    assert texts(team.carol) == []  # mentioned and alerted, but not a member
    assert texts(team.bob)[0] == "Alice de Vries mentioned you in Geheim"


# The visibility rule when reading -------------------------------------------------


def test_a_notice_of_something_no_longer_visible_is_not_listed_counted_or_opened(team, client_for):
    closed = actions.create_group(team.alice, name="Team", privacy=Group.Privacy.CLOSED)
    actions.add_member(team.alice, closed, team.bob)
    actions.post_to_group(team.alice, closed, "Voor het team, @bob")
    mention = notice_queries.latest(team.bob)[0]
    assert mention.text == "Alice de Vries mentioned you in Team"
    actions.remove_member(team.alice, closed, team.bob)
    assert mention.id not in [n.id for n in notice_queries.latest(team.bob, limit=50)]
    assert notice_queries.unread_count(team.bob) == 1  # only "added you to Team" is left
    client = client_for(team.bob)
    assert client.get(f"/notifications/{mention.id}/").status_code == 404
    assert "Voor het team" not in client.get("/notifications/").content.decode()
    assert "Voor het team" not in client.get("/notifications/menu/").content.decode()


def test_a_deleted_reply_or_post_takes_its_notices_with_it(team):
    post = actions.post_to_group(team.alice, team.group, "Vraag")
    reply = actions.reply_to_post(team.bob, post, "Antwoord")
    assert notice_queries.unread_count(team.alice) == 1
    actions.delete_reply(team.bob, reply)
    assert notice_queries.unread_count(team.alice) == 0
    actions.post_to_group(team.bob, team.group, "@alice kijk")
    actions.delete_post(team.bob, post := team.group.posts.get(body="@alice kijk"))
    assert notice_queries.unread_count(team.alice) == 0 and texts(team.alice) == []


def test_someone_elses_notice_cannot_be_opened_or_read(team, client_for):
    actions.post_to_group(team.alice, team.group, "@bob")
    notice = notice_queries.latest(team.bob)[0]
    client = client_for(team.carol)
    assert client.get(f"/notifications/{notice.id}/").status_code == 404
    client.post(f"/notifications/{notice.id}/read/")
    assert notice_queries.latest(team.bob)[0].unread


# The bell, the list and reading ----------------------------------------------------


def test_the_bell_opens_the_latest_and_opening_one_marks_it_read(team, client_for):
    post = actions.post_to_group(team.alice, team.group, "Kijk @bob")
    client = client_for(team.bob)
    page = client.get("/groups/").content.decode()
    assert 'data-count="1"' in page and 'ws-connect="/ws/notices/?lang=en"' in page
    menu = client.get("/notifications/menu/").content.decode()
    assert "Alice de Vries mentioned you in Wondzorg" in menu and "Kijk @Bob Jansen" in menu
    notice = notice_queries.latest(team.bob)[0]
    response = client.get(f"/notifications/{notice.id}/")
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/"
    assert notice_queries.unread_count(team.bob) == 0
    assert 'data-count="0"' in client.get("/notifications/count/").content.decode()


def test_the_bell_and_the_notifications_page_quote_plain_text(team, client_for):
    post = actions.post_to_group(team.bob, team.group, "Mijn vraag")
    actions.reply_to_post(
        team.alice, post, "Zie _hier_: [de **richtlijn**](https://k.test/r) @carol"
    )
    client = client_for(team.bob)
    quote = "“Zie hier: de richtlijn @Carol Smit”"
    assert quote in client.get("/notifications/menu/").content.decode()
    assert quote in client.get("/notifications/").content.decode()


def test_a_feed_page_opens_no_second_socket_for_the_bell(team, client_for):
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert page.count("ws-connect=") == 1


def test_marking_one_and_all_read(team, client_for):
    actions.post_to_group(team.alice, team.group, "@bob een")
    actions.post_to_group(team.carol, team.group, "@bob twee")
    first, second = notice_queries.latest(team.bob)
    client = client_for(team.bob)
    response = client.post(f"/notifications/{first.id}/read/", **HTMX)
    assert 'id="notice-count"' in response.content.decode()
    assert 'data-count="1"' in response.content.decode()
    assert [n.unread for n in notice_queries.latest(team.bob)] == [False, True]
    client.post("/notifications/read/", {"in": "menu"}, **HTMX)
    assert notice_queries.unread_count(team.bob) == 0


def test_the_notifications_page_pages_by_cursor_with_the_same_queries(team, client_for):
    client = client_for(team.bob)

    def add(count):
        for n in range(count):
            post = actions.post_to_group(team.alice, team.group, f"@bob nummer {n}")
            actions.reply_to_post(team.carol, post, f"@bob ook {n}")
            actions.follow_person(PersonFactory(), team.bob)

    def queries_for(url):
        """Queries of a page or fragment, and what it shows."""
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, **HTMX)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    add(4)
    few = [queries_for(url)[0] for url in ("/notifications/", "/notifications/menu/", "/groups/")]
    add(30)
    many = [queries_for(url)[0] for url in ("/notifications/", "/notifications/menu/", "/groups/")]
    assert few == many  # the page, the bell's list, and a page with the bell's count
    _, html = queries_for("/notifications/")
    assert html.count('class="notice unread"') == notice_queries.PAGE_SIZE
    oldest_shown = notice_queries.page(team.bob)[0][-1].id
    more, rest = queries_for(f"/notifications/?before={oldest_shown}")
    assert rest.count('class="notice unread"') == notice_queries.PAGE_SIZE
    assert "nummer 0" not in html and "Show older notifications" in rest
    assert client.get("/notifications/?before=x", **HTMX).status_code == 404


async def test_the_bell_rings_on_every_socket_of_the_person_and_no_other(team):
    sockets = {}
    for name, person, path in [
        ("bob-notices", team.bob, "/ws/notices/"),
        ("bob-feed", team.bob, "/ws/groups/wondzorg/"),
        ("carol", team.carol, "/ws/notices/"),
    ]:
        cookie = await database_sync_to_async(session_cookie)(person)
        sockets[name] = WebsocketCommunicator(application, path, headers=[ORIGIN, cookie])
        assert (await sockets[name].connect())[0]

    await database_sync_to_async(actions.post_to_group)(team.alice, team.group, "@bob kijk")
    assert 'data-count="1"' in await sockets["bob-notices"].receive_from(timeout=2)
    received = [await sockets["bob-feed"].receive_from(timeout=2) for _ in range(2)]
    assert any('id="notice-count"' in m and 'data-count="1"' in m for m in received)
    assert await settled(sockets["carol"], team.carol) == []
    for socket in sockets.values():
        await socket.disconnect()


async def test_a_notices_socket_without_a_session_is_closed():
    communicator = WebsocketCommunicator(application, "/ws/notices/", headers=[ORIGIN])
    await communicator.connect()
    assert (await communicator.receive_output())["code"] == 4401


# Preferences -----------------------------------------------------------------------


def test_preferences_choose_between_off_in_app_email_and_digest(team):
    prefs(team.bob, mention=Delivery.OFF)
    actions.post_to_group(team.alice, team.group, "@bob uit")
    assert texts(team.bob) == [] and mail.outbox == []
    prefs(team.bob, mention=Delivery.IN_APP)
    actions.post_to_group(team.alice, team.group, "@bob alleen in Kring")
    assert len(texts(team.bob)) == 1 and mail.outbox == []
    prefs(team.bob, mention=Delivery.DIGEST)
    actions.post_to_group(team.alice, team.group, "@bob in de samenvatting")
    assert len(texts(team.bob)) == 2 and mail.outbox == []
    prefs(team.bob, mention=Delivery.EMAIL)
    actions.post_to_group(team.alice, team.group, "@bob per mail")
    assert len(texts(team.bob)) == 3
    assert [m.to for m in mail.outbox] == [["bob@k.test"]]


def test_the_defaults_mail_mentions_and_keep_the_rest_for_a_weekly_digest(team):
    NotificationPreferences.objects.filter(person=team.bob).delete()
    defaults = notice_queries.preferences(team.bob)
    assert defaults.delivery("mention") == Delivery.EMAIL and defaults.digest_frequency == "weekly"
    # The agenda's cannot wait for a digest (a place from the waiting list, a
    # cancelled event: by email; tomorrow's reminder: in Kring); nor can a nudge
    # from the community coach, which is by email at once.
    # Nor a knowledge page's review date (an email at once, with "Still correct").
    chosen_by_the_agenda = {
        "event_place": Delivery.EMAIL,
        "event_changes": Delivery.EMAIL,
        "event_reminder": Delivery.IN_APP,
        "knowledge_review": Delivery.EMAIL,
        "coach_messages": Delivery.EMAIL,
        # A major incident's update is news now, or no news: in Kring, live.
        "incident_updates": Delivery.IN_APP,
    }
    names = [p.name for p in registry.preferences()][1:]
    rest = [name for name in names if name not in chosen_by_the_agenda]
    assert {defaults.delivery(k) for k in rest} == {Delivery.DIGEST}
    assert {k: defaults.delivery(k) for k in chosen_by_the_agenda} == chosen_by_the_agenda


def test_the_settings_page_saves_choices_and_refuses_half_quiet_hours(team, client_for):
    client = client_for(team.bob)
    assert "Someone mentions me" in client.get("/notifications/settings/").content.decode()
    values = {p.name: Delivery.IN_APP for p in registry.preferences()}
    saved = {**values, "digest_frequency": "daily", "quiet_from": "21:00", "quiet_until": "06:30"}
    response = client.post("/notifications/settings/", {**saved, "language": "nl"})
    assert response.status_code == 302
    stored = notice_queries.preferences(team.bob)
    assert stored.digest_frequency == "daily" and stored.delivery("reaction") == Delivery.IN_APP
    assert (stored.quiet_from, stored.quiet_until, stored.language) == (
        time(21),
        time(6, 30),
        "nl",
    )
    half = client.post("/notifications/settings/", {**saved, "quiet_until": ""})
    assert "Give both ends of the quiet hours" in half.content.decode()
    wrong = client.post("/notifications/settings/", {**saved, "mention": "loud"})
    assert wrong.status_code == 200 and "Select a valid choice" in wrong.content.decode()
