"""Take the README's screenshot of a group feed from a running `make run`.

Usage: .venv/bin/python -m docs.screenshot [http://127.0.0.1:8000]
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.live import CHROMIUM_FLAGS

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).parent / "group-feed.png"

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(
        executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS
    )
    page = browser.new_page(viewport={"width": 1000, "height": 1400}, locale="nl-NL")
    page.goto(f"{BASE}/login/")
    page.fill("#id_username", "anouk")
    page.fill("#id_password", "kring-demo")
    page.click("button[type=submit]")
    page.goto(f"{BASE}/groups/kenniskring-wondzorg/")
    page.wait_for_selector("section.feed[data-state=live]", state="attached")
    page.screenshot(path=OUT)
    browser.close()
print(f"wrote {OUT}")
