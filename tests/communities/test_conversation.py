"""Replies, reactions and deleting, through the one write path and live on every page."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.exceptions import PermissionDenied, ValidationError

from communities import actions
from communities.models import Group, Post, Reaction
from project.asgi import application
from tests.factories import GroupFactory, PersonFactory
from tests.sockets import ORIGIN, session_cookie, settled

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def post(team):
    """Alice's post in the team's group, for a conversation."""
    return actions.post_to_group(team.alice, team.group, "Nieuwe richtlijn")


def test_replies_are_counted_and_the_latest_two_shown(team, post, client_for):
    for n in range(4):
        actions.reply_to_post(team.bob, post, f"antwoord {n}")
    post.refresh_from_db()
    assert post.reply_count == 4
    page = client_for(team.alice).get("/groups/wondzorg/").content.decode()
    assert "4 replies" in page and "Show all" in page
    assert "antwoord 2" in page and "antwoord 3" in page and "antwoord 1" not in page
    everything = client_for(team.alice).get(f"/posts/{post.pk}/replies/", **HTMX).content.decode()
    assert [f"antwoord {n}" in everything for n in range(4)] == [True] * 4


def test_an_empty_reply_keeps_the_form_and_says_why(team, post, client_for):
    response = client_for(team.bob).post(f"/posts/{post.pk}/reply/", {"body": " "}, **HTMX)
    assert response.status_code == 422
    assert "Write something before replying." in response.content.decode()
    with pytest.raises(ValidationError):
        actions.reply_to_post(team.bob, post, "x" * 5001)
    assert not post.replies.exists()


def test_replying_over_htmx_answers_a_fresh_form_and_the_reply(team, post, client_for):
    response = client_for(team.bob).post(f"/posts/{post.pk}/reply/", {"body": "Dank!"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'hx-swap-oob="beforeend:#post-{post.pk}-reply-list"' in html and "Dank!" in html
    assert f'id="post-{post.pk}-reply-count" hx-swap-oob="true">1 reply' in html


def test_nobody_replies_to_or_reacts_on_a_post_they_cannot_see(db):
    alice = PersonFactory()
    secret = GroupFactory(privacy=Group.Privacy.SECRET, members=[alice])
    post = actions.post_to_group(alice, secret, "geheim")
    outsider = PersonFactory()
    with pytest.raises(PermissionDenied):
        actions.reply_to_post(outsider, post, "hallo?")
    with pytest.raises(PermissionDenied):
        actions.toggle_reaction(outsider, post, Reaction.Kind.LIKE)
    assert not post.replies.exists() and not post.reactions.exists()


def test_a_reaction_toggles_one_per_kind_per_person(team, post, client_for):
    assert actions.toggle_reaction(team.bob, post, "thanks") is True
    assert actions.toggle_reaction(team.bob, post, "like") is True
    assert actions.toggle_reaction(team.alice, post, "thanks") is True
    assert actions.toggle_reaction(team.bob, post, "thanks") is False
    assert sorted(post.reactions.values_list("person__username", "kind")) == [
        ("alice", "thanks"),
        ("bob", "like"),
    ]
    with pytest.raises(ValidationError):
        actions.toggle_reaction(team.bob, post, "angry")
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert 'aria-label="Thanks: 1"' in page and 'title="Alice de Vries"' in page
    assert f'data-reactors=" {team.bob.pk} "' in page  # the page presses Bob's own "like"


def test_authors_delete_their_own_and_managers_moderate(team, post):
    reply = actions.reply_to_post(team.bob, post, "oeps")
    with pytest.raises(PermissionDenied):
        actions.delete_reply(team.alice, reply)  # alice is a member, not a manager
    actions.delete_reply(team.bob, reply)
    post.refresh_from_db()
    assert post.reply_count == 0
    with pytest.raises(PermissionDenied):
        actions.delete_post(team.bob, post)
    team.group.memberships.filter(person=team.bob).update(role="manager")
    actions.delete_post(team.bob, post, reason="Dubbel geplaatst")
    post.refresh_from_db()
    assert post.deleted_by == team.bob and post.removal_reason == "Dubbel geplaatst"
    assert not Post.objects.visible_to(team.alice).exists()


def test_a_deleted_post_is_gone_from_every_path(team, post, client_for):
    actions.delete_post(team.alice, post)
    client = client_for(team.alice)
    for url in ["/groups/wondzorg/", "/", "/people/alice/", "/groups/wondzorg/newer/?after=0"]:
        assert "Nieuwe richtlijn" not in client.get(url).content.decode(), url
    assert client.get(f"/posts/{post.pk}/replies/").status_code == 404


@pytest.mark.django_db(transaction=True)
async def test_replies_reactions_and_deletions_reach_open_pages(team):
    post = await database_sync_to_async(actions.post_to_group)(
        team.alice, team.group, "#wondzorg vraag"
    )
    cookie = await database_sync_to_async(session_cookie)(team.alice)
    sockets = []
    for feed in ["/ws/groups/wondzorg/", "/ws/tags/wondzorg/", "/ws/home/"]:
        socket = WebsocketCommunicator(application, feed, headers=[ORIGIN, cookie])
        assert (await socket.connect())[0]
        sockets.append(socket)

    async def feed_message(socket):
        """The next message about the post; Alice's bell (she hears of replies and
        reactions to her post) rings over the same sockets."""
        while 'id="notice-count"' in (message := await socket.receive_from(timeout=2)):
            pass
        return message

    async def everyone_gets(*expected):
        for socket in sockets:
            message = await feed_message(socket)
            for text in expected:
                assert text in message

    reply = await database_sync_to_async(actions.reply_to_post)(team.bob, post, "antwoord")
    await everyone_gets(f"beforeend:#post-{post.pk}-reply-list", "antwoord", "1 reply")
    await database_sync_to_async(actions.toggle_reaction)(team.bob, post, "thanks")
    await everyone_gets(f'id="post-{post.pk}-reactions" hx-swap-oob="true"', "Thanks: 1")
    await database_sync_to_async(actions.delete_reply)(team.bob, reply)
    await everyone_gets(f'hx-swap-oob="delete:#reply-{reply.pk}"')
    await database_sync_to_async(actions.delete_post)(team.alice, post)
    await everyone_gets(f'hx-swap-oob="delete:#post-{post.pk}"')
    for socket in sockets:
        # Nothing more about the post: at most Alice's bell.
        assert all('id="notice-count"' in m for m in await settled(socket, team.alice))
        await socket.disconnect()


def test_an_author_edits_and_managers_read_what_it_said_before(team, post, client_for):
    with pytest.raises(PermissionDenied):
        actions.edit_post(team.bob, post, "overgenomen")
    actions.edit_post(team.alice, post, "Nieuwe richtlijn #wondzorg, zie @bob")
    post.refresh_from_db()
    assert post.edited_at and [t.name for t in post.tags.all()] == ["wondzorg"]
    assert list(post.mentions.all()) == [team.bob]
    assert list(post.revisions.values_list("body", flat=True)) == ["Nieuwe richtlijn"]
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert "edited" in page and f'href="/posts/{post.pk}/history/"' in page
    assert client_for(team.bob).get(f"/posts/{post.pk}/history/").status_code == 403
    team.group.memberships.filter(person=team.bob).update(role="manager")
    history = client_for(team.bob).get(f"/posts/{post.pk}/history/").content.decode()
    assert "Nieuwe richtlijn</p>" in history and "zie <a" in history


def test_editing_over_htmx_keeps_the_text_when_refused(team, post, client_for):
    client = client_for(team.alice)
    form = client.get(f"/posts/{post.pk}/edit/", **HTMX).content.decode()
    assert "Nieuwe richtlijn</textarea>" in form
    assert client_for(team.bob).get(f"/posts/{post.pk}/edit/", **HTMX).status_code == 403
    refused = client.post(f"/posts/{post.pk}/edit/", {"body": "  "}, **HTMX)
    assert refused.status_code == 422
    assert "Write something before posting." in refused.content.decode()
    saved = client.post(f"/posts/{post.pk}/edit/", {"body": "Bijgewerkt"}, **HTMX)
    assert "<p>Bijgewerkt</p>" in saved.content.decode() and "edited" in saved.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_an_edit_reaches_open_pages(team):
    post = await database_sync_to_async(actions.post_to_group)(
        team.alice, team.group, "eerste versie"
    )
    cookie = await database_sync_to_async(session_cookie)(team.alice)
    socket = WebsocketCommunicator(application, "/ws/groups/wondzorg/", headers=[ORIGIN, cookie])
    assert (await socket.connect())[0]
    await database_sync_to_async(actions.edit_post)(team.alice, post, "tweede versie")
    message = await socket.receive_from(timeout=2)
    assert f'id="post-{post.pk}-content" hx-swap-oob="true"' in message
    assert "tweede versie" in message and "edited" in message
    await socket.disconnect()


def test_a_manager_removes_a_post_with_a_reason_from_the_page(team, post, client_for):
    team.group.memberships.filter(person=team.bob).update(role="manager")
    page = client_for(team.bob).get("/groups/wondzorg/").content.decode()
    assert 'name="reason"' in page
    client_for(team.bob).post(
        f"/posts/{post.pk}/delete/", {"reason": "Hoort in een andere groep"}, **HTMX
    )
    post.refresh_from_db()
    assert post.deleted_by == team.bob and post.removal_reason == "Hoort in een andere groep"
