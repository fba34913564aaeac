"""Dutch and English ship: the browser's language picks one."""

import re
import shutil
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.test import Client

from tests.conftest import missing
from tests.live import ROOT

PO_FILE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_a_dutch_browser_gets_dutch(client_for, team):
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="nl")
    login = anonymous.get("/login/").content.decode()
    assert '<html lang="nl">' in login
    assert "Inloggen bij Kring" in login

    client = client_for(team.alice)
    page = client.get("/groups/wondzorg/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Plaats in Kenniskring wondzorg" in page
    assert ">Plaatsen</button>" in page
    assert "Nieuw bericht van" in page  # what the live region announces


def test_an_english_browser_gets_english(client_for, team):
    page = (
        client_for(team.alice).get("/groups/wondzorg/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert '<html lang="en">' in page
    assert "Post in Kenniskring wondzorg" in page
    assert ">Post</button>" in page


def test_the_language_can_be_switched_in_the_footer(client_for, team):
    client = client_for(team.alice)
    client.post("/language/", {"language": "nl", "next": "/"})
    assert "Jouw groepen" in client.get("/groups/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def untranslated_or_fuzzy(po_text: str) -> list[str]:
    problems = []
    for entry in po_text.split("\n\n")[1:]:  # the first block is the header
        lines = [line for line in entry.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue  # an obsolete entry
        msgstr = "".join(re.findall(r'"(.*)"', "\n".join(lines).split("msgstr", 1)[1]))
        if not msgstr or "#, fuzzy" in entry:
            problems.append(entry)
    return problems


def test_every_marked_text_has_a_dutch_translation(tmp_path, settings, monkeypatch):
    """Extract the texts again: a new one without a Dutch translation fails (`make messages`).

    makemessages writes into ./locale, so it runs on a copy of the sources.
    """
    if not shutil.which("xgettext"):
        missing("gettext is not installed (apt-get install gettext)")
    # Kring's own apps (every one, as apps are added), the project, and what they render.
    ours = [c.label for c in apps.get_app_configs() if Path(c.path).parent == ROOT]
    for source in ["project", *ours, "templates", "static", "locale"]:
        shutil.copytree(ROOT / source, tmp_path / source)
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["nl"], no_obsolete=True, verbosity=0)
    assert untranslated_or_fuzzy((tmp_path / PO_FILE.relative_to(ROOT)).read_text()) == []


def test_the_shipped_catalog_is_complete():
    assert untranslated_or_fuzzy(PO_FILE.read_text()) == []
