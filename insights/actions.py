"""The insights app's writes: what people's use of Kring leaves for the coach
(an active day, a page opened), the roll-ups beat makes of finished days, and
nudges: sent, delivered once to each person, and measured."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Membership, Person, Post, Reply
from communities.signals import send_after_commit
from insights import queries, signals
from insights.models import (
    ActiveDay,
    DayRollup,
    Nudge,
    NudgeRecipient,
    PageUse,
    SearchGap,
    Threshold,
)
from insights.queries import require_coach
from insights.wording import WORDINGS
from knowledge.models import Page
from notices import actions as notices
from search.models import Search

#: The notice kind of a nudge (registered by ``insights.notice_kinds``).
NUDGE = "nudge"

#: The search kind of knowledge pages (knowledge.search_kinds): opening one closes a gap.
PAGE_KIND = "page"


def note_active(person: Person, day: date) -> None:
    """``person`` opened Kring on ``day``: recorded once (a second call writes nothing new)."""
    ActiveDay.objects.bulk_create([ActiveDay(person=person, day=day)], ignore_conflicts=True)


def count_use(place: str, day: date) -> None:
    """One more opening of ``place`` on ``day``: one statement, the row made the
    first time (an upsert, which PostgreSQL and SQLite speak alike), so that two
    requests at once both count and a page's queries do not depend on whether it
    was opened before that day."""
    table = connection.ops.quote_name(PageUse._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, place, views) VALUES (%s, %s, 1) "  # noqa: S608 - our table
            f"ON CONFLICT (day, place) DO UPDATE SET views = {table}.views + 1",
            [day, place[:200]],
        )


def update_search_gaps(*, now: datetime | None = None) -> tuple[int, int]:
    """Open a page to write for each term that found nothing often enough (the
    coach's threshold: searches by different people within days), and close the
    open ones whose term now finds a knowledge page that someone opened.
    Returns (opened, closed)."""
    now = now or timezone.now()
    threshold = Threshold.objects.get_or_create(pk=1)[0]
    since = now - timedelta(days=threshold.days)
    open_terms = set(SearchGap.objects.filter(closed_at=None).values_list("term", flat=True))
    frequent = (
        Search.objects.filter(searched_at__gte=since, results=0)
        .annotate(said=F("term"))
        .values("said")
        .annotate(searches=Count("id"), searchers=Count("person_key", distinct=True))
        .filter(searches__gte=threshold.searches, searchers__gte=threshold.searchers)
        .order_by()
    )
    opened = 0
    for row in frequent:
        if row["said"] in open_terms:
            continue
        try:
            with transaction.atomic():
                SearchGap.objects.create(
                    term=row["said"],
                    searches=row["searches"],
                    searchers=row["searchers"],
                    opened_at=now,
                )
            opened += 1
        except IntegrityError:
            continue  # opened meanwhile by another run
    closed = 0
    for gap in SearchGap.objects.filter(closed_at=None):
        found = Search.objects.annotate(said=F("term")).filter(
            said=gap.term,
            searched_at__gte=gap.opened_at,
            results__gt=0,
            opened_kind=PAGE_KIND,
        )
        if found.exists():
            closed += SearchGap.objects.filter(pk=gap.pk, closed_at=None).update(closed_at=now)
    return opened, closed


def set_threshold(coach: Person, *, searches: int, searchers: int, days: int) -> Threshold:
    """The coach decides when a term becomes a page to write."""
    require_coach(coach)
    threshold = Threshold.objects.get_or_create(pk=1)[0]
    threshold.searches, threshold.searchers, threshold.days = searches, searchers, days
    threshold.full_clean()
    threshold.save()
    return threshold


def forget_person(person: Person) -> int:
    """An erasure (privacy.actions.erase_person): the days they opened Kring, the
    nudges meant for them, their bit in every day's roll-up go; nudges they sent as
    coach stay, without them. The departments' totals stay, as they name nobody.
    Returns how many records went."""
    days, _kinds = ActiveDay.objects.filter(person=person).delete()
    nudged, _kinds = NudgeRecipient.objects.filter(person=person).delete()
    Nudge.objects.filter(coach=person).update(coach=None)
    bit = 1 << person.pk
    for rollup in DayRollup.objects.select_for_update().iterator():
        changed = False
        for name in ("opened", "reacted", "contributed"):
            value = int.from_bytes(bytes(getattr(rollup, name)), "little")
            if value & bit:
                value &= ~bit
                setattr(rollup, name, value.to_bytes((value.bit_length() + 7) // 8, "little"))
                changed = True
        if changed:
            rollup.save(update_fields=["opened", "reacted", "contributed"])
    return days + nudged


# Nudges ---------------------------------------------------------------------------------

Segment = Nudge.Segment
MAX_HOLDOUT_PERCENT = 50


def send_nudge(
    coach: Person,
    *,
    segment: str,
    inactive_days: int | None = None,
    template: str = "",
    subject: str = "",
    message: str = "",
    holdout_percent: int = 10,
    now: datetime | None = None,
) -> Nudge:
    """Nudge everyone in ``segment`` now, except those nudged in the last 14 days and
    those who ignored their last three nudges: the nudge and a row per person in one
    transaction, a random ``holdout_percent`` of them held out (recorded, sent
    nothing); after commit the worker delivers (``tasks.deliver_nudge``)."""
    require_coach(coach)
    if segment not in Segment.values:
        raise ValidationError(_("Pick a group of people to nudge."))
    if segment == Segment.INACTIVE and not (inactive_days and 1 <= inactive_days <= 365):
        raise ValidationError(_("Say after how many days (1 to 365) someone counts as away."))
    if segment != Segment.INACTIVE:
        inactive_days = None
    if template and template not in WORDINGS:
        raise ValidationError(_("Pick one of the messages."))
    if not template and not (subject.strip() and message.strip()):
        raise ValidationError(_("Write a subject and a message, or pick a ready-made one."))
    if not 0 <= holdout_percent <= MAX_HOLDOUT_PERCENT:
        raise ValidationError(
            _("The holdout is between 0 and %(max)s %%.") % {"max": MAX_HOLDOUT_PERCENT}
        )
    with transaction.atomic():
        # One nudge at a time, so two coaches sending at once cannot both reach someone
        # within 14 days: the one coach-wide lock is the threshold's row.
        Threshold.objects.get_or_create(pk=1)
        Threshold.objects.select_for_update().get(pk=1)
        found = queries.preview(segment, inactive_days=inactive_days, now=now)
        ids = [person.pk for person in found.recipients]
        held = set(random.SystemRandom().sample(ids, round(len(ids) * holdout_percent / 100)))
        nudge = Nudge.objects.create(
            coach=coach,
            segment=segment,
            inactive_days=inactive_days,
            template=template,
            subject="" if template else subject.strip(),
            message="" if template else message.strip(),
            holdout_percent=holdout_percent,
            total=len(ids) - len(held),
            status=Nudge.Status.SENDING if len(ids) > len(held) else Nudge.Status.SENT,
            finished_at=None if len(ids) > len(held) else timezone.now(),
        )
        if now is not None:
            Nudge.objects.filter(pk=nudge.pk).update(created_at=now)
            nudge.created_at = now
        NudgeRecipient.objects.bulk_create(
            [NudgeRecipient(nudge=nudge, person_id=pk, holdout=pk in held) for pk in ids]
        )
        if nudge.total:
            send_after_commit(signals.nudge_sent, Nudge, nudge_id=nudge.pk)
    return nudge


def notify_recipient(recipient_id: int) -> bool:
    """The notification of one recipient's nudge, made once: a second call (a task run
    again, redelivered) finds it sent and makes none. True if made now."""
    with transaction.atomic():
        recipient = (
            NudgeRecipient.objects.select_for_update(of=("self",))
            .select_related("person", "nudge", "nudge__coach")
            .filter(pk=recipient_id, holdout=False, sent_at=None)
            .first()
        )
        if recipient is None:
            return False
        person = recipient.person
        if person.is_active and person.erased_at is None:
            notices.notify(
                NUDGE,
                recipient.nudge.coach or person,
                [person],
                target=recipient.nudge,
                data={"name": str(person)},
                # Its email is the nudge's own (``tasks.deliver_nudge``), sent once by key.
                emailed=True,
            )
        recipient.sent_at = timezone.now()
        recipient.save(update_fields=["sent_at"])
    return True


def mark_emailed(recipient_id: int) -> None:
    NudgeRecipient.objects.filter(pk=recipient_id, emailed_at=None).update(
        emailed_at=timezone.now()
    )


def note_progress(nudge_id: int, *, finished: bool = False) -> None:
    """Count who has been sent to (from the rows, so a task run twice counts right) and,
    at the end, mark the nudge sent; open pages of it hear after commit."""
    with transaction.atomic():
        done = NudgeRecipient.objects.filter(nudge_id=nudge_id, holdout=False).exclude(sent_at=None)
        changes: dict = {"done": done.count()}
        if finished:
            changes |= {"status": Nudge.Status.SENT, "finished_at": timezone.now()}
            Nudge.objects.filter(pk=nudge_id, status=Nudge.Status.SENDING).update(**changes)
        else:
            Nudge.objects.filter(pk=nudge_id).update(**changes)
        send_after_commit(signals.nudge_progressed, Nudge, nudge_id=nudge_id)


def measure_nudges(*, now: datetime | None = None) -> int:
    """Who did what their nudge asked within 14 days of it: ``acted_at`` for those
    sent to and those held out alike, so the two can be compared. Beat runs it hourly;
    a nudge older than 14 days is done with. Returns how many were found acting."""
    now = now or timezone.now()
    found = 0
    recent = Nudge.objects.filter(created_at__gte=now - queries.NUDGE_GAP - timedelta(days=1))
    for nudge in recent:
        until = min(now, nudge.created_at + queries.NUDGE_GAP)
        waiting = NudgeRecipient.objects.filter(nudge=nudge, acted_at=None)
        acted = waiting.filter(_did_what_it_asked(nudge, nudge.created_at, until))
        found += acted.update(acted_at=now)
    return found


def _did_what_it_asked(nudge: Nudge, since: datetime, until: datetime) -> Q:
    """A Q on a nudge's recipient rows: the person did what the nudge asked in the window."""
    person = OuterRef("person_id")
    window = {"created_at__gte": since, "created_at__lte": until}
    segment = nudge.segment
    if segment == Segment.NEVER_POSTED:
        return Q(Exists(Post.objects.filter(author=person, **window))) | Q(
            Exists(Reply.objects.filter(author=person, **window))
        )
    if segment == Segment.NO_PHOTO:
        return ~Q(person__photo="")
    if segment == Segment.INACTIVE:
        return Q(
            Exists(
                ActiveDay.objects.filter(
                    person=person,
                    day__gte=timezone.localdate(since),
                    day__lte=timezone.localdate(until),
                )
            )
        )
    if segment == Segment.NEWCOMERS:
        return Q(
            Exists(
                Membership.objects.filter(person=person, joined_at__gte=since, joined_at__lte=until)
            )
        )
    if segment == Segment.QUIET_GROUP_MANAGERS:
        managed = Membership.objects.managing().filter(person=person).values("group_id")
        return Q(Exists(Post.objects.filter(author=person, group__in=managed, **window)))
    if segment == Segment.PAST_REVIEW_OWNERS:
        managed = Membership.objects.managing().filter(person=person).values("group_id")
        owned = Page.objects.filter(Q(owner_person=person) | Q(owner_group__in=managed))
        touched = Q(checked_at__gte=since, checked_at__lte=until) | Q(
            changed_at__gte=since, changed_at__lte=until
        )
        return Q(Exists(owned.filter(touched)))
    raise ValueError(f"unknown segment {segment!r}")
