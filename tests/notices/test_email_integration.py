"""Emails with real parts: a `celery -A project worker` process on Redis, the
test database on PostgreSQL, and an SMTP server (aiosmtpd) that receives what
the worker sends. The worker is killed mid-send, the server fails on purpose,
and each email still arrives exactly once."""

from __future__ import annotations

import os
import time
import urllib.request
from urllib.parse import urlencode, urlsplit

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from communities import actions
from communities.models import Group
from notices import actions as notice_actions
from notices import queries as notice_queries
from notices import tasks
from notices.models import EmailDelivery
from tests.factories import PersonFactory
from tests.live import server_environment
from tests.mail import Worker, wait_until

pytestmark = pytest.mark.integration

VISIBILITY_TIMEOUT = 4  # seconds before Redis hands a dead worker's task to another


def forget_queued_tasks() -> None:
    """Tasks left in this Redis by earlier runs (pages that queued emails with no
    worker listening, a killed worker's unacknowledged task) must not reach ours."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def worker(transactional_db, smtp, server_logs):
    port, _ = smtp
    forget_queued_tasks()
    env = {
        **server_environment(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": "20",
        "EMAIL_RETRIES": "2",
        "EMAIL_RETRY_BACKOFF": "1",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "SITE_URL": "http://kring.test",
    }
    process = Worker(env, server_logs / "celery-worker.log").start()
    yield process
    process.stop()


def delivery_of_bobs_mention(bob) -> EmailDelivery:
    return EmailDelivery.objects.get(key=f"notice:{notice_queries.latest(bob)[0].id}")


def a_later_email_arrives(mailbox, team) -> None:
    """Proof that the worker is past everything queued so far: a mention of Alice,
    queued now, arrives. One worker process runs one task at a time, in queue order."""
    actions.post_to_group(team.bob, team.group, "En jij, @alice?")
    wait_until(lambda: mailbox.to("alice@k.test"))


def test_the_integration_run_queues_tasks_on_redis():
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_a_mention_sends_exactly_one_email(worker, smtp, team_committed):
    _, mailbox = smtp
    actions.post_to_group(team_committed.alice, team_committed.group, "Kijk even mee @bob")
    [message] = mailbox.wait_for(1)
    assert message["To"] == "bob@k.test"
    assert message["Subject"] == "Alice de Vries mentioned you in Wondzorg"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # folded: it is long
    assert unsubscribe.startswith("<http://kring.test/notifications/unsubscribe/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Kijk even mee @Bob Jansen" in text and "Kijk even mee @Bob Jansen" in html
    assert "http://kring.test/notifications/" in html

    # The same task again (beat's sweep, a redelivery): nothing more is sent.
    tasks.email_notice.delay(notice_queries.latest(team_committed.bob)[0].id)
    wait_until(lambda: worker.log().count("succeeded") >= 2)
    assert len(mailbox.messages) == 1
    assert delivery_of_bobs_mention(team_committed.bob).status == EmailDelivery.Status.SENT


def test_a_worker_killed_mid_send_sends_the_email_exactly_once_after_restart(
    worker, smtp, team_committed
):
    _, mailbox = smtp
    mailbox.stall_next_recipient = True
    actions.post_to_group(team_committed.alice, team_committed.group, "Kijk even mee @bob")
    assert mailbox.stalled.wait(30), "the worker never reached the SMTP server"
    worker.kill()
    assert mailbox.messages == []
    assert delivery_of_bobs_mention(team_committed.bob).status == EmailDelivery.Status.PENDING

    time.sleep(VISIBILITY_TIMEOUT + 1)  # Redis gives the task to the next worker after this
    worker.start()
    mailbox.wait_for(1)
    # The redelivered task ran to its end, and the worker is past anything queued
    # with it: a second copy would have come by now.
    wait_until(lambda: "succeeded" in worker.log())
    a_later_email_arrives(mailbox, team_committed)
    assert len(mailbox.to("bob@k.test")) == 1
    assert delivery_of_bobs_mention(team_committed.bob).status == EmailDelivery.Status.SENT


def test_a_server_that_says_try_later_gets_the_email_on_a_retry(worker, smtp, team_committed):
    _, mailbox = smtp
    mailbox.try_later = 2
    actions.post_to_group(team_committed.alice, team_committed.group, "Kijk even mee @bob")
    mailbox.wait_for(1)
    # The task's last attempt succeeded (so no retry is left), and the worker is past it.
    wait_until(lambda: "succeeded" in worker.log())
    a_later_email_arrives(mailbox, team_committed)
    assert len(mailbox.to("bob@k.test")) == 1
    delivery = delivery_of_bobs_mention(team_committed.bob)
    assert delivery.status == EmailDelivery.Status.SENT and delivery.attempts == 3
    assert "451" in delivery.last_error


def test_an_email_that_keeps_failing_ends_in_the_dead_letter_log(worker, smtp, team_committed):
    _, mailbox = smtp
    mailbox.try_later = 100
    actions.post_to_group(team_committed.alice, team_committed.group, "Kijk even mee @bob")
    failed = EmailDelivery.objects.filter(status=EmailDelivery.Status.FAILED)
    wait_until(failed.exists)
    delivery = delivery_of_bobs_mention(team_committed.bob)
    assert delivery.attempts == 3 and "Try again later" in delivery.last_error
    assert "failed for good after 3 attempts" in worker.log()
    assert mailbox.messages == []


def test_the_digest_shows_a_secret_groups_post_to_a_member_and_not_to_an_outsider(worker, smtp):
    _, mailbox = smtp
    alice = PersonFactory(username="alice", display_name="Alice de Vries", email="alice@k.test")
    member = PersonFactory(username="mia", display_name="Mia Lid", email="mia@k.test")
    outsider = PersonFactory(username="otto", display_name="Otto Buiten", email="otto@k.test")
    for person in (member, outsider):
        person.last_login = timezone.now()
        person.save()
        notice_actions.save_notification_preferences(person, {"digest_frequency": "daily"})
        actions.follow_tag(person, "zorg")
    open_group = actions.create_group(alice, name="Open kring")
    secret = actions.create_group(alice, name="Geheime kring", privacy=Group.Privacy.SECRET)
    actions.add_member(alice, secret, member)
    for group, body in [(open_group, "Open overleg #zorg"), (secret, "Geheim overleg #zorg")]:
        post = actions.post_to_group(alice, group, body)
        actions.reply_to_post(alice, post, "Wie denkt mee?")

    tasks.send_digests.delay("daily")
    mailbox.wait_for(2)
    [for_member] = mailbox.to("mia@k.test")
    [for_outsider] = mailbox.to("otto@k.test")
    assert for_member["Subject"] == for_outsider["Subject"] == "Your day in Kring"
    for part in ("plain", "html"):
        assert "Geheim overleg" in for_member.get_body((part,)).get_content()
        assert "Open overleg" in for_member.get_body((part,)).get_content()
        assert "Geheim overleg" not in for_outsider.get_body((part,)).get_content()
        assert "Open overleg" in for_outsider.get_body((part,)).get_content()


def test_the_unsubscribe_link_works_without_login_and_only_for_its_owner(
    worker, smtp, team_committed, live_servers
):
    _, mailbox = smtp
    actions.post_to_group(team_committed.alice, team_committed.group, "Kijk even mee @bob")
    [message] = mailbox.wait_for(1)
    path = urlsplit(str(message["List-Unsubscribe"]).strip().strip("<>")).path
    server = live_servers[0].url

    with urllib.request.urlopen(server + path, timeout=10) as page:  # no session
        assert page.status == 200
    assert (
        notice_queries.preferences(team_committed.bob).delivery("mention") == "email"
    )  # opening changes nothing
    one_click = urlencode({"List-Unsubscribe": "One-Click"}).encode()
    with urllib.request.urlopen(server + path, data=one_click, timeout=10) as answer:
        assert answer.status == 200
    assert notice_queries.preferences(team_committed.bob).delivery("mention") == "app"
    assert notice_queries.preferences(team_committed.alice).delivery("mention") == "email"

    forged = path.rstrip("/")[:-3] + "abc/"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server + forged, data=one_click, timeout=10)
    assert refused.value.code == 400
