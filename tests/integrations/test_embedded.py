"""The embedded default, as `make run` runs it: a real Daphne process and a real
`celery worker --beat` on the broker of folders. A delivery to an incoming webhook
becomes a post, which a second integration's receiver gets from the worker, on
the third try after two failures (the worker's countdowns, seconds apart here)."""

from __future__ import annotations

import json
import urllib.request

import pytest

from communities.models import Post
from integrations import signing
from integrations.models import Delivery
from tests.integrations.helpers import make_hook, make_integration, receiver, subscribe
from tests.live import DaphneProcess
from tests.mail import Worker, wait_until
from tests.notices.test_embedded_worker import embedded_environment


@pytest.fixture
def embedded(transactional_db, tmp_path):
    env = embedded_environment(
        tmp_path, 9, WEBHOOK_ALLOWED_HOSTS="127.0.0.1", WEBHOOK_RETRY_SECONDS="1,1"
    )
    worker = Worker(env, tmp_path / "worker.log", ["--beat", "--pool", "solo"]).start()
    daphne = DaphneProcess("embedded", tmp_path, env).start()
    yield daphne, worker
    daphne.stop()
    worker.stop()


def test_a_hooks_post_goes_out_to_another_system_through_the_worker(embedded, team_committed):
    daphne, worker = embedded
    hook = make_hook(team_committed.group)
    listener = make_integration("Roosters")
    make_hook(team_committed.group, listener)  # a member of the group, so it may see the post
    with receiver(answers=[500, 500]) as site:
        subscription = subscribe(listener, site.url)
        body = json.dumps({"text": "Storing verholpen"}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{daphne.port}/hooks/in/{hook.token}/",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                signing.HEADER: signing.sign(hook.secret, body),
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            assert response.status == 201
        wait_until(lambda: Delivery.objects.filter(status="delivered").exists())
    post = Post.objects.get()
    assert post.author == hook.integration.account
    delivery = Delivery.objects.get()
    assert delivery.attempts == 3
    assert [json.loads(r.body)["post"]["id"] for r in site.received] == [post.pk] * 3
    signing.verify(
        subscription.secret, site.received[-1].body, site.received[-1].headers[signing.HEADER]
    )
    assert "Task integrations.tasks.deliver" in worker.log()
