"""Scaled out: a login that ends closes its sockets on every Daphne process."""

import secrets
import urllib.request

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from communities import actions
from communities.models import Group
from tests.factories import GroupFactory, PersonFactory
from tests.live import post_over_htmx, session_cookie

pytestmark = pytest.mark.integration


def open_feed_socket(server, cookie, slug):
    url = server.url.replace("http://", "ws://") + f"/ws/groups/{slug}/"
    return connect(url, additional_headers={"Cookie": cookie, "Origin": server.url}, open_timeout=5)


def close_code(socket) -> int:
    """The code the socket closes with; it hears nothing before (no secret post)."""
    with pytest.raises(ConnectionClosed) as closed:
        message = socket.recv(timeout=10)
        pytest.fail(f"heard {message[:200]!r} instead of closing")
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


def post_as_a_form(base_url: str, cookie: str, path: str) -> str:
    """POST an empty form to ``path`` with ``cookie``'s login; the address it led to."""
    token = secrets.token_hex(16)
    request = urllib.request.Request(
        f"{base_url}{path}",
        data=b"",
        headers={"Cookie": f"{cookie}; csrftoken={token}", "X-CSRFToken": token},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return response.url


def log_out_over_http(base_url: str, cookie: str) -> None:
    assert post_as_a_form(base_url, cookie, "/logout/").endswith("/login/")


@pytest.fixture
def secret(team_committed):
    return GroupFactory(slug="geheim", privacy=Group.Privacy.SECRET, members=[team_committed.alice])


def test_deactivating_an_account_closes_its_sockets_on_every_process(
    live_servers, team_committed, secret
):
    server_a, server_b = live_servers
    alice = team_committed.alice
    with (
        open_feed_socket(server_a, session_cookie(alice), "geheim") as on_a,
        open_feed_socket(server_b, session_cookie(alice), "geheim") as on_b,
    ):
        admin = PersonFactory(username="beheer", is_staff=True, is_superuser=True)
        actions.deactivate_person(admin, alice)
        actions.post_to_group(team_committed.alice, secret, "Geheim, na het vertrek")
        assert close_code(on_a) == 4401
        assert close_code(on_b) == 4401


def test_logging_out_on_one_process_closes_that_logins_sockets_on_both(
    live_servers, team_committed, secret
):
    server_a, server_b = live_servers
    cookie = session_cookie(team_committed.alice)
    with (
        open_feed_socket(server_a, cookie, "geheim") as on_a,
        open_feed_socket(server_b, cookie, "geheim") as on_b,
    ):
        log_out_over_http(server_a.url, cookie)
        # Another login of Alice's posts: the closed sockets do not hear it.
        assert (
            post_over_htmx(
                server_b.url, session_cookie(team_committed.alice), "geheim", "Na het uitloggen"
            )
            == 200
        )
        assert close_code(on_a) == 4401
        assert close_code(on_b) == 4401


def test_log_out_everywhere_closes_every_login_of_hers_on_both_and_no_one_elses(
    live_servers, team_committed, secret
):
    server_a, server_b = live_servers
    alice, bob = team_committed.alice, team_committed.bob
    laptop, phone = session_cookie(alice), session_cookie(alice)
    with (
        open_feed_socket(server_a, laptop, "geheim") as laptop_socket,
        open_feed_socket(server_b, phone, "geheim") as phone_socket,
        open_feed_socket(server_b, session_cookie(bob), team_committed.group.slug) as bob_socket,
    ):
        assert post_as_a_form(server_a.url, laptop, "/settings/logins/end-all/").endswith("/login/")
        assert close_code(laptop_socket) == 4401
        assert close_code(phone_socket) == 4401
        # Bob's page goes on: it hears his own next post.
        assert post_over_htmx(server_a.url, session_cookie(bob), "wondzorg", "Nog open") == 200
        assert "Nog open" in bob_socket.recv(timeout=10)
