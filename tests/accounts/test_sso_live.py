"""Single sign-on end to end: Chromium, Kring on Daphne and a real OpenID provider
(django-oauth-toolkit, tests/oidc_provider), all on 127.0.0.1. Kring reads the
provider's endpoints from its discovery document, as a deployment with
OIDC_ISSUER does."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from accounts.models import Login, SignOn
from communities.models import Person
from tests.oidc_provider.process import CLIENT_ID, CLIENT_SECRET, PASSWORD, ProviderProcess

pytestmark = pytest.mark.browser

DIRECTORY = {
    "nora": {"job_title": "Wijkverpleegkundige", "department": "Thuiszorg Noord"},
    "alice": {"job_title": "Teamleider", "department": "Wondzorg"},
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """One provider for the module's tests (Kring's accounts are made afresh in each)."""
    folder = tmp_path_factory.mktemp("provider")
    process = ProviderProcess(
        folder,
        [
            ("nora", "nora.bakker@contoso.test", "Nora", "Bakker"),
            ("alice", "alice@k.test", "Alice", "de Vries"),
        ],
    ).start()
    yield process
    process.stop()


@pytest.fixture
def sso(provider, monkeypatch):
    """Kring's servers (started after this) sign on at the provider."""
    provider.set_claims(DIRECTORY)
    monkeypatch.setenv("OIDC_ISSUER", provider.issuer)
    monkeypatch.setenv("OIDC_RP_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("OIDC_RP_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("OIDC_PROVIDER_NAME", "Contoso")
    monkeypatch.setenv("OIDC_OP_LOGOUT_ENDPOINT", f"{provider.issuer}/logout/")
    return provider


@pytest.fixture
def local_login_off(sso, monkeypatch):
    monkeypatch.setenv("LOCAL_LOGIN", "false")
    return sso


def sign_on(page, server, username: str) -> None:
    """From Kring's login page through the provider's and back, signed in."""
    page.goto(f"{server.url}/login/")
    page.get_by_role("link", name="Sign in with Contoso").click()
    expect(page.get_by_role("heading", name="Contoso account")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to Contoso").click()
    expect(page).to_have_url(f"{server.url}/", timeout=20_000)


def test_a_first_sign_on_makes_the_person_and_fills_their_profile_from_the_directory(
    sso, browser, live_servers
):
    server = live_servers[0]
    page = browser.new_page()

    sign_on(page, server, "nora")

    nora = Person.objects.get(username="nora")
    assert nora.display_name == "Nora Bakker"
    assert Login.objects.filter(person=nora).count() == 1
    page.goto(f"{server.url}{nora.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("Wijkverpleegkundige")
    expect(page.locator("main")).to_contain_text("Thuiszorg Noord")

    # The next login, in another browser, is the same person, with the directory's news.
    sso.set_claims({**DIRECTORY, "nora": {**DIRECTORY["nora"], "department": "Thuiszorg Zuid"}})
    again = browser.new_context().new_page()
    sign_on(again, server, "nora")
    assert Person.objects.filter(display_name="Nora Bakker").count() == 1
    assert SignOn.objects.filter(person=nora).count() == 1
    assert Login.objects.filter(person=nora).count() == 2
    again.goto(f"{server.url}{nora.get_absolute_url()}")
    expect(again.locator("main")).to_contain_text("Thuiszorg Zuid")


def test_a_colleague_with_the_same_email_is_matched_not_duplicated(
    sso, browser, live_servers, team_committed
):
    server = live_servers[0]
    page = browser.new_page()

    sign_on(page, server, "alice")

    assert Person.objects.count() == 3
    assert SignOn.objects.get().person == team_committed.alice
    expect(page.locator("header")).to_contain_text("Alice de Vries")
    team_committed.alice.refresh_from_db()
    assert team_committed.alice.job_title == "Teamleider"


def test_logging_out_ends_the_session_in_kring_and_at_the_provider(sso, browser, live_servers):
    server = live_servers[0]
    page = browser.new_page()
    sign_on(page, server, "nora")

    page.locator("summary.account-button").click()
    page.get_by_role("button", name="Log out").click()

    page.wait_for_url(re.compile(rf"^{re.escape(server.url)}/login/"))
    assert not Login.objects.exists()
    page.goto(f"{server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    # The provider's session ended too: signing on asks for the password again.
    page.get_by_role("link", name="Sign in with Contoso").click()
    expect(page.get_by_role("heading", name="Contoso account")).to_be_visible()


def test_with_local_login_off_only_the_provider_logs_in(
    local_login_off, browser, live_servers, team_committed
):
    server = live_servers[0]
    page = browser.new_page()
    page.goto(f"{server.url}/login/")
    expect(page.get_by_label("Password")).to_have_count(0)
    expect(page.get_by_role("link", name="Forgot your password?")).to_have_count(0)

    # A password sent anyway (an old bookmark's form, a script) is refused.
    token = secrets.token_hex(16)  # a CSRF secret: the cookie and the field agree
    page.context.add_cookies([{"name": "csrftoken", "value": token, "url": server.url}])
    refused = page.request.post(
        f"{server.url}/login/",
        form={"username": "alice", "password": "a-test-password-1", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{server.url}/login/"},
    )
    assert refused.status == 403
    assert "Logging in with a password is switched off here" in refused.text()
    assert not Login.objects.exists()

    sign_on(page, server, "alice")
    assert Login.objects.get().person == team_committed.alice
