"""Pages kept alive: who looks after a page is reminded 28 and 14 days before its
review date and each week once it is past, each reminder once; "Still correct" is
one click from the reminder and starts the reminders afresh for the new date."""

from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Group, Membership
from knowledge import actions, queries
from knowledge.actions import PAGE_REVIEW_DUE, Steward
from knowledge.models import Page, PageReminder
from knowledge.tasks import send_page_review_reminders
from notices import queries as notice_queries
from tests.factories import GroupFactory, PersonFactory
from tests.knowledge.helpers import make_page
from tests.notices.helpers import prefs


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def before(page: Page, days: int) -> datetime:
    """Noon, ``days`` before the page's review date (negative: after it)."""
    return noon(page.review_by - timedelta(days=days))


def reminders_of(person) -> list[str]:
    return [n.text for n in notice_queries.latest(person, limit=50) if n.kind == PAGE_REVIEW_DUE]


def long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def run_twice(now: datetime) -> tuple[int, int]:
    return actions.send_review_reminders(now), actions.send_review_reminders(now)


def past_due(author, *, days: int = 30, **kw) -> Page:
    """A page written a year and ``days`` ago, to be reviewed yearly: past its date."""
    page = make_page(author, review_months=Page.Review.YEAR, **kw)
    Page.objects.filter(pk=page.pk).update(created_at=timezone.now() - timedelta(days=365 + days))
    page.refresh_from_db()
    return page


@pytest.mark.django_db
def test_the_owner_is_reminded_28_and_14_days_before_each_once(team):
    page = make_page(team.alice, title="Wondzorg protocol")
    assert run_twice(before(page, 40)) == (0, 0)
    assert run_twice(before(page, 28)) == (1, 0)
    assert run_twice(before(page, 20)) == (0, 0)
    assert run_twice(before(page, 14)) == (1, 0)
    assert run_twice(before(page, 3)) == (0, 0)
    text = (
        f"The knowledge page “Wondzorg protocol” is due for review on {long_date(page.review_by)}"
    )
    assert reminders_of(team.alice) == [text, text]
    assert reminders_of(team.bob) == reminders_of(team.carol) == []
    assert sorted(PageReminder.objects.values_list("kind", flat=True)) == ["14", "28"]


@pytest.mark.django_db
def test_a_reminder_comes_late_if_the_task_did_not_run_but_never_both(team):
    page = make_page(team.alice)
    # The 28-day reminder's day went by: at 10 days, the 14-day one alone.
    assert run_twice(before(page, 10)) == (1, 0)
    assert list(PageReminder.objects.values_list("kind", flat=True)) == ["14"]


@pytest.mark.django_db
def test_past_its_date_the_owner_is_reminded_each_week(team):
    page = make_page(team.alice, title="Wondzorg protocol")
    assert run_twice(before(page, 0)) == (1, 0)  # on the day itself: "is due"
    assert run_twice(before(page, -1)) == (1, 0)
    assert run_twice(before(page, -5)) == (0, 0)
    assert run_twice(before(page, -8)) == (1, 0)
    assert run_twice(before(page, -14)) == (0, 0)  # 6 days after the last
    assert run_twice(before(page, -15)) == (1, 0)
    past = (
        f"The knowledge page “Wondzorg protocol” was due for review on {long_date(page.review_by)}"
    )
    assert reminders_of(team.alice).count(past) == 3
    assert list(
        PageReminder.objects.filter(kind="past").order_by("repeat").values_list("repeat", flat=True)
    ) == [0, 1, 2]


@pytest.mark.django_db
def test_the_beat_task_is_scheduled_and_sends_each_reminder_once(team):
    past_due(team.alice)
    entry = settings.CELERY_BEAT_SCHEDULE["page-review-reminders"]
    assert entry["task"] == "knowledge.tasks.send_page_review_reminders"
    assert send_page_review_reminders.delay().get() == 1
    assert send_page_review_reminders.delay().get() == 0
    assert len(reminders_of(team.alice)) == 1


@pytest.mark.django_db
def test_a_page_owned_by_a_group_reminds_its_managers(team):
    stewards = GroupFactory(slug="redactie", members=[team.alice, team.bob, team.carol])
    Membership.objects.filter(group=stewards, person=team.alice).update(role=Membership.Role.OWNER)
    Membership.objects.filter(group=stewards, person=team.bob).update(role=Membership.Role.MANAGER)
    page = make_page(team.carol, owner=Steward(group=stewards))
    assert run_twice(before(page, 28)) == (2, 0)
    assert len(reminders_of(team.alice)) == len(reminders_of(team.bob)) == 1
    assert reminders_of(team.carol) == []  # a member, not a manager: the author no more


@pytest.mark.django_db
def test_a_closed_account_gets_no_reminder(team):
    mine = make_page(team.alice, title="Van Alice")
    stewards = GroupFactory(slug="redactie", members=[team.alice, team.bob])
    Membership.objects.filter(group=stewards).update(role=Membership.Role.MANAGER)
    theirs = make_page(team.carol, title="Van de redactie", owner=Steward(group=stewards))
    team.alice.is_active = False
    team.alice.save()
    assert actions.send_review_reminders(before(mine, 28)) == 1  # Bob, for the group's page
    assert [r.person for r in PageReminder.objects.all()] == [team.bob]
    assert PageReminder.objects.get().page == theirs
    assert not PageReminder.objects.filter(person=team.alice).exists()


@pytest.mark.django_db
def test_no_reminder_of_a_page_its_owner_may_no_longer_see(team):
    closed = GroupFactory(slug="dicht", privacy=Group.Privacy.CLOSED, members=[team.alice])
    page = make_page(team.alice, group=closed, owner=Steward(person=team.bob))
    assert actions.send_review_reminders(before(page, 28)) == 0
    assert reminders_of(team.bob) == []


@pytest.mark.django_db
def test_still_correct_moves_the_date_and_the_reminders_start_afresh(team):
    page = past_due(team.alice)
    old_date = page.review_by
    now = timezone.now()
    assert run_twice(now) == (1, 0)
    actions.mark_still_correct(team.alice, page)
    page.refresh_from_db()
    assert page.review_by > old_date and not page.past_review
    assert run_twice(now + timedelta(days=8)) == (0, 0)  # no more "was due"
    assert run_twice(before(page, 28)) == (1, 0)  # the new date's own reminders
    new = f"is due for review on {long_date(page.review_by)}"
    assert new in reminders_of(team.alice)[0]
    assert PageReminder.objects.get(kind="28").for_review_by == page.review_by


@pytest.mark.django_db
def test_the_reminder_leads_to_the_page_with_still_correct_one_click_away(team, client_for):
    page = past_due(team.alice, title="Wondzorg protocol")
    actions.send_review_reminders()
    [notice] = notice_queries.latest(team.alice)
    client = client_for(team.alice)
    opened = client.get(notice.open_url)
    assert opened.status_code == 302 and opened.url == f"{page.get_absolute_url()}?review=1"
    html = client.get(opened.url).content.decode()
    banner = html[html.index('class="review-banner"') : html.index('id="page-updates"')]
    assert "Is this page still correct?" in banner
    assert f"was due for review on {long_date(page.review_by)}" in banner
    check_url = reverse("page_check", args=[page.pk])
    assert f'<form method="post" action="{check_url}">' in banner
    assert 'name="csrfmiddlewaretoken"' in banner
    assert "Past its review date." not in html  # the banner says it, once
    assert f'href="{reverse("page_edit", args=[page.pk])}">Edit the page</a>' in banner
    # The one click.
    response = client.post(check_url, follow=True)
    page.refresh_from_db()
    assert not page.past_review
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == page.get_absolute_url()
    assert (
        "Thank you: the page is marked as still correct. "
        f"Its next review is on {long_date(page.review_by)}." in html
    )
    assert "review-banner" not in html and "Past its review date." not in html
    # The reminder's link again, once checked: the page, no question any more.
    html = client.get(opened.url).content.decode()
    assert "review-banner" not in html and f"Checked on {long_date(timezone.localdate())}" in html


@pytest.mark.django_db
def test_the_page_shows_no_review_banner_to_who_may_not_check_it(team, client_for):
    page = past_due(team.alice, group=team.group)
    outsider = client_for(PersonFactory(username="dirk"))
    html = outsider.get(f"{page.get_absolute_url()}?review=1").content.decode()
    assert "review-banner" not in html and "Still correct" not in html
    assert "Past its review date." in html  # online, with its notice


@pytest.mark.django_db
def test_a_manager_of_the_owning_group_may_check_a_page_they_cannot_edit(team, client_for):
    stewards = GroupFactory(slug="redactie", members=[team.carol])
    Membership.objects.filter(group=stewards).update(role=Membership.Role.MANAGER)
    outsider = PersonFactory(username="dirk")
    page = past_due(team.alice, group=team.group, owner=Steward(group=stewards))
    Membership.objects.filter(group=team.group, person=team.carol).delete()
    assert not queries.may_edit(team.carol, page)
    assert queries.may_check(team.carol, page) and not queries.may_check(outsider, page)
    html = client_for(team.carol).get(f"{page.get_absolute_url()}?review=1").content.decode()
    assert "review-banner" in html and "Edit the page" not in html
    assert client_for(team.carol).post(reverse("page_check", args=[page.pk])).status_code == 302
    page.refresh_from_db()
    assert page.checked_by == team.carol


@pytest.mark.django_db(transaction=True)
def test_a_dutch_reader_gets_the_reminder_by_email_in_dutch(team):
    prefs(team.alice, language="nl")
    page = make_page(team.alice, title="Wondzorg protocol")
    review_by = page.review_by
    mail.outbox.clear()
    assert actions.send_review_reminders(before(page, 14)) == 1
    [message] = mail.outbox
    assert message.to == ["alice@k.test"]
    months = (
        "januari februari maart april mei juni juli augustus september oktober november december"
    )
    dutch_date = f"{review_by.day} {months.split()[review_by.month - 1]} {review_by.year}"
    assert "Wondzorg protocol" in message.subject and dutch_date in message.subject
    assert "Openen in Kring" in message.body
    [notice] = notice_queries.latest(team.alice)
    assert f"/notifications/{notice.id}/" in message.body
    assert actions.send_review_reminders(before(page, 14)) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_task_costs_the_same_queries_for_few_pages_or_many(team):
    stewards = GroupFactory(slug="redactie", members=[team.bob])
    Membership.objects.filter(group=stewards).update(role=Membership.Role.MANAGER)

    def add_pages(number):
        for i in range(number):
            make_page(team.alice, title=f"Pagina {i}")
            make_page(team.carol, title=f"Redactie {i}", owner=Steward(group=stewards))
            make_page(team.carol, title=f"Later {i}", review_months=Page.Review.TWO_YEARS)

    def queries_of_a_run(now):
        with CaptureQueriesContext(connection) as captured:
            assert actions.send_review_reminders(now) == 0
        return len(captured)

    add_pages(2)
    now = before(Page.objects.get(title="Pagina 0"), 20)
    assert actions.send_review_reminders(now) == 4
    few = queries_of_a_run(now)
    add_pages(10)
    assert actions.send_review_reminders(now) == 20
    assert queries_of_a_run(now) == few <= 3


@pytest.mark.django_db
def test_pages_past_review_oldest_due_first_and_only_those_one_may_see(
    team, django_assert_num_queries
):
    oldest = past_due(team.alice, days=90, title="Oud")
    newer = past_due(team.alice, days=10, title="Nieuwer")
    half_year = make_page(team.alice, title="Halfjaarlijks", review_months=Page.Review.HALF_YEAR)
    Page.objects.filter(pk=half_year.pk).update(created_at=timezone.now() - timedelta(days=230))
    make_page(team.alice, title="Nog niet")
    closed = GroupFactory(slug="dicht", privacy=Group.Privacy.CLOSED, members=[team.alice])
    secret = past_due(team.alice, days=200, title="Geheim", group=closed)
    outsider = PersonFactory(username="dirk")
    with django_assert_num_queries(len(Page.Review.values)):
        found = queries.pages_past_review(outsider)
        assert [p.title for p in found] == ["Oud", "Halfjaarlijks", "Nieuwer"]
        assert found[0].owner == team.alice  # loaded with it
    assert [p.pk for p in queries.pages_past_review(team.alice)] == [
        secret.pk,
        oldest.pk,
        half_year.pk,
        newer.pk,
    ]
    assert [p.pk for p in queries.pages_past_review(team.alice, limit=2)] == [secret.pk, oldest.pk]
    assert queries.pages_past_review_count(outsider) == 3
    assert queries.pages_past_review_count(team.alice) == 4
    assert all(p.past_review for p in queries.pages_past_review(team.alice))


@pytest.mark.django_db
def test_the_review_date_query_agrees_with_the_page_on_every_day_around_it(team):
    page = make_page(team.alice, review_months=Page.Review.HALF_YEAR)
    # Written on the last day of August: six months on is the end of February.
    for start in (datetime(2026, 8, 31, 23, 30), datetime(2026, 3, 1, 0, 15)):
        Page.objects.filter(pk=page.pk).update(created_at=timezone.make_aware(start))
        page.refresh_from_db()
        for shift in range(-3, 4):
            day = page.review_by + timedelta(days=shift)
            found = Page.objects.review_by_before(day).filter(pk=page.pk).exists()
            assert found == (page.review_by < day), (start, day)
