import pytest


@pytest.fixture(autouse=True)
def _receivers_allowed(settings):
    """The tests' receivers listen on 127.0.0.1: the one host allowed by default here."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
