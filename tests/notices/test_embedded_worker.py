"""The embedded default (no Redis, no services), as `make run` runs it: a real
`celery worker --beat` on the broker of folders, a real Daphne process, the
SQLite file database, and a real SMTP server. Emails leave the request, emails
held back by quiet hours leave when they end, and digests go at their time."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from notifications.models import Notification

from communities import actions
from notices import actions as notice_actions
from tests.factories import GroupFactory, PersonFactory
from tests.live import DaphneProcess, post_over_htmx, server_environment
from tests.mail import Mailbox, Worker, smtp_server, wait_until


def embedded_environment(var_dir, smtp_port: int, **more: str) -> dict[str, str]:
    """A server's environment on the embedded default: this run's SQLite database,
    no Redis, tasks to a worker through the folder broker in ``var_dir``."""
    env = {**server_environment(), "KRING_VAR_DIR": str(var_dir)}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.pop("REDIS_URL", None)
    return {
        **env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "5",
        "EMAIL_RETRIES": "30",
        "EMAIL_RETRY_BACKOFF": "1",
        "EMAIL_RETRY_BACKOFF_MAX": "2",
        "EMAIL_SWEEP_SECONDS": "2",
        **more,
    }


def worker_on(env, log_path) -> Worker:
    return Worker(env, log_path, ["--beat", "--pool", "solo"]).start()


class SMTPLater:
    """An SMTP server on a port chosen now and started when asked.

    The port stays reserved until then: a socket bound to it (SO_REUSEADDR, not
    listening) keeps the kernel from handing it to anyone else (another test
    worker's server once took it in between), and lets the SMTP server bind it."""

    def __init__(self) -> None:
        self._reserved = socket.socket()
        self._reserved.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._reserved.bind(("127.0.0.1", 0))
        self.port = self._reserved.getsockname()[1]
        self.mailbox: Mailbox | None = None
        self._server = None

    def start(self) -> Mailbox:
        self._server = smtp_server(self.port)
        _port, self.mailbox = next(self._server)
        self._reserved.close()
        return self.mailbox

    def stop(self) -> None:
        self._reserved.close()
        if self._server is not None:
            self._server.close()


@pytest.fixture
def embedded(transactional_db, tmp_path):
    """Daphne and a worker with beat, as `make run` starts them; SMTP not yet up.
    Started for each test: they cache what the database held (content types),
    and each test starts from an emptied one."""
    var_dir = tmp_path
    smtp = SMTPLater()
    env = embedded_environment(var_dir, smtp.port)
    worker = worker_on(env, var_dir / "worker.log")
    daphne = DaphneProcess("embedded", var_dir, env).start()
    yield daphne, worker, smtp
    daphne.stop()
    worker.stop()
    smtp.stop()


def session_cookie(person) -> str:
    client = Client()
    client.force_login(person)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def wondzorg(**bobs_preferences):
    alice = PersonFactory(username="alice", display_name="Alice de Vries", email="alice@k.test")
    bob = PersonFactory(username="bob", display_name="Bob Jansen", email="bob@k.test")
    notice_actions.save_notification_preferences(bob, bobs_preferences)
    GroupFactory(name="Wondzorg", slug="wondzorg", members=[alice, bob])
    return alice, bob


def test_an_email_at_once_is_sent_by_the_worker_not_in_the_request(embedded):
    daphne, worker, smtp = embedded
    alice, _bob = wondzorg(quiet_from=None, quiet_until=None)

    # No SMTP server listens yet: the request cannot have talked to one.
    assert post_over_htmx(daphne.url, session_cookie(alice), "wondzorg", "Kijk mee @bob") == 200
    wait_until(lambda: "Retry in" in worker.log())  # the worker tried, and waits to retry

    mailbox = smtp.start()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "bob@k.test"
    assert message["Subject"] == "Alice de Vries mentioned you in Wondzorg"
    # The folder broker names its host: kombu has nothing to warn about, on either side.
    assert "No hostname was supplied" not in worker.log()
    assert "No hostname was supplied" not in daphne.log_path.read_text()


def test_an_email_held_by_quiet_hours_leaves_when_they_end(embedded):
    daphne, worker, smtp = embedded
    mailbox = smtp.start()
    now = timezone.localtime()
    alice, bob = wondzorg(
        quiet_from=(now - timedelta(hours=1)).time(), quiet_until=(now + timedelta(hours=1)).time()
    )

    assert post_over_htmx(daphne.url, session_cookie(alice), "wondzorg", "Morgen @bob") == 200
    wait_until(lambda: "succeeded" in worker.log() and "'quiet'" in worker.log())
    # Made during the night: older than a fresh notice the sweep leaves to its own task.
    Notification.objects.filter(recipient=bob).update(timestamp=now - timedelta(minutes=10))
    sweeps = worker.log().count("send_waiting_emails")
    wait_until(lambda: worker.log().count("send_waiting_emails") >= sweeps + 4)  # two more sweeps
    assert mailbox.messages == []  # still quiet: held back

    notice_actions.save_notification_preferences(bob, {"quiet_from": None, "quiet_until": None})
    [message] = mailbox.wait_for(1)
    assert message["To"] == "bob@k.test"
    assert "Morgen @Bob Jansen" in message.get_body(("plain",)).get_content()


def test_the_daily_digest_goes_at_its_time(transactional_db, tmp_path):
    now = timezone.localtime()
    at = now + timedelta(minutes=1 if now.second < 40 else 2)
    server = smtp_server()
    _port, mailbox = next(server)
    env = embedded_environment(tmp_path, _port, DIGEST_AT=f"{at:%H:%M}")
    alice, bob = wondzorg(quiet_from=None, quiet_until=None, digest_frequency="daily")
    bob.last_login = timezone.now()
    bob.save()
    group = alice.member_of.get()
    post = actions.post_to_group(bob, group, "Wie heeft de sleutel?")
    actions.reply_to_post(alice, post, "Ik, bij de balie")  # a reply: in the digest, not mailed
    worker = worker_on(env, tmp_path / "worker.log")
    try:
        [digest] = mailbox.wait_for(1, timeout=150)
        assert digest["To"] == "bob@k.test" and digest["Subject"] == "Your day in Kring"
        assert "Ik, bij de balie" in digest.get_body(("plain",)).get_content()
        assert "Scheduler: Sending due task daily-digest" in worker.log()
    finally:
        worker.stop()
        server.close()
