"""Every page, and the states people meet on them, pass axe-core at WCAG 2.2 AA in
English and Dutch, on a laptop (1280×800) and a phone (375×812), and none scrolls
sideways at 360 px (WCAG 1.4.10, reflow). Debian's Chromium through Playwright;
axe-core is read from disk (tests/accessibility.py).

The pages come from the URL conf: a new page without an example address in
``PAGES`` (or a place in ``NOT_PAGES``) fails ``test_every_page_is_checked``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image
from playwright.sync_api import expect

from accounts import actions as account_actions
from agenda import actions as agenda_actions
from communities import actions, uploads
from communities.models import Membership, Person, Reaction
from documents import actions as document_actions
from incidents import actions as incident_actions
from insights.models import Nudge, NudgeRecipient, SearchGap
from knowledge import actions as knowledge_actions
from notices import emails
from privacy import actions as privacy_actions
from search.models import Search
from tests.accessibility import check
from tests.factories import PASSWORD, PersonFactory

# The same on every deployment shape: run once, in the second (scaled-out) run.
pytestmark = [pytest.mark.browser, pytest.mark.once]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
NARROW = {"width": 360, "height": 740}

# What is not a page of its own: nothing to check with axe or for reflow.
NOT_PAGES = {
    # Forms post here and are sent on (or answered with a fragment).
    "logout", "set_language", "notice_read_all", "notice_read", "group_join",
    "group_leave", "group_follow", "group_tell", "group_manage", "post_create",
    "post_pin", "reply_create", "react", "post_delete", "reply_delete", "tag_follow",
    "tag_tell", "person_follow", "post_create_home", "settings_language",
    "data_export_request", "end_login", "end_all_logins",
    # Single sign-on: redirects to the provider and back (the login page's states below).
    "oidc_authentication_init", "oidc_authentication_callback",
    # Search: the suggestions (a state below) and a hit's link, which is a redirect.
    "search_suggestions", "search_open",
    # Fragments htmx puts into a page (checked in the states below where people see them).
    "home_newer", "group_newer", "tag_newer", "person_newer", "notice_menu",
    "notice_count", "replies", "post_edit", "post_content", "suggest_people", "people_to_add",
    # A redirect, and files.
    "notice_open", "attachment", "attachment_thumbnail", "manifest", "organisation_icon",
    "organisation_icon_maskable", "organisation_logo", "organisation_style", "person_photo",
    "attachment_describe",
    "data_export_download",
    # Knowledge pages: "still correct" and restoring a version post and are sent on.
    "page_check", "page_restore",
    # The document library: forms that post and are sent on, and the files.
    "document_replace", "document_delete", "document_download",
    # The agenda: answers, cancelling and the calendar link are forms that post and
    # are sent on (or answered with fragments); the rest are files.
    "event_answer", "event_status", "event_cancel", "calendar_link", "calendar_feed",
    "event_attendees_csv", "event_ics",
    # The coach's dashboard: the threshold form posts and is sent on; the rest are CSV files.
    "insights_threshold", "insights_export", "insights_group_export",
    # Access tokens: making one answers with the settings page (a state below); revoking
    # posts and is sent on. The API answers JSON; its schema is a file and its docs
    # page is Swagger UI's (checked under the CSP in tests/api).
    "make_token", "revoke_token", "api_schema", "api_docs",
    # Major incidents: the widget's catch-up is a fragment (the home page shows it), a
    # follow button posts, and the service desk's hook takes JSON.
    "incident_widget", "incident_follow", "incident_hook",
    # An integration's incoming webhook takes signed JSON. (The REST API's resources
    # under api/v1/ answer JSON: url_names leaves them out.)
    "hook_incoming",
}  # fmt: skip


@dataclass(frozen=True)
class Site:
    """The team's world as the pages show it: Alice owns the group and is the reader."""

    post_id: int
    unsubscribe_path: str
    reset_path: str = "/"
    page_id: int = 1
    document_id: int = 1
    event_id: int = 1
    overdue_page_id: int = 1
    nudge_id: int = 1
    group_id: int = 1
    incident_id: int = 1


def pages(site: Site) -> dict[str, str]:
    """Each page's url name and an example address, for a logged-in Alice."""
    return {
        "home": reverse("home"),
        "group_list": reverse("group_list"),
        "group_create": reverse("group_create"),
        "group": reverse("group", args=["wondzorg"]),
        "group_members": reverse("group_members", args=["wondzorg"]),
        "post": reverse("post", args=[site.post_id]),
        "post_history": reverse("post_history", args=[site.post_id]),
        "tag": reverse("tag", args=["wondzorg"]),
        "person": reverse("person", args=["bob"]),
        "notices": reverse("notices"),
        "notice_settings": reverse("notice_settings"),
        "directory": reverse("directory"),
        "profile_edit": reverse("profile_edit"),
        "settings": reverse("settings"),
        "password_change": reverse("password_change"),
        "password_change_done": reverse("password_change_done"),
        # Results in every section: people, a group, posts and replies, highlighted.
        "search": reverse("search") + "?q=wondzorg",
        "page_list": reverse("page_list"),
        "page_detail": reverse("page_detail", args=[site.page_id]),
        "page_create": reverse("page_create"),
        "page_edit": reverse("page_edit", args=[site.page_id]),
        # Two versions compared, with words added and removed.
        "page_history": reverse("page_history", args=[site.page_id]) + "?from=1&to=2",
        "document_list": reverse("document_list"),
        "document_upload": reverse("document_upload"),
        "document": reverse("document", args=[site.document_id]),
        "document_edit": reverse("document_edit", args=[site.document_id]),
        "event_list": reverse("event_list"),
        # Alice organises it: the attendee list, with Bob going and Carol waiting.
        "event_detail": reverse("event_detail", args=[site.event_id]),
        "event_create": reverse("event_create"),
        "event_edit": reverse("event_edit", args=[site.event_id]),
        # Alice is a community coach: her nudges, a new one, and one sending (3 of 5).
        "nudge_list": reverse("nudge_list"),
        "nudge_new": reverse("nudge_new"),
        "nudge_detail": reverse("nudge_detail", args=[site.nudge_id]),
        # And the organisation's figures, the last 90 days.
        "insights": reverse("insights") + "?period=90",
        # Her own group's figures (as its owner): too small a group to show them.
        "insights_group": reverse("insights_group", args=["wondzorg"]),
        # A major incident's history (the home page shows it too, followed by Alice).
        "incident_detail": reverse("incident_detail", args=[site.incident_id]),
    }


def logged_out_pages(site: Site) -> dict[str, str]:
    """Pages for someone not logged in."""
    return {
        "login": reverse("login"),
        "unsubscribe": site.unsubscribe_path,
        "password_reset": reverse("password_reset"),
        "password_reset_done": reverse("password_reset_done"),
        # Bob's link from his email: the form for a new password.
        "password_reset_confirm": site.reset_path,
        "password_reset_complete": reverse("password_reset_complete"),
    }


def url_names(patterns=None, namespace: str | None = None) -> set[str]:
    """Every named URL of ours (Django's admin is Django's)."""
    names: set[str] = set()
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            # Django's admin is Django's; the API's routes answer JSON, not pages.
            if entry.namespace == "admin" or str(entry.pattern) == "api/v1/":
                continue
            names |= url_names(entry.url_patterns, entry.namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def test_every_page_is_checked():
    site = Site(post_id=1, unsubscribe_path="/")
    listed = set(pages(site)) | set(logged_out_pages(site))
    assert listed.isdisjoint(NOT_PAGES)
    unlisted = url_names() - listed - NOT_PAGES
    assert not unlisted, f"add these url names to PAGES or NOT_PAGES: {sorted(unlisted)}"
    assert not (listed | NOT_PAGES) - url_names(), "names listed that are no longer URLs"


def test_axe_reports_what_it_finds_readably(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><title>t</title><main><p style="color:#aaa">pale</p>'
        '<input id="x"></main></html>'
    )
    report = check(page, "a bad page")
    assert report is not None
    assert "color-contrast (serious)" in report and "label (critical)" in report
    assert '<input id="x">' in report and "at #x" in report


@pytest.fixture
def site(team_committed) -> Site:
    team = team_committed
    Membership.objects.filter(group=team.group, person=team.alice).update(
        role=Membership.Role.OWNER
    )
    type(team.alice).objects.filter(pk=team.alice.pk).update(is_coach=True)
    welcome = actions.post_to_group(
        team.bob, team.group, "Welkom @alice bij #wondzorg, zie **het protocol**."
    )
    actions.reply_to_post(team.carol, welcome, "Fijn dat je er bent!")
    # A photo she has not described yet: her page asks her what it shows.
    png = io.BytesIO()
    Image.new("RGB", (320, 200), (20, 120, 90)).save(png, "PNG")
    photo = uploads.prepare(SimpleUploadedFile("wondkar.png", png.getvalue()))
    actions.post_to_group(team.alice, team.group, "De nieuwe wondkar", files=[photo])
    own = actions.post_to_group(team.alice, team.group, "Overdracht om 14:00 #wondzorg")
    actions.edit_post(team.alice, own, "Overdracht om 14:30 #wondzorg")
    actions.reply_to_post(team.bob, own, "Ik neem het over, @alice.")
    actions.toggle_reaction(team.carol, own, Reaction.Kind.LIKE)
    PersonFactory(username="dirk", display_name="Dirk Visser")  # not in the group yet
    # A colleague erased on request: her post stays, from "Former colleague".
    erin = PersonFactory(username="erin", display_name="Erin Smit")
    Membership.objects.create(group=team.group, person=erin)
    actions.post_to_group(erin, team.group, "Mijn laatste dag: bedankt allemaal!")
    it = PersonFactory(username="it", is_staff=True, is_superuser=True)
    privacy_actions.erase_person(it, erin, keep_contributions=True)
    # A protocol in the group's library, in its second version (Alice may change it).
    document = document_actions.add_document(
        team.alice,
        title="Protocol wondzorg",
        description="Hoe we wonden verzorgen",
        tags=["protocol", "wondzorg"],
        group=team.group,
        file=document_actions.check_file(
            SimpleUploadedFile("protocol.txt", b"Wondzorg stap voor stap")
        ),
    )
    document_actions.replace_file(
        team.alice,
        document,
        document_actions.check_file(SimpleUploadedFile("protocol-2.txt", b"Wondzorg, herzien")),
    )
    token = emails.unsubscribe_token(team.alice.pk, "mention")
    reset = reverse(
        "password_reset_confirm",
        args=[
            urlsafe_base64_encode(force_bytes(team.bob.pk)),
            default_token_generator.make_token(team.bob),
        ],
    )
    page = knowledge_actions.create_page(
        team.alice, title="Wondzorg protocol", body="Spoel de wond met water. #wondzorg"
    )
    knowledge_actions.edit_page(
        team.bob,
        page,
        base=1,
        title=page.title,
        body="Spoel de wond met lauw kraanwater. #wondzorg",
    )
    # A page nobody has checked for two years: past its review date.
    overdue = knowledge_actions.create_page(
        team.alice, title="Sleutelbeheer", body="De sleutels liggen bij de receptie."
    )
    type(overdue).objects.filter(pk=overdue.pk).update(
        created_at=timezone.now() - timedelta(days=730), checked_at=None
    )
    event = agenda_actions.create_event(
        team.alice,
        team.group,
        title="Intervisie wondzorg",
        start=timezone.now() + timedelta(days=3),
        end=timezone.now() + timedelta(days=3, hours=2),
        place="Zaal 3",
        description="Neem een **casus** mee.",
        capacity=1,
    )
    agenda_actions.sign_up(team.bob, event)
    agenda_actions.sign_up(team.carol, event)
    Person.objects.filter(pk=team.alice.pk).update(is_coach=True)
    # A nudge on its way, as its page shows it (made as the worker leaves it half-way).
    nudge = Nudge.objects.create(
        coach=team.alice, segment=Nudge.Segment.NO_PHOTO, template="no_photo", total=5, done=3
    )
    for person in (team.bob, team.carol):  # so a new nudge leaves them out
        NudgeRecipient.objects.create(nudge=nudge, person=person, sent_at=timezone.now())
    # Searches for the coach: a term that found nothing, often enough to be a page to write.
    for n in range(3):
        Search.objects.create(term="declaraties", person_key=f"key{n}", results=0)
    Search.objects.create(term="rooster", person_key="key1", results=2)
    SearchGap.objects.create(term="declaraties", searches=3, searchers=3)
    # A token of Alice's for the API, in the settings page's list.
    account_actions.make_personal_token(team.alice, "Rapportage", "read")
    # Major incidents on the home page: one Alice follows, being worked on, and one
    # resolved a moment ago.
    incident, _ = incident_actions.record_incident(
        "api",
        "INC-1",
        number="I 2612 041",
        title="Het elektronisch patiëntendossier is traag",
        status="open",
        impact="high",
        url="https://servicedesk.example/tas/secure/incident?unid=1",
    )
    incident_actions.record_incident("api", "INC-1", status="in progress")
    incident_actions.follow(team.alice, incident)
    incident_actions.record_incident(
        "api", "INC-2", title="Printers on floor 3 print nothing", status="resolved", impact="low"
    )
    return Site(
        post_id=own.pk,
        unsubscribe_path=reverse("unsubscribe", args=[token]),
        reset_path=reset,
        page_id=page.pk,
        document_id=document.pk,
        event_id=event.pk,
        overdue_page_id=overdue.pk,
        nudge_id=nudge.pk,
        group_id=team.group.pk,
        incident_id=incident.pk,
    )


@pytest.fixture
def limits_met(monkeypatch):
    """The servers refuse following and the password reset at once, and files over
    1 MB: so the states of a limit met can be looked at."""
    monkeypatch.setenv("RATE_LIMITS", "follow=0/m,password_reset=0/h")
    monkeypatch.setenv("ATTACHMENT_MAX_MB", "1")


def new_context(browser, server, viewport, language, scheme="light"):
    # bypass_csp: axe is added to each page as an inline script, which Kring's
    # content security policy rightly blocks (tests/test_content_security_policy.py).
    context = browser.new_context(
        viewport=viewport, reduced_motion="reduce", color_scheme=scheme, bypass_csp=True
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
    return context


def log_in(context, server, username="alice"):
    page = context.new_page()
    page.goto(f"{server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{server.url}/")
    return page


def visit(page, server, path: str) -> None:
    response = page.goto(f"{server.url}{path}")
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    if page.locator("section.feed").count():
        page.wait_for_selector("section.feed[data-state=live]", state="attached", timeout=10_000)


class Findings:
    """Reports of violations, gathered so that one run shows them all."""

    def __init__(self, language: str, viewport: dict, scheme: str) -> None:
        self.label = f"{language}, {viewport['width']}×{viewport['height']}, {scheme}"
        self.language, self.viewport, self.scheme = language, viewport, scheme
        self.reports: list[str] = []

    def check(self, page, where: str) -> None:
        if report := check(page, f"{where} [{self.label}]"):
            self.reports.append(report)

    def assert_none(self) -> None:
        assert not self.reports, "axe found WCAG 2.2 AA violations:\n\n" + "\n\n".join(self.reports)


def check_states(page, server, findings: Findings, site: Site) -> None:
    """The states of the group page people meet, each checked as they see it."""
    group = reverse("group", args=["wondzorg"])
    own_post = page.locator(f"#post-{site.post_id}")

    visit(page, server, group)
    page.click("[data-bell-button]")
    expect(page.locator("#notice-menu")).to_be_visible()
    expect(page.locator("#notice-menu .notice").first).to_be_visible()
    findings.check(page, "the bell menu open")

    visit(page, server, group)
    page.click("form.compose button[type=submit]")
    expect(page.locator("form.compose [role=alert]")).to_be_visible()
    findings.check(page, "an empty post refused")

    visit(page, server, group)
    page.locator("form.compose textarea[name=body]").press_sequentially("Vraag aan @bo")
    expect(page.locator("#mention-suggestions [role=option]").first).to_be_visible()
    findings.check(page, "the @mention suggestions open")

    visit(page, server, group)
    own_post.locator("button.edit").click()
    expect(own_post.locator("form.edit-form textarea")).to_be_visible()
    findings.check(page, "a post's edit form open")

    visit(page, server, group)
    reply_box = own_post.locator("form.reply-form")
    reply_box.locator("textarea").focus()
    reply_box.locator("button[type=submit]").click()
    expect(own_post.locator("form.reply-form [role=alert]")).to_be_visible()
    findings.check(page, "the reply box, an empty reply refused")

    visit(page, server, reverse("person", args=["alice"]))
    findings.check(page, "one's own profile, with how complete it is")

    visit(page, server, reverse("profile_edit"))
    page.fill("#id_phone", "call me maybe")
    page.get_by_role("button", name=re.compile("Save profile|Profiel opslaan")).click()
    expect(page.locator("main .errors").first).to_be_visible()
    findings.check(page, "the profile form, a phone number refused")

    visit(page, server, reverse("group_members", args=["wondzorg"]))
    page.locator("#add-person").press_sequentially("di")
    expect(page.locator("#add-person-options [role=option]").first).to_be_visible()
    findings.check(page, "picking a person to add, the list open")

    visit(page, server, reverse("directory") + "?q=nobody-is-called-this")
    findings.check(page, "the directory, nobody found")

    visit(page, server, group)
    page.locator("form.compose input[type=file]").set_input_files(
        {"name": "groot.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (3 * 1024 * 1024 // 2)}
    )
    expect(page.locator("form.compose [data-refusal]")).not_to_be_empty()
    findings.check(page, "a file too large refused in the compose box")

    visit(page, server, group)
    page.context.clear_cookies(name="csrftoken")
    page.locator("form.compose textarea[name=body]").fill("Wie heeft de sleutel van de wondkar?")
    page.click("form.compose button[type=submit]")
    expect(page.locator("#limit-message")).to_contain_text(re.compile("out of date|verouderd"))
    expect(page.locator("form.compose textarea[name=body]")).to_have_value(
        "Wie heeft de sleutel van de wondkar?"
    )
    findings.check(page, "a post refused: the page out of date (CSRF), the text kept")

    visit(page, server, reverse("home"))
    page.locator("#site-search-q").press_sequentially("wond")
    expect(page.locator("#site-search-suggestions [role=option]").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    findings.check(page, "the header's search suggestions open, one chosen")

    visit(page, server, reverse("search") + "?q=nergensvoorkomendwoord")
    findings.check(page, "search: nothing found")

    visit(
        page,
        server,
        reverse("search") + "?q=wondzorg&person=niemand&since=2026-02-01&until=2026-01-01",
    )
    expect(page.locator("main .errors").first).to_be_visible()
    findings.check(page, "search: the filters refused, the term kept")

    visit(page, server, reverse("person", args=["bob"]))
    page.locator("form.follow button").click()
    expect(page.locator("#limit-message")).not_to_be_empty()
    findings.check(page, "following refused: too many in a short time (429)")

    # Logged in on a second device too: the settings list both.
    elsewhere = page.context.browser.new_context(viewport=page.viewport_size)
    log_in(elsewhere, server)
    elsewhere.close()
    visit(page, server, reverse("settings"))
    expect(page.locator("li.login")).to_have_count(2)
    findings.check(page, "the settings, logged in on two devices")

    page.locator("#data button[type=submit]").click()
    expect(page.locator("#data [role=status], #data a.button").first).to_be_visible()
    findings.check(page, "the settings, one's data asked for")

    make_a_token(page)
    findings.check(page, "the settings, an access token just made, shown once")

    page.get_by_role("button", name=re.compile("^(Log out everywhere|Overal uitloggen)$")).click()
    expect(page.locator(".messages")).to_contain_text(re.compile("everywhere|overal"))
    findings.check(page, "logged out everywhere: the login page says so")


def make_a_token(page) -> None:
    page.fill("#id_name", "Koppeling rooster")
    page.locator("form.token-form input[value=read_write]").check()
    page.locator("form.token-form button[type=submit]").click()
    expect(page.locator("#token-secret")).to_have_value(re.compile("^kr_"))


def check_new_app_states(page, server, findings: Findings, site: Site) -> None:
    """The states of knowledge pages, the document library and the agenda people meet."""
    edit = reverse("page_edit", args=[site.page_id])
    # Two edits of one version: the second is told, with what changed since.
    other = page.context.new_page()
    visit(other, server, edit)
    visit(page, server, edit)
    other.fill("#id_body", "Spoel de wond met lauw water en dep droog. #wondzorg")
    other.locator("form.page-form button[type=submit]").click()
    other.wait_for_url(re.compile(r"/pages/\d+/$"))
    other.close()
    page.fill("#id_body", "Spoel de wond met fysiologisch zout. #wondzorg")
    page.locator("form.page-form button[type=submit]").click()
    expect(page.locator(".conflict [role=alert], section.conflict")).to_be_visible()
    expect(page.locator("section.conflict ins, section.conflict del").first).to_be_attached()
    findings.check(page, "a knowledge page saved over by someone else: the conflict and diff")

    visit(page, server, reverse("page_history", args=[site.page_id]))
    page.locator("form.history-form button[type=submit]").last.click()
    expect(page.locator("#diff")).to_be_visible()
    findings.check(page, "a knowledge page's history, two versions compared")

    visit(page, server, reverse("page_detail", args=[site.overdue_page_id]))
    expect(page.locator(".review-notice")).to_be_visible()
    findings.check(page, "a knowledge page past its review date")

    # Come from its review reminder: "Is this page still correct?" at the top.
    visit(page, server, reverse("page_detail", args=[site.overdue_page_id]) + "?review=1")
    expect(page.locator(".review-banner button[type=submit]")).to_be_visible()
    findings.check(page, "a knowledge page opened from its review reminder")

    visit(page, server, reverse("document_upload"))
    page.fill("#id_title", "Jaarverslag")
    page.locator("input[type=file]").set_input_files(
        {
            "name": "jaarverslag.pdf",
            "mimeType": "application/pdf",
            "buffer": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff" * 8,
        }
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .errors[role=alert]").first).to_be_visible()
    findings.check(page, "the document upload form, a file refused")

    event = reverse("event_detail", args=[site.event_id])
    visit(page, server, event)
    expect(page.locator("section.attendees")).to_be_visible()
    findings.check(page, "an event's attendee list, as its organiser sees it")

    waiting = new_context(
        page.context.browser, server, findings.viewport, findings.language, findings.scheme
    )
    carol = log_in(waiting, server, "carol")
    visit(carol, server, event)
    expect(carol.locator(".event-answer[data-answer=waiting]")).to_be_visible()
    findings.check(carol, "an event full, as seen by someone on its waiting list")
    waiting.close()

    # The coach's nudges: the form with a preview of who it reaches and who is left
    # out, and a nudge's progress while it is sent.
    visit(page, server, reverse("nudge_new"))
    page.locator("input[name=segment][value=no_photo]").check()
    page.locator("button[name=preview]").click()
    expect(page.locator(".nudge-preview")).to_be_visible()
    expect(page.locator(".nudge-left-out")).to_be_visible()
    findings.check(page, "a new nudge: who it reaches and who is left out")
    visit(page, server, reverse("nudge_detail", args=[site.nudge_id]))
    expect(page.locator("progress")).to_be_visible()
    findings.check(page, "a nudge being sent: its progress")
    # The coach's dashboard: every table's alternative open, then a scope too small.
    visit(page, server, reverse("insights") + "?period=365")
    for summary in page.locator("main details summary").all():
        summary.click()
    expect(page.locator("main details[open] table").first).to_be_visible()
    findings.check(page, "the dashboard, the charts' tables and the funnel's table open")
    page.fill("#id_searches", "0")
    page.locator("form.threshold-form button[type=submit]").click()
    expect(page.locator("form.threshold-form .errors[role=alert]").first).to_be_visible()
    findings.check(page, "the dashboard's threshold form, a number refused")
    visit(page, server, reverse("insights") + f"?scope=group:{site.group_id}")
    expect(page.locator("section.too-small")).to_be_visible()
    findings.check(page, "the dashboard for a group too small to show figures")


@pytest.mark.parametrize(
    ("language", "viewport", "scheme"),
    [
        ("en", LAPTOP, "light"),
        ("en", PHONE, "light"),
        ("nl", LAPTOP, "light"),
        ("nl", PHONE, "light"),
        # Dark by the system's preference: its colours are checked too, once each size.
        ("en", LAPTOP, "dark"),
        ("nl", PHONE, "dark"),
    ],
    ids=["en-laptop", "en-phone", "nl-laptop", "nl-phone", "en-laptop-dark", "nl-phone-dark"],
)
def test_every_page_and_state_passes_axe(
    site, limits_met, live_servers, browser, language, viewport, scheme
):
    server = live_servers[0]
    findings = Findings(language, viewport, scheme)

    anonymous = new_context(browser, server, viewport, language, scheme)
    page = anonymous.new_page()
    for name, path in logged_out_pages(site).items():
        visit(page, server, path)
        findings.check(page, name)
    visit(page, server, reverse("login"))
    page.fill("#id_username", "alice")
    page.fill("#id_password", "not her password")
    page.click("form button[type=submit]")
    expect(page.locator("[role=alert]")).to_be_visible()
    findings.check(page, "a login refused")
    for _ in range(5):
        page.fill("#id_username", "nobody-here")
        page.fill("#id_password", "a guess")
        page.click("form button[type=submit]")
    expect(page.locator("[role=alert]")).to_contain_text(
        re.compile("Too many attempts|Te veel pogingen")
    )
    findings.check(page, "a username locked out after five wrong passwords")
    visit(page, server, reverse("password_reset"))
    page.fill("#id_email", "bob@example.org")
    page.click("form button[type=submit]")
    expect(page.locator("[role=alert]")).to_be_visible()
    findings.check(page, "a password reset refused: asked too often (429)")
    visit(page, server, reverse("login"))
    anonymous.clear_cookies(name="csrftoken")  # as if the token had been renewed elsewhere
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    expect(page.locator("h1")).to_have_text(
        re.compile("The form could not be sent|Het formulier kon niet worden verstuurd")
    )
    findings.check(page, "a stale login form refused (CSRF)")
    anonymous.close()

    context = new_context(browser, server, viewport, language, scheme)
    page = log_in(context, server)
    expect(page.locator("html")).to_have_attribute("lang", language)
    for name, path in pages(site).items():
        visit(page, server, path)
        findings.check(page, name)
    check_states(page, server, findings, site)
    context.close()
    context = new_context(browser, server, viewport, language, scheme)
    page = log_in(context, server)
    check_new_app_states(page, server, findings, site)
    context.close()
    findings.assert_none()


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def sticking_out(page) -> str:
    """The innermost elements that reach past the right edge: where to look."""
    return page.evaluate(
        """() => {
            const edge = document.documentElement.clientWidth;
            const out = Array.from(document.body.querySelectorAll("*")).filter((el) =>
                el.getBoundingClientRect().right > edge + 0.5 &&
                !Array.from(el.children).some((c) => c.getBoundingClientRect().right > edge + 0.5));
            const name = (el) => el.tagName.toLowerCase() +
                (typeof el.className === "string" && el.className
                    ? "." + el.className.split(" ").join(".") : "");
            return out.slice(0, 4).map((el) =>
                name(el) + " (" + Math.round(el.getBoundingClientRect().right) + " px)"
            ).join(", ");
        }"""
    )


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_page_scrolls_sideways_at_360_pixels(site, live_servers, browser, language):
    server = live_servers[0]
    wide: list[str] = []
    anonymous = new_context(browser, server, NARROW, language)
    page = anonymous.new_page()
    for name, path in logged_out_pages(site).items():
        visit(page, server, path)
        if scrolls_sideways(page):
            wide.append(f"{name} ({path}): {sticking_out(page)}")
    anonymous.close()

    context = new_context(browser, server, NARROW, language)
    page = log_in(context, server)
    for name, path in pages(site).items():
        visit(page, server, path)
        if scrolls_sideways(page):
            width = page.evaluate("document.documentElement.scrollWidth")
            wide.append(f"{name} ({path}): {width} px wide; {sticking_out(page)}")
    page.click("[data-bell-button]")
    expect(page.locator("#notice-menu")).to_be_visible()
    if scrolls_sideways(page):
        wide.append(f"the bell menu open: {sticking_out(page)}")
    visit(page, server, reverse("settings"))
    make_a_token(page)
    if scrolls_sideways(page):
        wide.append(f"the settings, an access token just made: {sticking_out(page)}")
    context.close()
    assert not wide, f"these scroll sideways at 360 px ({language}):\n" + "\n".join(wide)


@pytest.fixture
def local_login_off(monkeypatch):
    """Servers that log in only through single sign-on (no provider is reached:
    the login page only links to it)."""
    monkeypatch.setenv("LOCAL_LOGIN", "false")
    monkeypatch.setenv("OIDC_RP_CLIENT_ID", "kring")
    monkeypatch.setenv("OIDC_OP_AUTHORIZATION_ENDPOINT", "http://127.0.0.1:9/authorize/")
    monkeypatch.setenv("OIDC_PROVIDER_NAME", "Contoso")


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("viewport", [LAPTOP, NARROW], ids=["laptop", "narrow"])
def test_the_login_page_with_local_login_off_passes_axe_and_fits(
    local_login_off, live_servers, browser, language, viewport
):
    server = live_servers[0]
    findings = Findings(language, viewport, "light")
    context = new_context(browser, server, viewport, language)
    page = context.new_page()
    visit(page, server, reverse("login"))
    expect(
        page.get_by_role("link", name=re.compile("Sign in with Contoso|Inloggen met Contoso"))
    ).to_be_visible()
    expect(page.locator("#id_password")).to_have_count(0)
    findings.check(page, "the login page, local login off: single sign-on only")
    assert not scrolls_sideways(page), sticking_out(page)
    # The provider turned the sign-on down: the login page says so.
    page.goto(f"{server.url}{reverse('oidc_authentication_callback')}?error=access_denied")
    expect(page.locator("ul.messages")).to_contain_text("Contoso")
    findings.check(page, "the login page, a single sign-on that did not succeed")
    assert not scrolls_sideways(page), sticking_out(page)
    context.close()
    findings.assert_none()
