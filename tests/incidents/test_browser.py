"""In Chromium: a major incident reported through the API appears on every open home
page without a reload, in each reader's language; its updates follow, and once
resolved it leaves when its time is up. With REDIS_URL set the two readers are on
two Daphne processes, so the push travels through Redis."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.incidents.helpers import api_patch, api_post, grant_reporting
from tests.pages import logged_in, mark_page

pytestmark = pytest.mark.browser

WIDGET = "#incidents-live"


@pytest.fixture
def resolved_briefly(monkeypatch):
    """The live servers show a resolved incident for a few seconds only (read from
    the environment when they start: ask for this fixture before ``live_servers``)."""
    monkeypatch.setenv("INCIDENTS_SHOW_RESOLVED_SECONDS", "4")


def home(browser, server, username, language="en"):
    page = logged_in(browser, server, username, "/", language=language)
    page.wait_for_selector("[data-incidents][data-state=live]", state="attached", timeout=10_000)
    mark_page(page)
    return page


def test_an_incident_opens_changes_and_leaves_on_every_open_home_page(
    resolved_briefly, team_committed, live_servers, browser
):
    alice = team_committed.alice
    grant_reporting(alice)
    english = home(browser, live_servers[0], "alice")
    dutch = home(browser, live_servers[-1], "bob", language="nl")
    # Nothing current: no widget, only its empty live region.
    expect(english.locator(f"{WIDGET} section")).to_have_count(0)

    status, body = api_post(
        live_servers[0].url,
        alice,
        "/api/v1/incidents/",
        {
            "external_id": "TD-41",
            "number": "I 2612 041",
            "title": "Email is down",
            "status": "Registered",
            "impact": "high",
            "url": "https://desk.example/tas/secure/incident?unid=41",
        },
    )
    assert status == 201, body
    for page in (english, dutch):
        expect(page.locator(WIDGET)).to_contain_text("Email is down")
    expect(english.get_by_role("heading", name="Major incidents")).to_be_visible()
    expect(english.locator(WIDGET)).to_contain_text("High impact")
    expect(english.get_by_role("button", name="Follow Email is down")).to_be_visible()
    expect(dutch.get_by_role("button", name="Volgen Email is down")).to_be_visible()
    link = english.get_by_role(
        "link", name="In the service desk Email is down (opens in a new tab)"
    )
    expect(link).to_have_attribute("href", "https://desk.example/tas/secure/incident?unid=41")

    # Bob follows it; his button says so, and stays so through the next push.
    dutch.get_by_role("button", name="Volgen Email is down").click()
    unfollow = dutch.locator(f"#incident-{body['id']} [data-when=following]")
    expect(unfollow).to_be_visible()
    expect(unfollow).to_be_focused()  # the pressed button's place, for the keyboard

    status, _ = api_patch(
        live_servers[0].url, alice, f"/api/v1/incidents/{body['id']}/", {"status": "In progress"}
    )
    assert status == 200
    expect(english.locator(WIDGET)).to_contain_text("In progress")
    expect(dutch.locator(f"#incident-{body['id']} .incident-status")).not_to_have_text("Open")
    expect(unfollow).to_be_visible()
    expect(unfollow).to_be_focused()  # through the push too
    # Bob follows it: a notification of the update on his bell.
    expect(dutch.locator("#notice-count")).to_have_text("1")

    status, _ = api_patch(
        live_servers[0].url, alice, f"/api/v1/incidents/{body['id']}/", {"status": "resolved"}
    )
    assert status == 200
    # Resolved it stays a moment, then leaves every page by itself.
    for page in (english, dutch):
        expect(page.locator(f"{WIDGET} [data-incident]")).to_have_count(0, timeout=20_000)
    expect(english.get_by_role("heading", name="Major incidents")).to_have_count(0)
    assert english.evaluate("window.notReloaded === true")
    assert dutch.evaluate("window.notReloaded === true")


def test_a_page_that_opens_later_shows_what_is_current(team_committed, live_servers, browser):
    alice = team_committed.alice
    grant_reporting(alice)
    status, _ = api_post(
        live_servers[0].url,
        alice,
        "/api/v1/incidents/",
        {"external_id": "TD-7", "title": "Wifi in building B is down", "status": "open"},
    )
    assert status == 201
    page = home(browser, live_servers[-1], "carol")
    expect(page.locator(WIDGET)).to_contain_text("Wifi in building B is down")
