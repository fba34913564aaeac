"""A new post is announced after it committed, once, off the post request: by a
Celery worker when scaled out, by the web process on the embedded default."""

from __future__ import annotations

import os
import secrets
import urllib.request
from urllib.parse import urlencode

import pytest
import redis
from channels.db import database_sync_to_async
from django.db import transaction
from websockets.sync.client import connect

from communities import actions, tasks
from communities.models import Group, Post, PostAnnouncement
from notices import queries as notice_queries
from tests.factories import GroupFactory, PersonFactory
from tests.live import DaphneProcess, server_environment, session_cookie
from tests.mail import Worker, wait_until
from tests.sockets import socket_of


def compose(client, slug: str, body: str):
    return client.post(f"/groups/{slug}/posts/", {"body": body}, HTTP_HX_REQUEST="true")


@pytest.mark.django_db
def test_the_post_request_asks_as_many_queries_for_one_tag_and_mention_as_for_four(
    team, client_for, settings, django_assert_num_queries
):
    """The request writes and answers; the announcement (push, notifications, search
    index) is not part of it. Each tag and mention costs no query of its own."""
    settings.ANNOUNCE_POSTS_IN_WORKER = True
    PersonFactory(username="dave")
    client = client_for(team.alice)
    compose(client, "wondzorg", "warming up")  # the session's first save, the tag rows
    with django_assert_num_queries(12):
        one = compose(client, "wondzorg", "Overdracht #wond @bob")
    with django_assert_num_queries(12):
        four = compose(
            client, "wondzorg", "Overdracht #wond #zorg #dienst #avond @bob @carol @dave @alice"
        )
    first, second = Post.objects.order_by("-id")[:2][::-1]
    assert one.status_code == four.status_code == 200
    # The poster sees their own post at once, in the answer.
    assert f'id="post-{first.pk}"' in one.text and f'id="post-{second.pk}"' in four.text
    assert sorted(second.tags.values_list("name", flat=True)) == ["avond", "dienst", "wond", "zorg"]
    assert second.mentions.count() == 4


@pytest.mark.django_db(transaction=True)
async def test_a_post_is_pushed_and_told_once_however_often_its_task_runs(settings):
    settings.ANNOUNCE_POSTS_IN_WORKER = True  # tasks run where queued: the stand-in worker
    alice = await database_sync_to_async(PersonFactory)(username="alice", display_name="Alice")
    bob = await database_sync_to_async(PersonFactory)(username="bob")
    group = await database_sync_to_async(GroupFactory)(
        name="Wondzorg", slug="wondzorg", members=[alice, bob]
    )
    carols_page = await socket_of(
        await database_sync_to_async(PersonFactory)(username="carol"), "/ws/groups/wondzorg/"
    )

    post = await database_sync_to_async(actions.post_to_group)(alice, group, "Kijk even, @bob")
    # Delivered again (a worker died before acknowledging it; Redis redelivers).
    again = await database_sync_to_async(tasks.announce_post)(post.pk)

    assert again == "announced before"
    assert f'id="post-{post.pk}"' in await carols_page.receive_from(timeout=2)
    assert await carols_page.receive_nothing(timeout=0.5)
    texts = [n.text for n in await database_sync_to_async(notice_queries.latest)(bob)]
    assert texts == ["Alice mentioned you in Wondzorg"]
    assert await database_sync_to_async(PostAnnouncement.objects.count)() == 1
    await carols_page.disconnect()


@pytest.mark.django_db
def test_a_post_that_rolled_back_is_never_announced(
    team, settings, django_capture_on_commit_callbacks
):
    settings.ANNOUNCE_POSTS_IN_WORKER = True
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        actions.post_to_group(team.alice, team.group, "Toch niet, @bob")
        raise RuntimeError("the request failed after the post was written")
    assert callbacks == []
    assert not Post.objects.exists() and not PostAnnouncement.objects.exists()
    assert notice_queries.latest(team.bob) == []


@pytest.mark.django_db
def test_a_post_removed_before_its_task_ran_is_not_announced(
    team, settings, django_capture_on_commit_callbacks
):
    settings.ANNOUNCE_POSTS_IN_WORKER = True
    with django_capture_on_commit_callbacks(execute=False) as queued:
        post = actions.post_to_group(team.alice, team.group, "Verkeerde groep, @bob")
    actions.delete_post(team.alice, post)
    for announce in queued:  # the worker gets to it only now
        announce()
    assert not PostAnnouncement.objects.exists()
    assert notice_queries.latest(team.bob) == []


@pytest.mark.django_db
def test_a_mention_of_someone_who_may_not_read_the_group_tells_nobody(
    team, settings, django_capture_on_commit_callbacks
):
    """The announcement, wherever it runs, tells only the post's readers."""
    settings.ANNOUNCE_POSTS_IN_WORKER = True
    outsider = PersonFactory(username="dave")
    secret = GroupFactory(slug="commissie", privacy=Group.Privacy.SECRET, members=[team.alice])
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.post_to_group(team.alice, secret, "Geheim, @dave en @bob")
    assert PostAnnouncement.objects.filter(post=post).exists()
    assert notice_queries.latest(outsider) == [] and notice_queries.latest(team.bob) == []


# Scaled out: a real worker on Redis --------------------------------------------------


@pytest.fixture
def announcing_worker(transactional_db, server_logs):
    """A Daphne process that leaves announcing to a real Celery worker, and the worker."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("the scaled-out run has the worker on Redis")
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")  # earlier runs' tasks
    env = {**server_environment(), "ANNOUNCE_POSTS_IN_WORKER": "true"}
    worker = Worker(env, server_logs / "announcing-worker.log").start()
    server = DaphneProcess("announcing", server_logs, env=env).start()
    yield server, worker
    server.stop()
    worker.stop()


def post_and_read_answer(base_url: str, cookie: str, slug: str, body: str) -> str:
    token = secrets.token_hex(16)
    request = urllib.request.Request(
        f"{base_url}/groups/{slug}/posts/",
        data=urlencode({"body": body}).encode(),
        headers={
            "Cookie": f"{cookie}; csrftoken={token}",
            "X-CSRFToken": token,
            "HX-Request": "true",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return response.read().decode()


@pytest.mark.integration
def test_the_worker_pushes_and_tells_what_the_web_process_only_wrote(
    announcing_worker, team_committed
):
    server, worker = announcing_worker
    url = server.url.replace("http://", "ws://") + "/ws/groups/wondzorg/"
    carol = session_cookie(team_committed.carol)
    with connect(url, additional_headers={"Cookie": carol, "Origin": server.url}) as carols_page:
        answer = post_and_read_answer(
            server.url, session_cookie(team_committed.alice), "wondzorg", "Via de worker, @bob"
        )
        post = Post.objects.get()
        assert f'id="post-{post.pk}"' in answer  # the poster's own post, at once
        assert f'id="post-{post.pk}"' in carols_page.recv(timeout=10)
    wait_until(lambda: notice_queries.latest(team_committed.bob))
    [notice] = notice_queries.latest(team_committed.bob)
    assert notice.text == "Alice de Vries mentioned you in Kenniskring wondzorg"
    assert PostAnnouncement.objects.filter(post=post).exists()
    assert "communities.tasks.announce_post" in worker.log()
