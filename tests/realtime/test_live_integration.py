"""Scaled out: two Daphne processes on PostgreSQL and channels-redis."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from communities.models import Group, Post
from tests.factories import GroupFactory, PersonFactory
from tests.live import post_over_htmx, session_cookie

pytestmark = pytest.mark.integration


def open_feed_socket(server, cookie, slug):
    url = server.url.replace("http://", "ws://") + f"/ws/groups/{slug}/"
    return connect(url, additional_headers={"Cookie": cookie, "Origin": server.url}, open_timeout=5)


def test_the_scaled_out_run_uses_postgresql_and_redis():
    assert connection.vendor == "postgresql"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "realtime.layer.PubSubChannelLayer"


def test_a_post_made_through_one_process_reaches_a_socket_held_by_another(
    live_servers, team_committed
):
    server_a, server_b = live_servers
    GroupFactory(slug="teamoverleg", privacy=Group.Privacy.CLOSED, members=[team_committed.alice])

    with (
        open_feed_socket(server_b, session_cookie(team_committed.bob), "wondzorg") as bobs_socket,
        open_feed_socket(
            server_b, session_cookie(team_committed.alice), "teamoverleg"
        ) as other_feed,
    ):
        assert (
            post_over_htmx(
                server_a.url, session_cookie(team_committed.alice), "wondzorg", "Via proces A"
            )
            == 200
        )
        message = bobs_socket.recv(timeout=5)
        post = Post.objects.get()
        assert f'id="post-{post.pk}"' in message
        assert "Via proces A" in message
        # A later post to the other feed, through the same process and Redis, is the
        # first thing that feed hears: the post to wondzorg never came to it.
        assert (
            post_over_htmx(
                server_a.url, session_cookie(team_committed.alice), "teamoverleg", "Later"
            )
            == 200
        )
        later = other_feed.recv(timeout=5)
        assert "Later" in later and "Via proces A" not in later


def test_process_b_refuses_a_socket_for_a_closed_group_to_an_outsider(live_servers):
    server_b = live_servers[-1]
    outsider = PersonFactory(username="outsider")
    GroupFactory(slug="teamoverleg", privacy=Group.Privacy.CLOSED)
    with (
        open_feed_socket(server_b, session_cookie(outsider), "teamoverleg") as socket,
        pytest.raises(ConnectionClosed) as closed,
    ):
        socket.recv(timeout=5)
    assert closed.value.rcvd.code == 4403


def test_a_socket_idle_longer_than_redis_read_timeouts_still_receives(live_servers, team_committed):
    """redis-py 8 times a read out after 5 s unless told otherwise; an idle
    page must not lose its socket to that (it would close with 1011)."""
    server_a, server_b = live_servers
    with open_feed_socket(server_b, session_cookie(team_committed.alice), "wondzorg") as socket:
        with pytest.raises(TimeoutError):
            socket.recv(timeout=7)  # idle, and still open
        assert (
            post_over_htmx(
                server_a.url, session_cookie(team_committed.alice), "wondzorg", "Na stilte"
            )
            == 200
        )
        assert "Na stilte" in socket.recv(timeout=5)


def test_a_burst_of_posts_reaches_each_socket_of_the_feed_whole_once_in_its_language(
    live_servers, team_committed
):
    """Posts made at once, through the other process: every socket on the feed has
    each of them exactly once, in its page's
    language, however many frames they came in; a socket on another feed has none."""
    server_a, server_b = live_servers
    team = team_committed
    GroupFactory(slug="teamoverleg", privacy=Group.Privacy.CLOSED, members=[team.carol])
    bodies = [f"Golf {n}" for n in range(4)]

    def feed_socket(person, slug, language):
        url = server_b.url.replace("http://", "ws://") + f"/ws/groups/{slug}/?lang={language}"
        headers = {"Cookie": session_cookie(person), "Origin": server_b.url}
        return connect(url, additional_headers=headers, open_timeout=5)

    with (
        feed_socket(team.bob, "wondzorg", "nl") as dutch,
        feed_socket(team.carol, "wondzorg", "en") as english,
        feed_socket(team.carol, "teamoverleg", "en") as other_feed,
    ):
        cookie = session_cookie(team.alice)
        with ThreadPoolExecutor(len(bodies)) as pool:
            statuses = list(
                pool.map(
                    lambda body: post_over_htmx(server_a.url, cookie, "wondzorg", body), bodies
                )
            )
        assert statuses == [200] * len(bodies)
        made = [
            f'id="post-{pk}"' for pk in Post.objects.order_by("pk").values_list("pk", flat=True)
        ]

        for socket, reply_button in ((dutch, ">Reageren</button>"), (english, ">Reply</button>")):
            received = ""
            while not all(marker in received for marker in made):
                received += socket.recv(timeout=10)
            for marker in made:
                assert received.count(f'<article class="post" {marker}') <= 1
            assert received.count(reply_button) == len(bodies)
        with pytest.raises(TimeoutError):
            other_feed.recv(timeout=2)
