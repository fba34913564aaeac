"""A download prepared by a real Celery worker on Redis, from a request made over
HTTP, in the database PostgreSQL keeps for this run: the worker writes the ZIP file
where the web side serves it from, and only to its owner."""

from __future__ import annotations

import json
import os

import pytest
import redis
from django.conf import settings

from privacy.models import DataExport
from tests.live import server_environment
from tests.mail import Worker, wait_until
from tests.privacy.helpers import build_world, downloaded, unzip

pytestmark = pytest.mark.integration


def test_a_real_worker_prepares_the_download_for_its_owner_alone(
    transactional_db, client_for, server_logs
):
    world = build_world()
    alice, bob = world.team.alice, world.team.bob
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("celery", "unacked", "unacked_index")
    env = {
        **server_environment(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DATA_EXPORT_ROOT": str(settings.DATA_EXPORT_ROOT),
    }
    worker = Worker(env, server_logs / "celery-worker.log").start()
    try:
        client = client_for(alice)
        client.post("/settings/data/")
        wait_until(lambda: DataExport.objects.filter(status="ready").exists())
    finally:
        worker.stop()
    export = DataExport.objects.get()
    assert "Task privacy.tasks.prepare_export" in worker.log()
    files = unzip(downloaded(client.get(f"/settings/data/{export.pk}/download/")))
    texts = [post["text"] for post in json.loads(files["posts.json"])]
    assert "Geheime foto van Alice" in texts
    assert b"Geheim bericht van Bob" not in b"".join(files.values())
    assert client_for(bob).get(f"/settings/data/{export.pk}/download/").status_code == 404
