"""Password reset with real parts: a Daphne process, PostgreSQL, a real SMTP server
(aiosmtpd) and Chromium. The email arrives, its link opens the page to choose a new
password, the new password logs in and the old one no longer does. The email is
sent by a real Celery worker, as in production."""

from __future__ import annotations

import os
import re

import pytest
import redis

from tests.factories import PASSWORD
from tests.live import DaphneProcess, server_environment
from tests.mail import Worker

pytestmark = [pytest.mark.integration, pytest.mark.browser]

NEW_PASSWORD = "zomer-in-de-wijk-2026"


@pytest.fixture
def server_with_mail(transactional_db, smtp, server_logs):
    """Daphne takes the request; a real Celery worker on Redis sends the email."""
    port, _mailbox = smtp
    # Tasks left in this Redis by earlier runs must not reach this worker.
    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("celery", "unacked", "unacked_index")
    daphne = DaphneProcess("reset", server_logs)
    daphne.env = {
        **server_environment(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "SITE_URL": daphne.url,  # as `make run` sets it from its PORT
    }
    worker = Worker(daphne.env, server_logs / "celery-worker.log").start()
    yield daphne.start()
    daphne.stop()
    worker.stop()


def log_in(page, url, username, password) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_reset_email_arrives_and_its_link_sets_a_new_password(
    browser, server_with_mail, smtp, team_committed
):
    server, (_port, mailbox) = server_with_mail, smtp
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("alice@k.test")
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()

    [message] = mailbox.wait_for(1)
    assert message["To"] == "alice@k.test"
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"(http\S+/password-reset/\S+/)", text).group(1)
    assert link.startswith(f"{server.url}/password-reset/")

    page.goto(link)
    page.get_by_role("heading", name="Choose a new password").wait_for()
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    page.get_by_role("heading", name="Password saved").wait_for()

    fresh = browser.new_context().new_page()
    log_in(fresh, server.url, "alice", PASSWORD)
    fresh.get_by_role("alert").wait_for()
    assert fresh.url.startswith(f"{server.url}/login/")
    log_in(fresh, server.url, "alice", NEW_PASSWORD)
    fresh.wait_for_url(f"{server.url}/")


def test_an_unknown_address_gets_the_same_page_and_no_email(
    browser, server_with_mail, smtp, team_committed
):
    server, (_port, mailbox) = server_with_mail, smtp
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/password-reset/")
    page.get_by_label("Email").fill("nobody@k.test")
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()
    # Proof that the server is past that request: a known address's email arrives,
    # and it is the only one.
    page.goto(f"{server.url}/password-reset/")
    page.get_by_label("Email").fill("bob@k.test")
    page.get_by_role("button", name="Email me a link").click()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "bob@k.test"
    assert len(mailbox.messages) == 1
