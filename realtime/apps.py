from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        # Connect the domain's events to the channel layer.
        from celery.signals import worker_init, worker_process_init

        from realtime import (  # noqa: F401
            agenda,
            broadcast,
            incidents,
            insights,
            knowledge,
            notices,
            sessions,
        )

        def in_worker(**kwargs) -> None:
            broadcast.IN_WORKER = True

        worker_init.connect(in_worker, weak=False, dispatch_uid="realtime:in_worker")
        worker_process_init.connect(in_worker, weak=False, dispatch_uid="realtime:in_child")
