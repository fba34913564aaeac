"""Outgoing webhooks through a real Celery worker on Redis: a receiver that fails
twice is tried again by the worker's countdowns, and gets the post the third time."""

from __future__ import annotations

import os

import pytest
import redis

from communities import actions as community_actions
from integrations import signing
from integrations.models import Delivery
from tests.integrations.helpers import make_hook, receiver, subscribe
from tests.live import server_environment
from tests.mail import Worker, wait_until

pytestmark = pytest.mark.integration


def test_a_real_worker_retries_until_the_receiver_takes_it(team_committed, server_logs):
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("celery", "unacked", "unacked_index")
    team = team_committed
    integration = make_hook(team.group).integration
    env = {
        **server_environment(),
        "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "WEBHOOK_RETRY_SECONDS": "1,2",
    }
    worker = Worker(env, server_logs / "celery-worker.log").start()
    try:
        with receiver(answers=[500, 502]) as site:
            subscription = subscribe(integration, site.url)
            community_actions.post_to_group(team.alice, team.group, "Via de worker")
            wait_until(lambda: Delivery.objects.filter(status="delivered").exists())
    finally:
        worker.stop()
    delivery = Delivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code) == (3, 200)
    assert len(site.received) == 3
    for request in site.received:
        signing.verify(subscription.secret, request.body, request.headers[signing.HEADER])
    assert "Task integrations.tasks.deliver" in worker.log()
