"""Following people, #tags and groups; the home timeline; tag pages and profiles."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import actions
from communities.models import Follow, Post
from project.asgi import application
from tests.factories import GroupFactory, PersonFactory
from tests.sockets import ORIGIN, session_cookie, settled

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def org(db):
    bob = PersonFactory(username="bob", display_name="Bob Jansen")
    alice = PersonFactory(username="alice", display_name="Alice de Vries")
    carol = PersonFactory(username="carol", display_name="Carol Smit")
    wondzorg = GroupFactory(name="Wondzorg", slug="wondzorg", members=[alice, carol])
    recepten = GroupFactory(name="Recepten", slug="recepten", members=[alice, carol])
    mine = GroupFactory(name="Team Bob", slug="team-bob", members=[bob, carol])
    news = actions.create_group(carol, name="Nieuws", is_news=True)
    return (
        bob,
        alice,
        carol,
        {"wondzorg": wondzorg, "recepten": recepten, "mine": mine, "news": news},
    )


def home_text(client_for, person):
    return client_for(person).get("/").content.decode()


def test_the_home_timeline_holds_what_bob_follows_and_nothing_else(org, client_for):
    bob, alice, carol, groups = org
    actions.post_to_group(carol, groups["mine"], "in Bobs eigen groep")
    actions.post_to_group(carol, groups["news"], "organisatienieuws")
    actions.post_to_group(carol, groups["wondzorg"], "niet gevolgd")
    actions.follow_tag(bob, "Wondzorg")
    actions.post_to_group(alice, groups["wondzorg"], "#wondzorg nieuwe richtlijn")
    actions.follow_person(bob, alice)
    actions.post_to_group(alice, groups["recepten"], "Alice bakt")
    actions.follow_group(bob, groups["recepten"])  # an open group, followed without joining
    actions.post_to_group(carol, groups["recepten"], "Carol kookt")
    page = home_text(client_for, bob)
    for shown in [
        "in Bobs eigen groep",
        "organisatienieuws",
        "nieuwe richtlijn",
        "Alice bakt",
        "Carol kookt",
    ]:
        assert shown in page, shown
    assert "niet gevolgd" not in page


def test_a_post_that_matches_for_several_reasons_appears_once(org, client_for):
    bob, alice, _, groups = org
    actions.follow_person(bob, alice)
    actions.follow_tag(bob, "wondzorg")
    actions.follow_group(bob, groups["wondzorg"])
    actions.post_to_group(alice, groups["wondzorg"], "#wondzorg driemaal gevolgd")
    assert home_text(client_for, bob).count("driemaal gevolgd") == 1


def test_following_and_unfollowing_over_htmx(org, client_for):
    bob, alice, _, _ = org
    client = client_for(bob)
    response = client.post("/people/alice/follow/", {"follow": "1"}, **HTMX)
    assert 'aria-pressed="true"' in response.content.decode()
    assert Follow.objects.filter(follower=bob, person=alice).exists()
    client.post("/tags/Wondzorg/follow/", {"follow": "1"}, **HTMX)
    assert Follow.objects.filter(follower=bob, tag__name="wondzorg").exists()
    response = client.post("/people/alice/follow/", {"follow": "0"}, **HTMX)
    assert 'aria-pressed="false"' in response.content.decode()
    assert not Follow.objects.filter(follower=bob, person=alice).exists()
    assert client.post("/people/bob/follow/", {"follow": "1"}).status_code == 400


def test_profiles_list_followers_and_following(org, client_for):
    bob, alice, carol, _ = org
    actions.follow_person(bob, alice)
    actions.follow_person(carol, alice)
    actions.follow_person(alice, carol)
    page = client_for(bob).get("/people/alice/").content.decode()
    assert "2 followers" in page and "Bob Jansen" in page
    assert "Follows 1 person" in page and "Carol Smit" in page


def test_a_tag_page_shows_its_posts_and_a_follow_button(org, client_for):
    bob, alice, _, groups = org
    actions.post_to_group(alice, groups["wondzorg"], "Over #Wondzorg")
    actions.post_to_group(alice, groups["wondzorg"], "Over iets anders")
    page = client_for(bob).get("/tags/wondzorg/").content.decode()
    assert "Over <a" in page and "iets anders" not in page
    assert 'aria-pressed="false"' in page
    assert client_for(bob).get("/tags/123/").status_code == 404


def test_a_mention_links_to_the_profile(org, client_for):
    bob, alice, _, groups = org
    actions.post_to_group(alice, groups["wondzorg"], "Vraag het @bob.")
    page = client_for(alice).get("/groups/wondzorg/").content.decode()
    assert 'href="/people/bob/" class="mention"' in page and "@Bob Jansen</a>." in page
    assert list(Post.objects.get().mentions.all()) == [bob]


def test_people_to_mention_are_suggested_by_name_or_username(org, client_for):
    PersonFactory(username="jeroen", display_name="Jeroen van 't Hek")
    client = client_for(org[0])
    for typed in ["jer", "hek", "'t", "van"]:
        html = client.get("/people/suggest/", {"q": typed}).content.decode()
        assert 'data-username="jeroen"' in html, typed
        assert "Jeroen van &#x27;t Hek" in html
    assert client.get("/people/suggest/", {"q": "xyz"}).content.decode().strip() == ""


FEED_URLS = ["/", "/tags/wondzorg/", "/people/alice/", "/groups/wondzorg/"]
CATCH_UP_URLS = [
    url + "newer/?after=0" if url != "/" else "/home/newer/?after=0" for url in FEED_URLS
]


@pytest.mark.parametrize("url", FEED_URLS + CATCH_UP_URLS)
def test_feeds_run_the_same_queries_for_20_or_200_posts(org, client_for, settings, url):
    """Pages show a page of posts (20, then 200 with a larger page size);
    catch-up fetches return every newer post (20, then 200). Each post has
    replies and reactions, so their queries are counted too."""
    bob, alice, carol, groups = org
    for follow in (
        lambda: actions.follow_tag(bob, "wondzorg"),
        lambda: actions.follow_person(bob, alice),
    ):
        follow()
    authors = [alice, carol]
    client = client_for(bob)

    def add(count):
        """Posts with a tag, a mention, replies and reactions: all that a feed shows."""
        for n in range(count):
            post = actions.post_to_group(authors[n % 2], groups["wondzorg"], f"#wondzorg @bob {n}")
            for replier in authors + [authors[0]]:
                actions.reply_to_post(replier, post, f"antwoord op {n}")
            actions.toggle_reaction(bob, post, "thanks")
            actions.toggle_reaction(carol, post, "like")

    def shown_and_queries(page_size):
        settings.FEED_PAGE_SIZE = page_size
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return response.content.decode().count('class="post"'), len(captured)

    add(20)
    few = shown_and_queries(20)
    add(180)
    many = shown_and_queries(200)
    shown = (few[0], many[0])
    expected = (10, 100) if url.startswith("/people/alice/") else (20, 200)
    assert shown == expected
    assert few[1] == many[1]


@pytest.mark.django_db(transaction=True)
async def test_a_followed_tag_reaches_the_home_socket_once_and_unrelated_posts_do_not():
    bob = await database_sync_to_async(PersonFactory)(username="bob")
    alice = await database_sync_to_async(PersonFactory)(username="alice")
    group = await database_sync_to_async(GroupFactory)(slug="wondzorg", members=[alice])
    await database_sync_to_async(actions.follow_tag)(bob, "wondzorg")
    await database_sync_to_async(actions.follow_person)(bob, alice)
    cookie = await database_sync_to_async(session_cookie)(bob)
    home = WebsocketCommunicator(application, "/ws/home/", headers=[ORIGIN, cookie])
    assert (await home.connect())[0]

    post = await database_sync_to_async(actions.post_to_group)(
        alice, group, "#wondzorg nieuwe richtlijn"
    )
    message = await home.receive_from(timeout=2)
    assert f'id="post-{post.pk}"' in message
    assert await settled(home, bob) == []  # followed twice, pushed once

    carol = await database_sync_to_async(PersonFactory)(username="carol")
    other = await database_sync_to_async(GroupFactory)(slug="anders", members=[carol])
    await database_sync_to_async(actions.post_to_group)(carol, other, "niet voor Bob")
    assert await settled(home, bob) == []
    await home.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_removal_from_a_closed_group_stops_its_posts_on_open_sockets_at_once():
    alice = await database_sync_to_async(PersonFactory)(username="alice")
    bob = await database_sync_to_async(PersonFactory)(username="bob")
    group = await database_sync_to_async(actions.create_group)(alice, name="Team", privacy="closed")
    await database_sync_to_async(actions.add_member)(alice, group, bob)
    cookie = await database_sync_to_async(session_cookie)(bob)
    sockets = {}
    for feed in ["/ws/home/", "/ws/tags/team/", "/ws/people/alice/", "/ws/groups/team/"]:
        sockets[feed] = WebsocketCommunicator(application, feed, headers=[ORIGIN, cookie])
        assert (await sockets[feed].connect())[0]
    await database_sync_to_async(actions.post_to_group)(alice, group, "voor het team #team")
    for feed, socket in sockets.items():
        assert "voor het team" in await socket.receive_from(timeout=2), feed

    await database_sync_to_async(actions.remove_member)(alice, group, bob)
    closed = await sockets["/ws/groups/team/"].receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": 4403}
    await database_sync_to_async(actions.post_to_group)(alice, group, "na het vertrek #team")
    for feed in ["/ws/home/", "/ws/tags/team/", "/ws/people/alice/"]:
        assert await settled(sockets[feed], bob) == [], feed
        await sockets[feed].disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_open_home_timeline_hears_whom_bob_starts_and_stops_following():
    bob = await database_sync_to_async(PersonFactory)(username="bob")
    alice = await database_sync_to_async(PersonFactory)(username="alice")
    group = await database_sync_to_async(GroupFactory)(slug="wondzorg", members=[alice])
    cookie = await database_sync_to_async(session_cookie)(bob)
    home = WebsocketCommunicator(application, "/ws/home/", headers=[ORIGIN, cookie])
    assert (await home.connect())[0]
    await database_sync_to_async(actions.post_to_group)(alice, group, "nog niet gevolgd")
    assert await settled(home, bob) == []

    await database_sync_to_async(actions.follow_person)(bob, alice)
    await settled(home, bob)  # the socket has re-subscribed
    await database_sync_to_async(actions.post_to_group)(alice, group, "nu wel gevolgd")
    assert "nu wel gevolgd" in await home.receive_from(timeout=2)

    await database_sync_to_async(actions.unfollow)(bob, person=alice)
    await settled(home, bob)  # and unsubscribed
    await database_sync_to_async(actions.post_to_group)(alice, group, "weer ontvolgd")
    assert await settled(home, bob) == []
    await home.disconnect()


def test_a_home_socket_hears_exactly_the_posts_of_its_home_timeline(db):
    """The feeds a home socket listens to (queries.home_sources) and the feeds a
    post travels in (broadcast.feeds_showing) meet exactly for the posts
    home_posts shows that person: every kind of group, follow and reader."""
    from communities import queries
    from realtime.broadcast import feeds_showing
    from realtime.consumers import HomeConsumer

    author = PersonFactory(username="author")
    member = PersonFactory(username="member")
    follower = PersonFactory(username="follower")
    outsider = PersonFactory(username="outsider")
    groups = {
        privacy: GroupFactory(slug=privacy, privacy=privacy, members=[author, member])
        for privacy in ("open", "closed", "secret")
    }
    news = actions.create_group(author, name="Nieuws", is_news=True)
    other_open = GroupFactory(slug="elders", members=[author])
    actions.follow_person(follower, author)
    actions.follow_tag(follower, "zorg")
    actions.follow_group(follower, other_open)
    actions.follow_tag(member, "zorg")
    posts = [
        actions.post_to_group(author, group, body)
        for group in [*groups.values(), news, other_open]
        for body in ("gewoon", "over #zorg", "over #anders")
    ]
    for person in (author, member, follower, outsider):
        listening = HomeConsumer().feed_groups(person)
        shown = set(queries.home_posts(person).values_list("pk", flat=True))
        for post in posts:
            reaches = bool(listening & set(feeds_showing(post)))
            assert reaches == (post.pk in shown), (person.username, post.group.slug, post.body)
        assert shown  # every reader has something, so the comparison means something
