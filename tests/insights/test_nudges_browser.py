"""In Chromium: the coach nudges the people without a profile photo and watches the
progress reach 100 % live; each recipient gets one notification and one email, the
holdout nothing; a second nudge within 14 days skips them; the effect table shows.

The sending runs in a real Celery worker, as in production: on the embedded
default a worker on the folder broker beside Daphne (each with its own in-memory
channel layer, so the progress page follows the database), scaled out a worker on
Redis whose pushes reach Daphne through the channel layer."""

from __future__ import annotations

import time

import pytest
from notifications.models import Notification
from playwright.sync_api import expect

from communities.models import Person
from insights.models import Nudge
from tests.conftest import SCALED_OUT
from tests.factories import PersonFactory
from tests.live import DaphneProcess, server_environment
from tests.mail import Worker
from tests.notices.test_email_integration import forget_queued_tasks
from tests.notices.test_embedded_worker import embedded_environment
from tests.pages import logged_in

pytestmark = pytest.mark.browser

PEOPLE = 10


@pytest.fixture
def nudging(transactional_db, smtp, server_logs, tmp_path):
    """Daphne and a Celery worker sharing this run's database, with an SMTP server; the
    worker pauses between recipients, so the progress can be seen moving."""
    port, mailbox = smtp
    if SCALED_OUT:
        forget_queued_tasks()
        env = {**server_environment(), "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    else:
        env = embedded_environment(tmp_path, port)
    env |= {"INSIGHTS_NUDGE_PAUSE_SECONDS": "0.6", "INSIGHTS_NUDGE_POLL_SECONDS": "0.2"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    worker = Worker(env, server_logs / "nudge-worker.log", ["--pool", "solo"]).start()
    daphne = DaphneProcess("nudges", server_logs, env).start()
    yield daphne, worker, mailbox
    daphne.stop()
    worker.stop()


@pytest.fixture
def people(transactional_db):
    coach = PersonFactory(username="coach", display_name="Cora Coach", is_coach=True)
    Person.objects.filter(pk=coach.pk).update(photo="people/cora.jpg")
    return [
        PersonFactory(username=f"p{n}", display_name=f"Collega {n:02d}", email=f"p{n}@k.test")
        for n in range(PEOPLE)
    ]


def test_the_coach_nudges_those_without_a_photo_and_watches_it_go_out(people, nudging, browser):
    daphne, worker, mailbox = nudging
    page = logged_in(browser, daphne, "coach", "/insights/nudges/new/")
    page.get_by_label("No profile photo").check()
    page.get_by_label("Holdout (%)").fill("20")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name=f"This nudge reaches {PEOPLE} people")).to_be_visible()
    reached = page.get_by_role("list", name="Who it reaches")
    for person in people:
        expect(reached).to_contain_text(str(person))
    expect(page.locator(".nudge-example")).to_contain_text(
        "colleagues find you faster with a photo"
    )

    page.get_by_role("button", name=f"Send to {PEOPLE} people").click()
    page.wait_for_url("**/insights/nudges/*/")
    nudge = Nudge.objects.get()
    assert nudge.total == PEOPLE - 2  # 20 % held out
    page.evaluate("window.notReloaded = true")
    page.evaluate(
        """() => {
        window.seen = [];
        const region = document.getElementById('nudge-progress-region');
        const note = () => window.seen.push(region.textContent.trim());
        note();
        const watch = {childList: true, subtree: true, characterData: true};
        new MutationObserver(note).observe(region, watch);
    }"""
    )
    total = nudge.total
    expect(page.locator(f"#nudge-{nudge.pk}-progress-text")).to_have_text(
        f"{total} of {total} sent · Done", timeout=30_000
    )
    assert page.evaluate("window.notReloaded === true")
    seen = page.evaluate("window.seen")
    intermediate = [f"{n} of {total} sent" for n in range(1, total)]
    assert any(text in intermediate for text in seen), seen
    assert page.locator(f"#nudge-{nudge.pk}-bar").get_attribute("value") == str(total)

    held = {r.person_id for r in nudge.recipients.filter(holdout=True)}
    sent_to = [p for p in people if p.pk not in held]
    assert len(held) == 2 and len(sent_to) == total
    mailbox.wait_for(total)
    time.sleep(1)  # nothing more comes
    for person in sent_to:
        assert len(mailbox.to(person.email)) == 1
        assert Notification.objects.filter(recipient=person, verb="nudge").count() == 1
    for person in people:
        if person.pk in held:
            assert mailbox.to(person.email) == []
            assert not Notification.objects.filter(recipient=person).exists()
    assert len(mailbox.messages) == total

    # A second nudge within 14 days skips them all, and says so.
    page.goto(f"{daphne.url}/insights/nudges/new/")
    page.get_by_label("Never posted").check()
    page.get_by_role("button", name="Preview").click()
    left_out = page.get_by_role("list", name="Who is left out")
    expect(page.get_by_role("heading", name=f"Left out: {PEOPLE} people")).to_be_visible()
    for person in people:
        expect(left_out).to_contain_text(f"{person}: nudged on")
    expect(page.get_by_role("list", name="Who it reaches")).to_have_text("Cora Coach")

    page.goto(f"{daphne.url}/insights/nudges/")
    table = page.get_by_role("table", name="Nudges and their effect")
    row = table.get_by_role("row").filter(has_text="No profile photo")
    expect(row).to_contain_text(str(total))
    expect(row).to_contain_text("still measuring")
