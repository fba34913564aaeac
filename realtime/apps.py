from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        # Connect the domain's events to the channel layer.
        from realtime import agenda, broadcast, insights, knowledge, notices, sessions  # noqa: F401
