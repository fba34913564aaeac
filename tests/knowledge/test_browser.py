"""Knowledge pages in Debian's Chromium: two colleagues edit the same version and
nothing is lost; a reader sees "Updated by … just now" appear while the page is open."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from knowledge.models import Page
from tests.knowledge.helpers import make_page
from tests.pages import open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def protocol(team_committed):
    return make_page(
        team_committed.alice,
        title="Wondzorg protocol",
        body="Spoel de wond met water.",
        group=team_committed.group,
    )


def test_two_editors_of_one_version_both_keep_their_edit(protocol, browser, live_servers):
    server_a, server_b = live_servers[0], live_servers[-1]
    edit_path = f"/pages/{protocol.pk}/edit/"
    bob = open_page(browser, server_a, "bob", edit_path)
    carol = open_page(browser, server_b, "carol", edit_path)
    bob.get_by_label("Text").fill("Spoel de wond met lauw kraanwater.")
    carol_text = "Spoel de wond met water.\n\nDep daarna droog met een steriel gaasje."
    carol.get_by_label("Text").fill(carol_text)

    bob.get_by_role("button", name="Save").click()
    bob.wait_for_url(re.compile(rf"/pages/{protocol.pk}/$"))
    expect(bob.locator(".post-body")).to_contain_text("lauw kraanwater")

    carol.get_by_role("button", name="Save").click()
    alert = carol.get_by_role("alert").filter(has_text="Someone else saved this page")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Bob Jansen")
    expect(alert.locator("ins").first).to_contain_text("lauw")
    # Her own text is still in the box, and the form is now on top of version 2.
    expect(carol.get_by_label("Text")).to_have_value(carol_text)
    expect(carol.locator("input[name=base]")).to_have_value("2")
    # She takes Bob's change into her text and saves on top of it.
    carol.get_by_label("Text").fill(
        "Spoel de wond met lauw kraanwater.\n\nDep daarna droog met een steriel gaasje."
    )
    carol.get_by_role("button", name="Save on top of version 2").click()
    carol.wait_for_url(re.compile(rf"/pages/{protocol.pk}/$"))
    page = Page.objects.get(pk=protocol.pk)
    assert page.version == 3
    assert list(page.versions.order_by("number").values_list("author__username", flat=True)) == [
        "alice",
        "bob",
        "carol",
    ]
    assert "kraanwater" in page.body and "gaasje" in page.body


def test_a_reader_sees_an_update_appear_live(protocol, browser, live_servers):
    server_a, server_b = live_servers[0], live_servers[-1]
    reader = open_page(browser, server_b, "carol", f"/pages/{protocol.pk}/")
    reader.evaluate("window.notReloaded = true")
    reader.wait_for_selector(
        "[data-page-socket][data-state=live]", state="attached", timeout=10_000
    )
    editor = open_page(browser, server_a, "bob", f"/pages/{protocol.pk}/edit/")
    editor.get_by_label("Text").fill("Spoel de wond met lauw kraanwater.")
    editor.get_by_role("button", name="Save").click()
    editor.wait_for_url(re.compile(rf"/pages/{protocol.pk}/$"))
    status = reader.locator("#page-updates")
    expect(status).to_contain_text("Updated by Bob Jansen just now.")
    expect(status).to_have_attribute("aria-live", "polite")
    assert reader.evaluate("window.notReloaded") is True
    status.get_by_role("link", name="Show the new version").click()
    expect(reader.locator(".post-body")).to_contain_text("lauw kraanwater")
