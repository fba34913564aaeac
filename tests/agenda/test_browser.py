"""In Chromium: a place given up reaches the first on the waiting list, live."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agenda import actions
from tests.pages import logged_in

pytestmark = pytest.mark.browser


@pytest.fixture
def event(team_committed):
    start = timezone.now() + timedelta(days=2)
    return actions.create_event(
        team_committed.alice,
        team_committed.group,
        title="Workshop wondzorg",
        start=start,
        end=start + timedelta(hours=2),
        place="Zaal 3",
        capacity=1,
    )


def event_page(browser, server, username, event):
    page = logged_in(browser, server, username, f"/agenda/{event.pk}/")
    page.wait_for_selector("[data-event-live][data-state=live]", state="attached", timeout=10_000)
    return page


def test_the_first_waiting_sees_their_place_come_free_without_a_reload(
    team_committed, event, live_servers, browser
):
    places = f"#event-{event.pk}-places"
    status = f"#event-{event.pk}-status"
    bob = event_page(browser, live_servers[0], "bob", event)
    expect(bob.locator(places)).to_have_text("1 of 1 place left")
    bob.get_by_role("button", name="I'm going").click()
    expect(bob.locator(status)).to_contain_text("You are going.")
    expect(bob.locator(places)).to_have_text("Full")

    carol = event_page(browser, live_servers[-1], "carol", event)
    carol.get_by_role("button", name="Join the waiting list").click()
    expect(carol.locator(status)).to_contain_text("You are on the waiting list (number 1).")
    expect(carol.locator(places)).to_have_text("Full — 1 on the waiting list")
    # Bob's page heard it too.
    expect(bob.locator(places)).to_have_text("Full — 1 on the waiting list")
    carol.evaluate("window.notReloaded = true")

    bob.get_by_role("button", name="I can't go after all").click()
    expect(bob.locator(status)).to_contain_text("You are not going.")
    expect(carol.locator(status)).to_contain_text("You are going.")
    expect(carol.locator(places)).to_have_text("Full")
    expect(carol.get_by_role("button", name="I can't go after all")).to_be_visible()
    assert carol.evaluate("window.notReloaded === true")
    # The bell says so too: a notification of the place.
    expect(carol.locator("#notice-count")).to_have_text("1")
