"""Emails: at once and in the digest, once each, in the recipient's language, only
what they may see, and an unsubscribe link that works for its owner alone.

Celery runs in-process here (no REDIS_URL) and Django's test outbox collects
what is sent; tests/notices/test_email_integration.py does the same with a real
worker on Redis and a real SMTP server.
"""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import actions
from communities.models import Group, Post
from notices import actions as notice_actions
from notices import emails, tasks
from notices import queries as notice_queries
from notices.models import Delivery, EmailDelivery
from tests.factories import PersonFactory
from tests.notices.helpers import prefs

pytestmark = pytest.mark.django_db(transaction=True)


def mention_mail(alice, group, body="Kijk even mee @bob"):
    actions.post_to_group(alice, group, body)
    assert len(mail.outbox) == 1
    return mail.outbox[0]


def unsubscribe_link(message) -> str:
    return (
        message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    )


def test_a_mention_is_mailed_at_once_in_html_and_text(team):
    message = mention_mail(team.alice, team.group)
    assert message.to == ["bob@k.test"]
    assert message.subject == "Alice de Vries mentioned you in Wondzorg"
    assert "Kijk even mee @Bob Jansen" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Open in Kring" in html and "Kijk even mee @Bob Jansen" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_an_email_quotes_plain_text_not_markdown_or_usernames(team):
    message = mention_mail(
        team.alice, team.group, "**Dringend:** lees [het protocol](https://k.test/p) @bob"
    )
    quote = "Dringend: lees het protocol @Bob Jansen"
    assert f"“{quote}”" in message.body
    assert f">{quote}</blockquote>" in message.alternatives[0][0]
    assert "**" not in message.body and "](" not in message.body and "@bob" not in message.body


def test_an_email_goes_in_the_recipients_language(team):
    prefs(team.bob, language="nl")
    message = mention_mail(team.alice, team.group)
    assert message.subject == "Alice de Vries noemde je in Wondzorg"
    assert "Openen in Kring" in message.alternatives[0][0]


def test_a_notification_is_mailed_once_however_often_its_task_runs(team):
    mention_mail(team.alice, team.group)
    notification_id = notice_queries.latest(team.bob)[0].id
    assert tasks.email_notice.delay(notification_id).get() == "sent"
    assert len(mail.outbox) == 1
    assert notice_queries.latest(team.bob)[0].emailed


def test_no_email_to_a_deactivated_person_or_for_what_they_may_no_longer_see(team):
    closed = actions.create_group(team.alice, name="Team", privacy=Group.Privacy.CLOSED)
    actions.add_member(team.alice, closed, team.bob)
    team.bob.is_active = False
    team.bob.save()
    actions.post_to_group(team.alice, closed, "@bob")  # nobody notifies a deactivated account
    assert mail.outbox == [] and [n.kind for n in notice_queries.latest(team.bob)] == ["added"]
    team.bob.is_active = True
    team.bob.save()
    with mock.patch.object(tasks.email_notice, "delay"):  # the task is late
        actions.post_to_group(team.alice, closed, "@bob te laat")
    late = notice_queries.latest(team.bob)[0]
    assert late.text == "Alice de Vries mentioned you in Team"
    actions.remove_member(team.alice, closed, team.bob)
    assert tasks.email_notice.delay(late.id).get() == "gone"
    assert mail.outbox == []


def test_quiet_hours_hold_an_email_until_the_sweep_after_them(team):
    now = timezone.localtime()
    prefs(
        team.bob,
        quiet_from=(now - timedelta(hours=1)).time(),
        quiet_until=(now + timedelta(hours=1)).time(),
    )
    actions.post_to_group(team.alice, team.group, "@bob 's nachts")
    assert mail.outbox == []
    assert tasks.send_waiting_emails.delay().get() == 0  # too fresh: its own task has it
    later = timezone.now() + timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert tasks.send_waiting_emails.delay().get() == 0  # still quiet
        prefs(team.bob, quiet_from=None, quiet_until=None)
        assert tasks.send_waiting_emails.delay().get() == 1
        assert len(mail.outbox) == 1
        assert tasks.send_waiting_emails.delay().get() == 0  # sent: not again


def test_a_refused_email_is_not_retried_but_kept_as_a_dead_letter(team):
    """Retries of a server that is away are proven with a real worker and SMTP
    server (test_email_integration); a refusal goes to the dead-letter log at once."""
    mailbox_unknown = smtplib.SMTPRecipientsRefused({"bob@k.test": (550, b"no such mailbox")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=mailbox_unknown) as send:
        actions.post_to_group(team.alice, team.group, "@bob")
    assert send.call_count == 1
    delivery = EmailDelivery.objects.get()
    assert delivery.status == EmailDelivery.Status.FAILED and delivery.attempts == 1
    assert "no such mailbox" in delivery.last_error
    later = timezone.now() + timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert tasks.send_waiting_emails.delay().get() == 0  # the sweep does not offer it again


@pytest.mark.parametrize(
    "error, temporary",
    [
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(), True),
        (smtplib.SMTPDataError(451, b"try later"), True),
        (smtplib.SMTPDataError(554, b"rejected"), False),
        (smtplib.SMTPRecipientsRefused({"a@k.test": (450, b"busy")}), True),
        (smtplib.SMTPRecipientsRefused({"a@k.test": (550, b"unknown")}), False),
        (KeyError("a bug of ours"), False),
    ],
)
def test_only_a_server_that_is_away_or_says_try_later_is_retried(error, temporary):
    assert tasks.is_temporary(error) is temporary


# The digest ------------------------------------------------------------------------


def digest_world():
    alice = PersonFactory(username="alice", display_name="Alice de Vries", email="alice@k.test")
    member = PersonFactory(username="member", display_name="Mia Lid", email="mia@k.test")
    outsider = PersonFactory(username="outsider", display_name="Otto Buiten", email="otto@k.test")
    for person in (alice, member, outsider):
        prefs(person, digest_frequency="daily", reaction=Delivery.DIGEST)
        person.last_login = timezone.now()
        person.save()
        actions.follow_tag(person, "zorg")
    open_group = actions.create_group(alice, name="Open kring")
    secret = actions.create_group(alice, name="Geheime kring", privacy=Group.Privacy.SECRET)
    actions.add_member(alice, secret, member)
    for person in (member, outsider):
        actions.join_group(person, open_group)
    public = actions.post_to_group(alice, open_group, "Open overleg #zorg")
    hidden = actions.post_to_group(alice, secret, "Geheim overleg #zorg")
    for post in (public, hidden):
        actions.reply_to_post(alice, post, "Nog een gedachte")
    return alice, member, outsider


def digest_of(person):
    return emails.build_digest(person, "daily", timezone.now() - timedelta(days=1))


def test_a_digest_holds_a_secret_groups_post_for_a_member_and_not_for_an_outsider():
    _, member, outsider = digest_world()
    member_posts = [p.body for p in digest_of(member).top_posts]
    outsider_posts = [p.body for p in digest_of(outsider).top_posts]
    assert "Geheim overleg #zorg" in member_posts and "Open overleg #zorg" in member_posts
    assert outsider_posts == ["Open overleg #zorg"]
    assert tasks.send_digests.delay("daily").get() == 3
    sent = {m.to[0]: m for m in mail.outbox}
    assert "Geheim overleg" in sent["mia@k.test"].body
    assert "Geheim overleg" not in sent["otto@k.test"].body
    assert "Geheim overleg" not in sent["otto@k.test"].alternatives[0][0]
    assert "Open overleg" in sent["otto@k.test"].alternatives[0][0]


def test_a_digest_repeats_unread_notices_wanted_in_it_and_unread_mentions(team):
    prefs(team.bob, mention=Delivery.IN_APP, reaction=Delivery.DIGEST, reply=Delivery.IN_APP)
    post = actions.post_to_group(team.bob, team.group, "Mijn vraag")
    actions.toggle_reaction(team.alice, post, "like")
    actions.reply_to_post(team.alice, post, "Een antwoord")
    actions.post_to_group(team.alice, team.group, "Zie @bob")
    texts = [n.text for n in digest_of(team.bob).notices]
    assert texts == [
        "Alice de Vries mentioned you in Wondzorg",
        "Alice de Vries reacted to your post",
    ]
    notice_actions.mark_all_read(team.bob)
    assert digest_of(team.bob).notices == []


def test_a_digest_goes_once_per_period_and_not_to_whom_it_should_not():
    _, member, outsider = digest_world()
    prefs(outsider, digest_frequency="weekly")
    period = timezone.localdate().isoformat()
    tasks.send_digests.delay("daily").get()
    tasks.send_digests.delay("daily").get()
    # Otto wants his weekly; Alice wrote everything there is, so hers would be empty.
    assert [m.to[0] for m in mail.outbox] == ["mia@k.test"]
    assert tasks.send_digest.delay(member.pk, "daily", period).get() == "sent"
    assert len(mail.outbox) == 1
    member.last_login = timezone.now() - timedelta(days=91)
    member.save()
    assert member.pk not in notice_queries.digest_recipients("daily", 90)
    member.is_active = False
    member.last_login = timezone.now()
    member.save()
    assert tasks.send_digest.delay(member.pk, "daily", "2030-01-01").get() == "skipped"


@pytest.mark.parametrize("member_first", [True, False])
def test_a_secret_post_the_batch_ranks_first_reaches_members_only(member_first):
    """A batch ranks the day's posts once, whoever may see them: the secret group's
    post, the most talked about, leads the ranking. It reaches the member's digest
    and not the outsider's, whichever of them the batch builds first."""
    alice, member, outsider = digest_world()
    hidden = Post.objects.get(body="Geheim overleg #zorg")
    for answer in ("Eens", "Ik ook", "Morgen verder"):
        actions.reply_to_post(member, hidden, answer)
    assert notice_queries.talked_about(timezone.now() - timedelta(days=1))[0].id == hidden.pk
    batch = [member.pk, outsider.pk] if member_first else [outsider.pk, member.pk]
    period = timezone.localdate().isoformat()
    assert tasks.send_digest_batch.delay(batch, "daily", period).get() == {"sent": 2}
    sent = {m.to[0]: m for m in mail.outbox}
    for part in (sent["mia@k.test"].body, sent["mia@k.test"].alternatives[0][0]):
        assert "Geheim overleg" in part and "Open overleg" in part
        assert "4 replies" in part  # the count the batch ranked by
    for part in (sent["otto@k.test"].body, sent["otto@k.test"].alternatives[0][0]):
        assert "Geheim overleg" not in part and "4 replies" not in part
        assert "Open overleg" in part


def test_the_rules_question_compiled_once_answers_as_the_rule_asked_for_each_reader():
    """A batch compiles the rule's question about its ranked posts once and asks it for
    every reader: for members, a manager, outsiders, a former member, the author and
    an administrator of secret and closed groups it answers as the rule does."""
    from tests.test_privacy import build_world

    alice, viewers, private = build_world()
    open_group = actions.create_group(alice, name="Open")
    posts = {
        name: actions.post_to_group(alice, group, f"Over {name} #vertrouwelijk")
        for name, group in [*private.items(), ("open", open_group)]
    }
    admin = PersonFactory(username="beheer", is_staff=True, is_superuser=True)
    actions.follow_person(admin, alice)
    ids = [post.pk for post in posts.values()]
    question = notice_queries.HomeTimelineQuestion(ids)
    answers = {}
    for name, reader in [*viewers.items(), ("alice", alice), ("admin", admin)]:
        answers[name] = question.ask(reader)
        assert answers[name] == notice_queries.on_home_timeline(reader, ids), name
    everything = set(ids)
    assert answers["member"] == answers["manager"] == everything
    only_open = {posts["open"].pk}
    assert answers["outsider"] == answers["removed"] == answers["admin"] == only_open
    assert answers["alice"] == set()  # her own


def test_an_empty_digest_costs_one_query_and_no_template():
    """Someone with nothing new (no notices, nothing talked about on their timeline,
    no events): their digest is known to be empty after one query, and nothing is
    rendered for it."""
    _, member, _ = digest_world()
    quiet = PersonFactory(username="quiet", display_name="Stil", email="stil@k.test")
    prefs(quiet, digest_frequency="daily")
    digests = emails.Digests.of([member.pk, quiet.pk], "daily")
    assert digests.email(member.pk) is not None  # what the batch shares is read by now
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        with CaptureQueriesContext(connection) as captured:
            assert digests.email(quiet.pk) is None
    finally:
        template_rendered.disconnect(record)
    assert len(captured) == 1
    assert rendered == []


def test_each_more_digest_in_a_batch_costs_the_same_few_queries():
    """What a batch's digests share is read once; each digest more costs the visibility
    rule's question about the ranked posts, and locking and marking its email, however
    many posts it shows."""
    alice, _, _ = digest_world()
    busy = actions.create_group(alice, name="Druk")
    readers = []
    for n in range(8):
        reader = PersonFactory(username=f"lezer{n}", email=f"lezer{n}@k.test")
        prefs(reader, digest_frequency="daily")
        actions.follow_tag(reader, "zorg")
        readers.append(reader)
    for reader in readers:
        actions.join_group(reader, busy)
    for n in range(6):
        post = actions.post_to_group(alice, busy, f"Bericht {n}")
        actions.reply_to_post(alice, post, "antwoord")

    def queries_of_batch(people, period):
        with CaptureQueriesContext(connection) as captured:
            result = tasks.send_digest_batch.delay([p.pk for p in people], "daily", period).get()
        assert result == {"sent": len(people)}
        # SQLite's BEGIN and COMMIT are logged too, PostgreSQL's are not: not counted.
        return len([q for q in captured if not q["sql"].startswith(("BEGIN", "COMMIT"))])

    period = timezone.localdate().isoformat()
    two = queries_of_batch(readers[:2], period)
    six = queries_of_batch(readers[2:], period)
    assert six - two == 4 * 3
    assert all(
        len([line for line in m.body.splitlines() if line.startswith("- ")]) == emails.TOP_POSTS
        for m in mail.outbox
    )


@pytest.mark.parametrize("batch, connections", [(50, 1), (1, 2)])
def test_digests_go_out_in_batches_each_over_one_smtp_connection(settings, batch, connections):
    settings.DIGEST_BATCH = batch
    digest_world()
    backend = type(mail.get_connection())
    used = []
    real_send_messages = backend.send_messages

    def recording(self, messages):
        used.append(self)
        return real_send_messages(self, messages)

    with mock.patch.object(backend, "send_messages", recording):
        assert tasks.send_digests.delay("daily").get() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["mia@k.test", "otto@k.test"]
    # A connection per batch: two mails over one, or over one each.
    assert len(set(map(id, used))) == connections
    # Alice wrote all there is: nothing for her.
    by_status = sorted(EmailDelivery.objects.values_list("status", flat=True))
    assert by_status == ["sent", "sent", "skipped"]


def test_a_batch_hands_the_rest_to_single_digests_when_the_server_is_away():
    _, member, outsider = digest_world()
    period = timezone.localdate().isoformat()
    sent = []
    real_send = mail.EmailMessage.send

    def away_once(message, *args, **kwargs):
        if len(sent) == 1 and not getattr(away_once, "failed", False):
            away_once.failed = True
            raise smtplib.SMTPServerDisconnected("connection lost")
        sent.append(message.to[0])
        return real_send(message, *args, **kwargs)

    with mock.patch("django.core.mail.EmailMessage.send", away_once):
        result = tasks.send_digest_batch.delay([member.pk, outsider.pk], "daily", period).get()
    assert result == {"sent": 1, "handed on": 1}
    assert sorted(m.to[0] for m in mail.outbox) == ["mia@k.test", "otto@k.test"]
    failed_once = EmailDelivery.objects.get(person=outsider)
    assert (failed_once.status, failed_once.attempts) == ("sent", 2)
    assert "connection lost" in failed_once.last_error
    # Queued again (beat, a redelivered task): nobody gets a second digest.
    assert tasks.send_digest_batch.delay([member.pk, outsider.pk], "daily", period).get() == {
        "done before": 2
    }
    assert len(mail.outbox) == 2


def test_a_digest_takes_the_same_queries_for_few_or_many_posts_and_notices():
    alice, member, _ = digest_world()
    group = actions.create_group(alice, name="Druk")
    actions.join_group(member, group)
    notice_actions.mark_all_read(member)  # from here on: mentions, few or many

    def add(count):
        for n in range(count):
            post = actions.post_to_group(alice, group, f"Bericht {n} #zorg @member")
            actions.reply_to_post(alice, post, "antwoord")
            actions.toggle_reaction(member, post, "like")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            digest = digest_of(member)
            emails.digest_email(digest, notice_queries.preferences(member))
        listed = len(digest.notices)
        return len(captured), listed + digest.more_notices, len(digest.top_posts), listed

    add(2)
    few = queries()
    add(20)
    many = queries()
    assert (few[1], many[1]) == (2, 22) and (few[2], many[2]) == (4, 5)
    assert many[3] == emails.DIGEST_NOTICES  # the rest: "and 16 more"
    assert few[0] == many[0]


# Unsubscribing -----------------------------------------------------------------------


def test_one_click_unsubscribe_works_without_login_for_its_owner_only(team):
    link = unsubscribe_link(mention_mail(team.alice, team.group))
    anonymous = Client()
    page = anonymous.get(link)
    assert (
        page.status_code == 200
        and notice_queries.preferences(team.bob).delivery("mention") == Delivery.EMAIL
    )
    assert "In Kring and in the digest" in page.content.decode()  # less, not only nothing
    response = anonymous.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert notice_queries.preferences(team.bob).delivery("mention") == Delivery.IN_APP
    assert notice_queries.preferences(team.alice).delivery("mention") == Delivery.EMAIL
    token = link.rstrip("/").rsplit("/", 1)[1]
    for bad in [token[:-2] + "xx", emails.unsubscribe_token(team.bob.pk, "digest")[:-1] + "A"]:
        assert anonymous.post(f"/notifications/unsubscribe/{bad}/").status_code == 400
    assert notice_queries.preferences(team.bob).digest_frequency == "weekly"


def test_the_digests_unsubscribe_page_offers_a_lower_frequency(team):
    prefs(team.bob, digest_frequency="daily")
    link = f"/notifications/unsubscribe/{emails.unsubscribe_token(team.bob.pk, 'digest')}/"
    page = Client().get(link).content.decode()
    assert 'value="weekly"' in page and 'value="never"' in page and 'value="daily"' not in page
    Client().post(link, {"choice": "weekly"})
    assert notice_queries.preferences(team.bob).digest_frequency == "weekly"
    assert Client().post(link, {"choice": "hourly"}).status_code == 400


def test_history_loaded_in_bulk_notifies_but_emails_no_one(team):
    with notice_actions.without_emails():
        actions.post_to_group(team.alice, team.group, "Uit het archief, @bob")
    assert [n.text for n in notice_queries.latest(team.bob)] == [
        "Alice de Vries mentioned you in Wondzorg"
    ]
    later = timezone.now() + timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert tasks.send_waiting_emails.delay().get() == 0
    assert mail.outbox == []
