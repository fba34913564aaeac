"""Render a demo person's weekly digest email and save it as docs/digest-email.png.

The digest is built from the database `make run` loaded (the demo), exactly as
the Celery task builds it, and its HTML is shown in Debian's Chromium.

Usage: .venv/bin/python -m docs.digest_screenshot [username]   (default: anouk)
"""

import os
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django.setup()

from django.utils import timezone  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from communities.models import Person  # noqa: E402
from notices import emails  # noqa: E402
from notices import queries as notice_queries  # noqa: E402
from tests.live import CHROMIUM_FLAGS  # noqa: E402

USERNAME = sys.argv[1] if len(sys.argv) > 1 else "anouk"
OUT = Path(__file__).parent / "digest-email.png"

person = Person.objects.get(username=USERNAME)
prefs = notice_queries.preferences(person)
prefs.language = "nl"  # the demo organisation is Dutch; nothing is saved
digest = emails.build_digest(person, "weekly", timezone.now() - timedelta(days=7), prefs)
html = emails.digest_email(digest, prefs).alternatives[0][0]

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS
    )
    page = browser.new_page(viewport={"width": 760, "height": 900})
    page.set_content(html)
    page.screenshot(path=OUT, full_page=True)
    browser.close()
print(f"wrote {OUT}")
