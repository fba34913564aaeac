"""The README's screenshots, made from scratch: ``make screenshots``.

Builds a fresh demo in ``var/screenshots/`` (its own SQLite file, media and key,
apart from the database ``make run`` uses), serves it with Daphne on a free
port, logs in as a demo person in Debian's Chromium and saves what they see at
375×812 (a phone) and 1280×800 (a laptop) in ``docs/screenshots/``:
``<page>-phone.png`` and ``<page>-desktop.png``. A page whose URL does not
exist (yet) is skipped with a note.

Usage: .venv/bin/python -m docs.screenshots
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "screenshots"
OUT = ROOT / "docs" / "screenshots"
USERNAME, PASSWORD = "anouk", "kring-demo"
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}


def demo_environment() -> dict[str, str]:
    """The embedded setup on a folder of its own: no DATABASE_URL, no Redis, no worker
    (emails the demo might send go nowhere: tasks run in-process to the console)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "MEDIA_ROOT", "KRING_BROKER_DIR"}
    }
    env.update(
        KRING_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="project.settings",
        CELERY_TASK_ALWAYS_EAGER="true",
        LANGUAGE_CODE="en",
    )
    return env


os.environ.update(demo_environment())
for name in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "MEDIA_ROOT", "KRING_BROKER_DIR"):
    os.environ.pop(name, None)

import django  # noqa: E402  (settings read the environment set above)

django.setup()

from django.urls import NoReverseMatch, reverse  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.live import CHROMIUM_FLAGS, DaphneProcess  # noqa: E402


def pages() -> dict[str, str | None]:
    """Each screenshot's name and path; None for a page this version does not have."""

    def path(name: str, *args: str) -> str | None:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            return None

    return {
        "home": path("home"),
        "group": path("group", "kenniskring-wondzorg"),
        "profile": path("person", "bram"),
        "directory": path("directory"),
        "settings": path("settings"),
        "notifications": path("notices"),
    }


def build_demo(port: int) -> None:
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    manage = [sys.executable, "manage.py"]
    env = demo_environment()
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "load_demo", "--url", f"http://127.0.0.1:{port}/"], cwd=ROOT, env=env, check=True
    )


def shoot(server: DaphneProcess, chromium: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    wanted = pages()
    for name, path in wanted.items():
        if path is None:
            print(f"note: no {name} page in this version (url name not found); skipped")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        for device, viewport in VIEWPORTS.items():
            context = browser.new_context(
                viewport=viewport, locale="en-GB", reduced_motion="reduce"
            )
            page = context.new_page()
            page.goto(f"{server.url}/login/")
            page.fill("#id_username", USERNAME)
            page.fill("#id_password", PASSWORD)
            page.click("form button[type=submit]")
            page.wait_for_url(f"{server.url}/")
            for name, path in wanted.items():
                if path is None:
                    continue
                page.goto(f"{server.url}{path}")
                if page.locator("section.feed").count():
                    page.wait_for_selector(
                        "section.feed[data-state=live]", state="attached", timeout=15_000
                    )
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{device}.png"
                page.screenshot(path=target)
                written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    chromium = shutil.which("chromium")
    if not chromium:
        sys.exit("Debian's chromium is needed: apt-get install chromium")
    server = DaphneProcess("screenshots", VAR, env=demo_environment())
    build_demo(server.port)
    server.start()
    try:
        written = shoot(server, chromium)
    finally:
        server.stop()
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
