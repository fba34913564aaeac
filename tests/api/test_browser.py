"""The API's docs and the settings page's tokens in Debian's Chromium, under Kring's
content security policy: Swagger UI renders the served schema with no
violation of the policy; a token made on the settings page is announced, copied
and revoked after a confirmation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import AccessToken
from tests.pages import open_page
from tests.test_content_security_policy import RECORD_VIOLATIONS, violations, watched

pytestmark = pytest.mark.browser


def _docs_page(browser, server, path: str):
    page = browser.new_context().new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    errors = watched(page)
    response = page.goto(f"{server.url}{path}")
    assert response is not None and response.ok
    return page, errors


def test_swagger_ui_renders_the_schema_under_the_csp(browser, live_servers, team_committed):
    page, errors = _docs_page(browser, live_servers[0], "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kring API")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/me/")).to_be_visible()
    # The bearer scheme is offered: "Authorize" opens a field for the token.
    page.locator("button.authorize").click()
    expect(page.locator(".auth-container input").first).to_be_visible()
    assert violations(page) == []
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_token_made_on_the_settings_page_is_announced_copied_and_revoked(
    browser, live_servers, team_committed
):
    server = live_servers[0]
    page = open_page(browser, server, "alice", "/settings/", RECORD_VIOLATIONS)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.fill("#id_name", "Mijn rapportage")
    page.locator("form.token-form button[type=submit]").click()
    secret = page.locator("#token-secret")
    expect(secret).to_have_value(re.compile(r"^kr_"))
    status = page.locator("[data-token-status]")
    expect(status).to_have_text(re.compile("shown below, this once"))
    expect(page.locator("[data-token-made]")).to_be_focused()

    page.get_by_role("button", name="Copy the token").click()
    expect(status).to_have_text("The token is copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == secret.input_value()

    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(page.locator(".messages")).to_contain_text("is revoked")
    assert dialogs and "Mijn rapportage" in dialogs[0]
    assert AccessToken.objects.get(name="Mijn rapportage").revoked_at is not None
    assert violations(page) == []


def test_dismissing_the_confirmation_keeps_the_token(browser, live_servers, team_committed):
    from accounts import actions

    actions.make_personal_token(team_committed.alice, "Blijft", "read")
    page = open_page(browser, live_servers[0], "alice", "/settings/")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(page.locator("li.token")).to_have_count(1)
    assert AccessToken.objects.get(name="Blijft").revoked_at is None
