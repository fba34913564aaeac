from django.apps import AppConfig


class DemoConfig(AppConfig):
    """A small demo organisation (``manage.py load_demo``), written through every
    app's actions; it sits above them all and nothing imports it."""

    name = "demo"
    verbose_name = "Demo"
