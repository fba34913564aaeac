"""The one write path of knowledge pages: create, edit, restore, check, hand over.

Every save makes a new ``PageVersion``; nothing rewrites one. An edit names the
version it started from (``base``): the page's version number is claimed with a
conditional UPDATE, so of two people who edit the same version only the first
saves; the second gets ``EditConflict`` with the version saved meanwhile, and
keeps their own text to save on top of it.

Who may do what (``Page.objects.editable_by``): a page in a group is created and
edited by the group's members; an organisation-wide page by any active person.
Marking a page "still correct" is editing too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from communities import parsing
from communities.models import Group, Membership, Person, Tag, managers_of
from communities.signals import send_after_commit
from knowledge import queries, signals
from knowledge.models import Page, PageReminder, PageVersion
from notices import actions as notices

PAGE_HANDED_OVER = "page_handed_over"
PAGE_CHANGED = "page_changed"
PAGE_REVIEW_DUE = "page_review_due"

#: Reminders of a review date: this many days before it, and then every
#: ``REVIEW_REPEAT_DAYS`` once it is past.
REVIEW_REMINDER_DAYS = {PageReminder.Kind.DAYS_28: 28, PageReminder.Kind.DAYS_14: 14}
REVIEW_REPEAT_DAYS = 7


class EditConflict(Exception):  # noqa: N818 (it is what the editor meets)
    """Someone saved the page after the version this edit started from."""

    def __init__(self, page: Page, base: int) -> None:
        super().__init__(f"page {page.pk}: edited from version {base}, now {page.version}")
        self.page = page
        self.base = base


@dataclass(frozen=True)
class Steward:
    """An owner or a deputy: a person or a group (or nobody)."""

    person: Person | None = None
    group: Group | None = None


def _text(body: str) -> tuple[str, list[str]]:
    found = parsing.find_tags_and_mentions(body)
    mentioned = {p.username: p for p in Person.objects.filter(username__in=found.usernames)}
    return parsing.render_body(body, mentioned), found.tags


def _tags(names: list[str]) -> list[Tag]:
    names = [n for n in (parsing.clean_tag(name) for name in names) if n]
    if not names:
        return []
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=names))


def _clean(title: str, body: str) -> tuple[str, str]:
    # A browser sends a textarea's lines ended with CR LF: kept as LF, so versions
    # written in a form and elsewhere compare line by line.
    title, body = title.strip(), body.replace("\r\n", "\n").strip()
    errors = {}
    if not title:
        errors["title"] = _("A page needs a title.")
    if not body:
        errors["body"] = _("Write something on the page.")
    if errors:
        raise ValidationError(errors)
    return title, body


def _check_parent(editor: Person, parent: Page | None, group: Group | None, page: Page | None):
    if parent is None:
        return
    if not Page.objects.visible_to(editor).filter(pk=parent.pk).exists():
        raise ValidationError({"parent": _("That page does not exist.")})
    if parent.group_id is not None and parent.group_id != (group.pk if group else None):
        raise ValidationError(
            {
                "parent": _(
                    "A page can only be part of a page in its own group "
                    "or of an organisation-wide page."
                )
            }
        )
    if page is not None:
        seen: set[int] = set()
        current: Page | None = parent
        while current is not None and current.pk not in seen:
            if current.pk == page.pk:
                raise ValidationError({"parent": _("A page cannot be part of itself.")})
            seen.add(current.pk)
            current = current.parent


def _check_steward(steward: Steward | None, field: str) -> None:
    if steward is None:
        return
    if steward.person is not None and steward.group is not None:
        raise ValidationError({field: _("Choose a person or a group, not both.")})
    if steward.person is not None and not steward.person.is_active:
        raise ValidationError({field: _("That person's account is closed.")})


def _save_version(page: Page, author: Person, tags: list[Tag], note: str = "") -> PageVersion:
    return PageVersion.objects.create(
        page=page,
        number=page.version,
        title=page.title,
        body=page.body,
        tags=" ".join(sorted(t.name for t in tags)),
        author=author,
        saved_at=page.changed_at,
        note=note,
    )


def create_page(
    author: Person,
    *,
    title: str,
    body: str,
    group: Group | None = None,
    parent: Page | None = None,
    owner: Steward | None = None,
    deputy: Steward | None = None,
    review_months: int = Page.Review.YEAR,
) -> Page:
    """A new page (version 1). Its owner is its author unless another is named."""
    if not queries.may_create_in(author, group):
        raise PermissionDenied(_("Join the group to write pages in it."))
    title, body = _clean(title, body)
    _check_parent(author, parent, group, None)
    owner = owner or Steward(person=author)
    _check_steward(owner, "owner")
    _check_steward(deputy, "deputy")
    deputy = deputy or Steward()
    with transaction.atomic():
        html, tag_names = _text(body)
        now = timezone.now()
        page = Page(
            group=group,
            parent=parent,
            title=title,
            body=body,
            body_html=html,
            created_by=author,
            created_at=now,
            changed_by=author,
            changed_at=now,
            owner_person=owner.person,
            owner_group=owner.group,
            deputy_person=deputy.person,
            deputy_group=deputy.group,
            review_months=review_months,
        )
        page.full_clean(exclude=["created_by", "changed_by"], validate_constraints=False)
        page.save()
        tags = _tags(tag_names)
        page.tags.set(tags)
        _save_version(page, author, tags)
    return page


def edit_page(
    editor: Person,
    page: Page,
    *,
    base: int,
    title: str,
    body: str,
    parent: Page | None = None,
    owner: Steward | None = None,
    deputy: Steward | None = None,
    review_months: int | None = None,
    note: str = "",
) -> Page:
    """Save a new version of ``page`` made from version ``base``. Raises
    ``EditConflict`` if another version was saved since; nothing is written then."""
    if not queries.may_edit(editor, page):
        raise PermissionDenied(_("You cannot edit this page."))
    title, body = _clean(title, body)
    _check_parent(editor, parent, page.group, page)
    _check_steward(owner, "owner")
    _check_steward(deputy, "deputy")
    with transaction.atomic():
        # The conditional UPDATE claims the next number: in PostgreSQL the row stays
        # locked until commit, so a concurrent edit of the same base finds no row.
        claimed = Page.objects.filter(pk=page.pk, version=base).update(version=F("version") + 1)
        if not claimed:
            current = Page.objects.get(pk=page.pk)
            raise EditConflict(current, base)
        page = Page.objects.select_for_update().get(pk=page.pk)
        html, tag_names = _text(body)
        previous_owner = page.owner_person_id
        page.title, page.body, page.body_html = title, body, html
        page.parent = parent
        page.changed_by, page.changed_at = editor, timezone.now()
        if owner is not None:
            page.owner_person, page.owner_group = owner.person, owner.group
        if deputy is not None:
            page.deputy_person, page.deputy_group = deputy.person, deputy.group
        if review_months is not None:
            page.review_months = review_months
        page.full_clean(exclude=["created_by", "changed_by"], validate_constraints=False)
        page.save()
        tags = _tags(tag_names)
        page.tags.set(tags)
        _save_version(page, editor, tags, note)
        _announce_save(page, editor, previous_owner)
    return page


def restore_version(editor: Person, page: Page, number: int) -> Page:
    """Save the text of version ``number`` as a new version, "restored version 3"."""
    old = queries.version(page, number)
    if old is None:
        raise ValidationError(_("That version does not exist."))
    return edit_page(
        editor,
        page,
        base=Page.objects.values_list("version", flat=True).get(pk=page.pk),
        title=old.title,
        body=old.body,
        parent=page.parent,
        note=_("restored version %(number)s") % {"number": number},
    )


def mark_still_correct(person: Person, page: Page) -> Page:
    """ "Still correct": the page was checked now, by this person; the review date moves
    on (and its reminders start afresh for the new date). Who may edit the page may
    say so, and who looks after it (who is reminded)."""
    if not queries.may_check(person, page):
        raise PermissionDenied(_("You cannot edit this page."))
    now = timezone.now()
    Page.objects.filter(pk=page.pk).update(checked_at=now, checked_by=person)
    page.checked_at, page.checked_by = now, person
    return page


def _announce_save(page: Page, editor: Person, previous_owner: int | None) -> None:
    send_after_commit(signals.page_saved, Page, page=page, editor=editor)
    transaction.on_commit(lambda: _tell_owner_of_change(page, editor))


def _readers(page: Page, people: Any) -> list[Person]:
    return [p for p in people if Page.objects.visible_to(p).filter(pk=page.pk).exists()]


def _owners_people(page: Page) -> list[Person]:
    """Who hears for the owner: the owner, or the managers of the owning group."""
    if page.owner_person_id is not None:
        return [page.owner_person] if page.owner_person else []
    if page.owner_group_id is not None and page.owner_group is not None:
        return list(Person.objects.filter(managers_of(page.owner_group), is_active=True))
    return []


def _tell_owner_of_change(page: Page, editor: Person) -> None:
    page = Page.objects.select_related("owner_person", "owner_group").get(pk=page.pk)
    recipients = _readers(page, [p for p in _owners_people(page) if p.pk != editor.pk])
    if recipients:
        notices.notify(PAGE_CHANGED, editor, recipients, target=page)


# Handing over -----------------------------------------------------------------------


def hand_over_pages_of(person_id: int, actor_id: int | None = None) -> list[Page]:
    """Someone's account was closed: each page they own passes to its deputy (who is
    deputy no more), and who looks after it is told: the managers of the page's group,
    and the new owner (for an organisation-wide page, also the administrators, if the
    page has no deputy). Pages where they were deputy lose their deputy."""
    handed: list[Page] = []
    actor = Person.objects.filter(pk=actor_id).first() if actor_id else None
    with transaction.atomic():
        Page.objects.filter(deputy_person_id=person_id).update(deputy_person=None)
        pages = list(
            Page.objects.select_for_update(of=("self",))
            .filter(owner_person_id=person_id)
            .select_related("group", "deputy_person", "deputy_group")
        )
        for page in pages:
            page.owner_person, page.owner_group = page.deputy_person, page.deputy_group
            page.deputy_person = page.deputy_group = None
            page.save(
                update_fields=["owner_person", "owner_group", "deputy_person", "deputy_group"]
            )
            handed.append(page)
    gone = Person.objects.get(pk=person_id)
    for page in handed:
        _tell_of_handover(page, actor or gone)
    return handed


def _tell_of_handover(page: Page, actor: Person) -> None:
    recipients: dict[int, Person] = {}
    if page.group is not None:
        for manager in Person.objects.filter(managers_of(page.group), is_active=True):
            recipients[manager.pk] = manager
    for person in _owners_people(page):
        recipients[person.pk] = person
    if not recipients:
        # Nobody looks after it now: the administrators hear.
        for admin in Person.objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True):
            recipients[admin.pk] = admin
    wanted = _readers(page, recipients.values())
    if wanted:
        notices.notify(PAGE_HANDED_OVER, actor, wanted, target=page)


# Reminders of the review date ---------------------------------------------------------


@dataclass(frozen=True)
class DueReminder:
    page: Page
    person: Person
    kind: str
    repeat: int = 0


def _reminder_kind(review_by: date, today: date) -> str | None:
    days_left = (review_by - today).days
    if days_left < 0:
        return PageReminder.Kind.PAST
    for kind, days in sorted(REVIEW_REMINDER_DAYS.items(), key=lambda item: item[1]):
        if days_left <= days:
            return kind
    return None


def due_review_reminders(now: datetime) -> list[DueReminder]:
    """The reminders to send now: to who looks after each page whose review date is
    within 28 days or past, those not sent yet for that date (after it, one a week).
    Three queries, whatever the number of pages."""
    today = timezone.localdate(now)
    horizon = today + timedelta(days=max(REVIEW_REMINDER_DAYS.values()) + 1)
    pages = list(
        Page.objects.review_by_before(horizon)
        .filter(Q(owner_person__is_active=True) | Q(owner_group__isnull=False))
        .select_related("owner_person", "owner_group")
    )
    if not pages:
        return []
    managers: dict[int, list[Person]] = defaultdict(list)
    for membership in (
        Membership.objects.managing()
        .filter(group_id__in={p.owner_group_id for p in pages if p.owner_group_id})
        .filter(person__is_active=True)
        .select_related("person")
        .order_by("person_id")
    ):
        managers[membership.group_id].append(membership.person)
    sent: dict[tuple[int, int, str, date], list[datetime]] = defaultdict(list)
    for page_id, person_id, sent_kind, review_by, sent_at in PageReminder.objects.filter(
        page__in=Page.objects.review_by_before(horizon)
    ).values_list("page_id", "person_id", "kind", "for_review_by", "sent_at"):
        sent[(page_id, person_id, sent_kind, review_by)].append(sent_at)
    due: list[DueReminder] = []
    for page in sorted(pages, key=lambda p: p.pk):
        kind = _reminder_kind(page.review_by, today)
        if kind is None:
            continue
        if page.owner_person is not None:
            people = [page.owner_person]
        else:
            people = managers[page.owner_group_id] if page.owner_group_id else []
        for person in people:
            before = sent[(page.pk, person.pk, kind, page.review_by)]
            if kind != PageReminder.Kind.PAST and before:
                continue
            if before and max(before) > now - timedelta(days=REVIEW_REPEAT_DAYS):
                continue
            due.append(DueReminder(page, person, kind, repeat=len(before)))
    return due


def send_review_reminders(now: datetime | None = None) -> int:
    """Remind who looks after each page of its review date: 28 and 14 days before, and
    each week once it is past. Each reminder once, however often this runs (or runs
    twice at once): its ``PageReminder`` row is written with the notification, and a
    second run finds it (or, running alongside, is refused by its unique constraint).
    Returns how many were sent."""
    now = now or timezone.now()
    due = due_review_reminders(now)
    by_person: dict[int, list[DueReminder]] = defaultdict(list)
    for reminder in due:
        by_person[reminder.person.pk].append(reminder)
    sent = 0
    for reminders in by_person.values():
        # Only of pages they may see (a query per person reminded, not per page).
        person = reminders[0].person
        visible = set(
            Page.objects.visible_to(person)
            .filter(pk__in=[r.page.pk for r in reminders])
            .values_list("pk", flat=True)
        )
        for reminder in reminders:
            if reminder.page.pk in visible and _send_review_reminder(reminder, now):
                sent += 1
    return sent


def _send_review_reminder(reminder: DueReminder, now: datetime) -> bool:
    page, person = reminder.page, reminder.person
    try:
        with transaction.atomic():
            PageReminder.objects.create(
                page=page,
                person=person,
                kind=reminder.kind,
                for_review_by=page.review_by,
                repeat=reminder.repeat,
                sent_at=now,
            )
            notices.notify(
                PAGE_REVIEW_DUE,
                person,
                [person],
                target=page,
                data={"review_by": page.review_by.isoformat(), "reminder": reminder.kind},
            )
    except IntegrityError:
        return False  # sent already, by a run alongside this one
    return True


# Forgetting -------------------------------------------------------------------------


def unmention(person: Person) -> int:
    """Mentions of an erased person on pages showed their name and linked to their
    profile: rendered again, they are the plain text that was typed (as the core does
    for posts). Call once their username is gone, so it no longer names anyone; saved
    page by page, so search indexes the new text. Returns how many pages changed."""
    marker = f'data-person-id="{person.pk}"'
    changed = 0
    for page in Page.objects.filter(body_html__contains=marker):
        page.body_html = _text(page.body)[0]
        page.save(update_fields=["body_html"])
        changed += 1
    return changed
