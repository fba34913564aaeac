"""The Celery app. Tasks run in-process when REDIS_URL is unset (see settings)."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

app = Celery("kring")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect(weak=False, dispatch_uid="kring:in_worker")
@worker_process_init.connect(weak=False, dispatch_uid="kring:in_worker_child")
def in_worker(**kwargs) -> None:
    """A worker's pushes go through one event loop of its own (realtime.broadcast)."""
    os.environ["KRING_CELERY_WORKER"] = "1"
