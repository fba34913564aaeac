"""Single sign-on without a provider: who a sign-on is in Kring (the matching rules,
fed claims as the provider would send them), the login and callback views with the
provider's answers stood in for, local login switched off, and logging out.
tests/accounts/test_sso_live.py runs it all against a real provider."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.test import Client
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts import actions, sso
from accounts.forms import AdminLoginForm
from accounts.models import Login, SignOn
from communities import actions as core_actions
from communities.models import Person
from privacy import actions as privacy_actions
from tests.factories import PASSWORD, PersonFactory
from tests.integrations.helpers import administrator

ISSUER = "http://provider.test/o"


@pytest.fixture
def sso_on(settings):
    settings.OIDC_RP_CLIENT_ID = "kring"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/jwks/"
    settings.OIDC_PROVIDER_NAME = "Contoso"
    return settings


@pytest.fixture
def local_login_off(sso_on):
    sso_on.LOCAL_LOGIN = False
    return sso_on


def claims(subject: str = "sub-1", **more) -> actions.SignOnClaims:
    return sso.claims_of({"iss": ISSUER, "sub": subject, **more})


NORA = {
    "email": "Nora.Bakker@contoso.test",
    "email_verified": True,
    "preferred_username": "nora.bakker@contoso.test",
    "given_name": "Nora",
    "family_name": "Bakker",
    "job_title": "Wijkverpleegkundige",
    "department": "Thuiszorg Noord",
}


# Who a sign-on is ----------------------------------------------------------------------


def test_a_first_sign_on_makes_a_person_from_the_claims(db):
    person = actions.sign_on(claims(**NORA))

    assert person.username == "nora.bakker"
    assert person.display_name == "Nora Bakker"
    assert person.email == "Nora.Bakker@contoso.test"
    assert (person.job_title, person.department) == ("Wijkverpleegkundige", "Thuiszorg Noord")
    assert not person.has_usable_password()
    assert SignOn.objects.get(person=person).subject == "sub-1"


def test_the_same_subject_is_the_same_person_even_with_another_email(db):
    first = actions.sign_on(claims(**NORA))
    again = actions.sign_on(claims(**{**NORA, "email": "n.bakker@elsewhere.test"}))

    assert again == first
    assert Person.objects.count() == 1
    assert SignOn.objects.count() == 1


def test_the_subject_decides_before_the_email(db):
    nora = PersonFactory(username="nora", email="nora@contoso.test")
    SignOn.objects.create(person=nora, issuer=ISSUER, subject="sub-1")
    other = PersonFactory(username="other", email="other@contoso.test")

    person = actions.sign_on(claims(email="other@contoso.test", email_verified=True))

    assert person == nora != other


def test_a_verified_email_matches_an_existing_person_whatever_its_capitals(db):
    alice = PersonFactory(username="alice", email="alice@k.test", job_title="Arts")

    person = actions.sign_on(
        claims(email="ALICE@K.test", email_verified=True, job_title="Huisarts")
    )

    assert person == alice
    assert Person.objects.count() == 1
    assert SignOn.objects.get().person == alice
    alice.refresh_from_db()
    assert alice.job_title == "Huisarts"
    # She keeps her password: logging in locally still works.
    assert alice.has_usable_password()


def test_an_unverified_email_matches_nobody_and_is_not_given_twice(db):
    alice = PersonFactory(username="alice", email="alice@k.test")

    person = actions.sign_on(claims(email="alice@k.test", preferred_username="alice"))

    assert person != alice
    assert person.username == "alice-2"
    assert person.email == ""


def test_a_provider_whose_addresses_are_trusted_matches_without_email_verified(db, settings):
    settings.OIDC_TRUST_EMAIL = True
    alice = PersonFactory(username="alice", email="alice@k.test")

    assert actions.sign_on(claims(email="alice@k.test")) == alice


def test_an_email_two_active_people_share_is_refused_and_nothing_is_made(db):
    PersonFactory(username="a1", email="team@k.test")
    PersonFactory(username="a2", email="team@k.test")

    with pytest.raises(actions.SignOnRefused, match="More than one account"):
        actions.sign_on(claims(email="team@k.test", email_verified=True))

    assert Person.objects.count() == 2
    assert not SignOn.objects.exists()


def test_a_deactivated_person_is_refused_by_subject(db):
    nora = PersonFactory(username="nora", is_active=False)
    SignOn.objects.create(person=nora, issuer=ISSUER, subject="sub-1")

    with pytest.raises(actions.SignOnRefused, match="Your account in Kring is closed"):
        actions.sign_on(claims(**NORA))
    assert Person.objects.count() == 1


def test_a_deactivated_person_is_refused_by_email_rather_than_made_anew(db):
    PersonFactory(username="nora", email="nora.bakker@contoso.test", is_active=False)

    with pytest.raises(actions.SignOnRefused, match="Your account in Kring is closed"):
        actions.sign_on(claims(**NORA))
    assert Person.objects.count() == 1
    assert not SignOn.objects.exists()


def test_an_erased_person_is_never_matched(db):
    admin = PersonFactory(username="admin", is_staff=True, is_superuser=True)
    nora = actions.sign_on(claims(**NORA))
    privacy_actions.erase_person(admin, nora)
    assert not SignOn.objects.filter(person=nora).exists()

    again = actions.sign_on(claims(**NORA))

    assert again != nora
    assert again.display_name == "Nora Bakker"
    assert SignOn.objects.get(subject="sub-1").person == again


def test_an_erased_persons_leftover_sign_on_is_not_followed(db):
    nora = actions.sign_on(claims(**NORA))
    # As if erased before sign-ons were forgotten with the person.
    Person.objects.filter(pk=nora.pk).update(erased_at="2026-01-01T00:00Z", email="")

    assert actions.sign_on(claims(**NORA)) != nora


def test_the_directory_fills_job_title_and_department_at_every_login(db):
    nora = actions.sign_on(claims(**NORA))

    actions.sign_on(claims(**{**NORA, "department": "Thuiszorg Zuid"}))
    nora.refresh_from_db()
    assert nora.department == "Thuiszorg Zuid"

    # A claim the provider does not send leaves Kring's value alone.
    actions.sign_on(claims(email=NORA["email"]))
    nora.refresh_from_db()
    assert (nora.job_title, nora.department) == ("Wijkverpleegkundige", "Thuiszorg Zuid")


def test_the_claim_names_are_configurable(db, settings):
    settings.OIDC_CLAIM_JOB_TITLE = "jobTitle"
    settings.OIDC_CLAIM_DEPARTMENT = "extension_Department"

    person = actions.sign_on(
        claims(preferred_username="jan", jobTitle="Buurtcoach", extension_Department="Wijkteam")
    )

    assert (person.job_title, person.department) == ("Buurtcoach", "Wijkteam")


def test_a_name_is_read_from_name_before_given_and_family_name(db):
    person = actions.sign_on(claims(name="Jan de Wit", given_name="J", preferred_username="jan"))
    assert person.display_name == "Jan de Wit"


def test_the_backend_fed_claims_refuses_a_closed_account_with_its_reason(db, sso_on, rf):
    nora = PersonFactory(username="nora", email="nora.bakker@contoso.test", is_active=False)
    backend = sso.SignOnBackend()
    backend.request = rf.get("/")
    backend.get_userinfo = lambda *args: {"sub": "sub-1", **NORA}

    assert backend.get_or_create_user("access", "id", {"iss": ISSUER, "sub": "sub-1"}) is None
    assert "closed" in backend.request.kring_sign_on_refused
    assert nora.sign_ons.count() == 0


def test_userinfo_of_another_subject_is_refused(db, sso_on, rf):
    backend = sso.SignOnBackend()
    backend.request = rf.get("/")
    backend.get_userinfo = lambda *args: {"sub": "someone-else", **NORA}

    with pytest.raises(SuspiciousOperation):
        backend.get_or_create_user("access", "id", {"iss": ISSUER, "sub": "sub-1"})
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{"iss": ISSUER, "aud": "another-app"}, {"iss": "http://evil.test", "aud": "kring"}],
    ids=["another audience", "another issuer"],
)
def test_an_id_token_for_another_client_or_from_another_issuer_is_refused(
    sso_on, monkeypatch, payload
):
    monkeypatch.setattr(OIDCAuthenticationBackend, "verify_token", lambda self, t, **kw: payload)
    with pytest.raises(SuspiciousOperation):
        sso.SignOnBackend().verify_token("token")


def test_a_password_login_needs_no_provider_configured(team):
    """Django makes every backend for a password login: ours reads nothing then."""
    assert Client().login(username="alice", password=PASSWORD)


# Discovery ----------------------------------------------------------------------------


class FakeResponse:
    def __init__(self, document):
        self.document = document

    def raise_for_status(self):
        pass

    def json(self):
        return self.document


def test_the_endpoints_are_read_once_from_the_issuers_discovery_document(settings, monkeypatch):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    asked = []

    def get(url, timeout):
        asked.append(url)
        return FakeResponse({"issuer": ISSUER, "token_endpoint": f"{ISSUER}/token/"})

    monkeypatch.setattr(sso.requests, "get", get)
    monkeypatch.setattr(sso, "_discovery", {})

    assert sso.setting("OIDC_OP_TOKEN_ENDPOINT") == f"{ISSUER}/token/"
    assert sso.setting("OIDC_OP_TOKEN_ENDPOINT") == f"{ISSUER}/token/"
    assert asked == [f"{ISSUER}/.well-known/openid-configuration"]


def test_a_discovery_document_of_another_issuer_is_refused(settings, monkeypatch):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    monkeypatch.setattr(sso.requests, "get", lambda url, timeout: FakeResponse({"issuer": "x"}))
    monkeypatch.setattr(sso, "_discovery", {})

    with pytest.raises(ImproperlyConfigured):
        sso.setting("OIDC_OP_TOKEN_ENDPOINT")


# The views, with the provider's answers stood in for ---------------------------------


def sign_on_through_views(client: Client, monkeypatch, userinfo: dict, next_url: str = ""):
    """The browser's round trip: Kring sends it to the provider, which (stood in
    for) sends it back with a code; the id token and userinfo are given."""
    start = client.get(
        reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    )
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert start["Location"].startswith(f"{ISSUER}/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    nonce = query["nonce"][0]
    payload = {"iss": ISSUER, "aud": "kring", "sub": userinfo["sub"], "nonce": nonce}
    monkeypatch.setattr(
        sso.SignOnBackend, "get_token", lambda self, p: {"id_token": "i", "access_token": "a"}
    )
    monkeypatch.setattr(sso.SignOnBackend, "verify_token", lambda self, t, **kw: payload)
    monkeypatch.setattr(sso.SignOnBackend, "get_userinfo", lambda self, *a: userinfo)
    return client.get(
        reverse("oidc_authentication_callback"), {"code": "c", "state": query["state"][0]}
    )


def test_signing_on_logs_in_and_records_the_login(db, sso_on, monkeypatch):
    client = Client()
    response = sign_on_through_views(client, monkeypatch, {"sub": "sub-1", **NORA})

    assert response.status_code == 302 and response["Location"] == reverse("home")
    nora = Person.objects.get(username="nora.bakker")
    assert int(client.session[SESSION_KEY]) == nora.pk
    assert Login.objects.filter(person=nora, session_id=client.session.session_key).exists()
    assert client.get(reverse("home")).status_code == 200


def test_signing_on_returns_to_the_page_asked_for(db, sso_on, monkeypatch):
    response = sign_on_through_views(
        Client(), monkeypatch, {"sub": "s", **NORA}, next_url="/settings/"
    )
    assert response["Location"] == "/settings/"


def test_a_closed_account_is_told_so_on_the_login_page(db, sso_on, monkeypatch):
    PersonFactory(username="nora", email="nora.bakker@contoso.test", is_active=False)
    client = Client()

    response = sign_on_through_views(client, monkeypatch, {"sub": "sub-1", **NORA})

    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    page = client.get(reverse("login")).content.decode()
    assert "Your account in Kring is closed." in page


def test_a_provider_that_refuses_is_told_on_the_login_page(db, sso_on):
    client = Client()
    client.get(reverse("oidc_authentication_init"))
    response = client.get(
        reverse("oidc_authentication_callback"), {"error": "access_denied"}, follow=True
    )

    assert "Signing in with Contoso did not succeed." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_without_a_client_id_there_is_no_single_sign_on(db):
    assert Client().get(reverse("oidc_authentication_init")).status_code == 404
    page = Client().get(reverse("login")).content.decode()
    assert "Sign in with" not in page and 'name="password"' in page


def test_the_login_page_offers_the_providers_button_beside_the_password(db, sso_on):
    page = Client().get(reverse("login") + "?next=/settings/").content.decode()
    assert 'href="/oidc/authenticate/?next=/settings/"' in page
    assert "Sign in with Contoso" in page
    assert 'name="password"' in page


# Local login switched off --------------------------------------------------------------


def test_with_local_login_off_the_login_page_shows_only_the_providers_button(db, local_login_off):
    page = Client().get(reverse("login")).content.decode()
    assert "Sign in with Contoso" in page
    assert 'name="password"' not in page
    assert "Forgot your password?" not in page


def test_with_local_login_off_a_password_is_refused_unchecked(team, local_login_off):
    client = Client()
    for _ in range(6):  # more than the lock-out allows: nothing counts
        response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        assert response.status_code == 403
    assert "Logging in with a password is switched off here" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_with_local_login_off_the_admins_login_is_kring_s(team, local_login_off):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2F"
    form = AdminLoginForm(None, data={"username": "alice", "password": PASSWORD})
    assert not form.is_valid()


@pytest.mark.parametrize(
    "name", ["password_reset", "password_reset_done", "password_reset_complete"]
)
def test_with_local_login_off_the_password_reset_pages_are_gone(db, local_login_off, name):
    assert Client().get(reverse(name)).status_code == 404


def test_with_local_login_off_the_settings_page_offers_no_password_change(
    team, local_login_off, client_for
):
    client = client_for(team.alice)
    assert "Change your password" not in client.get(reverse("settings")).content.decode()
    assert client.get(reverse("password_change")).status_code == 404


def test_someone_without_a_password_is_not_offered_to_change_it(db, client_for):
    person = core_actions.add_person("nora", display_name="Nora Bakker")
    page = client_for(person).get(reverse("settings")).content.decode()
    assert "Change your password" not in page


def test_with_local_login_on_the_settings_page_offers_the_password_change(team, client_for):
    assert (
        "Change your password" in client_for(team.alice).get(reverse("settings")).content.decode()
    )


# Logging out -----------------------------------------------------------------------


def test_logging_out_of_a_sign_on_ends_the_providers_session_too(db, sso_on, monkeypatch):
    sso_on.OIDC_OP_LOGOUT_ENDPOINT = f"{ISSUER}/logout/"
    client = Client()
    sign_on_through_views(client, monkeypatch, {"sub": "sub-1", **NORA})

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    where = urlsplit(response["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == f"{ISSUER}/logout/"
    query = parse_qs(where.query)
    assert query["id_token_hint"] == ["i"]
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert SESSION_KEY not in client.session
    assert not Login.objects.exists()


def test_logging_out_of_a_password_login_stays_in_kring(team, sso_on):
    sso_on.OIDC_OP_LOGOUT_ENDPOINT = f"{ISSUER}/logout/"
    client = Client()
    client.login(username="alice", password=PASSWORD)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_local_login_off_without_single_sign_on_is_said_at_start(settings):
    from accounts.checks import sign_on_settings

    settings.LOCAL_LOGIN = False
    settings.OIDC_RP_CLIENT_ID = ""
    assert [error.id for error in sign_on_settings()] == ["accounts.E001"]


def test_a_client_id_without_a_provider_is_said_at_start(settings):
    from accounts.checks import sign_on_settings

    settings.OIDC_RP_CLIENT_ID = "kring"
    settings.OIDC_ISSUER = ""
    settings.OIDC_OP_TOKEN_ENDPOINT = ""
    assert [error.id for error in sign_on_settings()] == ["accounts.E002"]


def test_a_sign_on_session_of_a_deactivated_person_holds_no_one(db, sso_on, monkeypatch):
    client = Client()
    sign_on_through_views(client, monkeypatch, {"sub": "sub-1", **NORA})
    nora = Person.objects.get(username="nora.bakker")
    # Past the signals that end the logins: the session's backend refuses them itself.
    Person.objects.filter(pk=nora.pk).update(is_active=False)

    assert sso.SignOnBackend().get_user(nora.pk) is None
    assert client.get(reverse("home")).status_code == 302


def test_an_administrator_sees_and_deletes_a_wrong_sign_on_link(db, client_for):
    person = PersonFactory(username="jan")
    link = SignOn.objects.create(person=person, issuer="https://login.example.org", subject="x1")
    admin = client_for(administrator())
    listing = admin.get("/admin/accounts/signon/")
    assert listing.status_code == 200 and "x1" in listing.content.decode()
    assert admin.get("/admin/accounts/signon/add/").status_code == 403
    admin.post(f"/admin/accounts/signon/{link.pk}/delete/", {"post": "yes"})
    assert not SignOn.objects.filter(pk=link.pk).exists()
