from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        # Connect the domain's events to the channel layer.
        from realtime import (  # noqa: F401
            agenda,
            broadcast,
            incidents,
            insights,
            knowledge,
            notices,
            sessions,
        )
