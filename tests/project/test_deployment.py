"""The configuration a newcomer and an administrator meet."""

import os
import secrets
import subprocess
import sys

from tests.live import ROOT


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="project.settings_production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="kring.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = manage("check", DJANGO_SETTINGS_MODULE="project.settings_production", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_default_runs_without_any_services(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    # Tasks go to a worker through folders, not in the request, and need no server.
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert settings.CELERY_BROKER_URL.startswith("filesystem://")
    assert settings.DEBUG is False


def test_installs_on_one_redis_with_different_databases_do_not_hear_each_other():
    """Redis pub/sub ignores database numbers; the channel prefix must not."""

    def prefix(redis_url: str) -> str:
        result = manage(
            "shell",
            "-c",
            "from django.conf import settings; "
            "print(settings.CHANNEL_LAYERS['default']['CONFIG']['prefix'])",
            REDIS_URL=redis_url,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert prefix("redis://127.0.0.1:6379/7") != prefix("redis://127.0.0.1:6379/8")
