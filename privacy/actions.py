"""The one write path of privacy: asking for one's data, preparing and expiring a
download, and erasing a person."""

from __future__ import annotations

import logging
import tempfile
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import actions as account_actions
from agenda import actions as agenda_actions
from audit import actions as audit_actions
from audit.models import Verb
from communities import actions as core_actions
from communities.models import Person
from communities.signals import send_after_commit
from documents import actions as document_actions
from incidents import actions as incident_actions
from insights import actions as insights_actions
from knowledge import actions as knowledge_actions
from notices import actions as notice_actions
from notices import queries as notice_queries
from people import actions as people_actions
from privacy import archive, queries, signals
from privacy.models import DataExport, export_storage
from privacy.notice_kinds import EXPORT_READY
from search import actions as search_actions

logger = logging.getLogger(__name__)


# Downloads --------------------------------------------------------------------------


def request_export(person: Person) -> DataExport:
    """Someone asks for all their data. One request at a time: while one is being
    prepared, a second is refused (ValidationError). The worker prepares it
    (``tasks.prepare_export``) once this commits; a download asked for before goes."""
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if queries.preparing_export(person) is not None:
            raise ValidationError(
                _("Your data is being prepared already. Kring tells you when it is ready.")
            )
        earlier = list(DataExport.objects.filter(person=person))
        _delete_exports(earlier)
        try:
            with transaction.atomic():
                export = DataExport.objects.create(person=person)
        except IntegrityError:
            raise ValidationError(
                _("Your data is being prepared already. Kring tells you when it is ready.")
            ) from None
        send_after_commit(signals.export_requested, DataExport, export_id=export.pk)
    return export


def prepare_export(export_id: int) -> DataExport | None:
    """Make the ZIP file of a requested download and tell its owner it is ready (the
    worker runs this). Running it again for the same request does nothing more: a
    download ready (or withdrawn) is left alone. None if there was nothing to do."""
    export = (
        DataExport.objects.filter(pk=export_id, status=DataExport.Status.PREPARING)
        .select_related("person")
        .first()
    )
    if export is None:
        return None
    person = export.person
    storage = export_storage()
    with tempfile.TemporaryFile() as out:
        with translation.override(notice_queries.preferences(person).email_language()):
            archive.write_archive(person, out)
        out.seek(0)
        name = storage.save(f"{person.pk}/{uuid.uuid4().hex}.zip", File(out))
    with transaction.atomic():
        locked = (
            DataExport.objects.select_for_update()
            .filter(pk=export_id, status=DataExport.Status.PREPARING)
            .first()
        )
        if locked is None:  # made by another run meanwhile, or the request is gone
            storage.delete(name)
            return None
        now = timezone.now()
        locked.status = DataExport.Status.READY
        locked.file.name = name
        locked.size = storage.size(name)
        locked.ready_at = now
        locked.expires_at = now + timedelta(days=settings.DATA_EXPORT_DAYS)
        locked.save()
        notice_actions.notify(EXPORT_READY, person, [person], target=locked)
    return locked


def export_failed(export_id: int) -> None:
    """Preparing failed for good: the person may ask again (the settings page says so)."""
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.PREPARING).update(
        status=DataExport.Status.FAILED
    )


def delete_expired_exports() -> int:
    """Downloads past ``DATA_EXPORT_DAYS`` go, files and all (beat, hourly)."""
    expired = queries.expired_exports()
    with transaction.atomic():
        _delete_exports(expired)
    return len(expired)


def _delete_exports(exports: list[DataExport]) -> None:
    names = [export.file.name for export in exports if export.file]
    DataExport.objects.filter(pk__in=[export.pk for export in exports]).delete()
    transaction.on_commit(lambda: _delete_files(names))


def _delete_files(names: list[str]) -> None:
    storage = export_storage()
    for name in names:
        storage.delete(name)


# Erasure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    """What an erasure did, without anything that names the person erased: for the
    administrator's message, and for the audit trail."""

    person_id: int
    by_id: int
    keep_contributions: bool
    forgotten: core_actions.Forgotten
    notifications: int
    downloads: int
    sessions: int
    tokens: int = 0
    searches: int = 0
    answers: int = 0
    calendar_links: int = 0
    pages_handed_over: int = 0
    documents_removed: int = 0
    document_versions_removed: int = 0
    insights_records: int = 0

    def summary(self) -> dict[str, Any]:
        forgotten = self.forgotten
        return {
            "person_id": self.person_id,
            "keep_contributions": self.keep_contributions,
            "posts_kept": forgotten.posts_kept,
            "posts_removed": forgotten.posts_removed,
            "replies_kept": forgotten.replies_kept,
            "replies_removed": forgotten.replies_removed,
            "files": forgotten.files,
            "notifications": self.notifications,
            "access_tokens": self.tokens,
            "searches": self.searches,
            "groups_handed_over": [h.group.pk for h in forgotten.handovers],
            "event_answers": self.answers,
            "calendar_links": self.calendar_links,
            "pages_handed_over": self.pages_handed_over,
            "documents_removed": self.documents_removed,
            "document_versions_removed": self.document_versions_removed,
            "insights_records": self.insights_records,
        }


def erase_person(admin: Person, person: Person, keep_contributions: bool = True) -> Erasure:
    """An administrator erases someone, on their request (GDPR): all of it in one
    transaction, or nothing.

    Their account and profile go (the Person row stays as an anonymous tombstone, so
    the posts and replies they leave keep an author: "Former colleague"), with their
    notifications (received, and those about what they did), reactions, follows,
    memberships, requests to join, sessions, access tokens, downloads and expertise. Groups they
    are the last owner of are handed over (``communities.queries.handovers_of``).
    ``keep_contributions``: their posts and replies stay readable in their threads;
    else they are removed, as a deletion removes them. Their photo and files are
    deleted from disk once this commits.

    The knowledge pages they own pass to their deputies, as when an account is
    closed; the versions they saved stay, by "Former colleague", and mentions of
    them on pages become plain text. Their answers to events go (a place they held
    goes to the first person waiting), and so does their calendar address; events
    they organise stay. The documents they uploaded stay in the library, unless
    ``keep_contributions`` is False: then those they added go, and the versions
    they uploaded of others' documents, files and all.
    """
    if not admin.is_active or not admin.has_perm("communities.delete_person"):
        raise PermissionDenied(_("Only an administrator erases people."))
    if admin.pk == person.pk:
        raise PermissionDenied(_("You cannot erase your own account."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.is_erased:
            raise ValidationError(_("This person was erased already."))
        # Before the account is made a tombstone (which would end them unseen), so
        # the erasure counts them.
        sessions = account_actions.end_all_logins(person)
        tokens = account_actions.delete_tokens_of(person)
        # Their account at the provider names them no more (a sign-on makes someone new).
        account_actions.forget_sign_ons(person)
        downloads = list(DataExport.objects.filter(person=person))
        _delete_exports(downloads)
        # Before their notifications go: a page handed over may tell them too (as
        # manager of its group), and that notice must go with the rest.
        pages = knowledge_actions.hand_over_pages_of(person.pk, admin.pk)
        notifications = notice_actions.forget_person(person)
        # After: whoever moves up from a waiting list keeps the notice that says so.
        answers, calendar_links = agenda_actions.forget_person(person)
        documents = versions = 0
        if not keep_contributions:
            documents, versions = document_actions.remove_uploads_of(person)
        searches = search_actions.forget_searches(person)
        insights_records = insights_actions.forget_person(person)
        incident_actions.forget_person(person)  # the major incidents they followed
        people_actions.forget_profile(person)
        forgotten = core_actions.forget_person(
            person, keep_contributions=keep_contributions, by=admin
        )
        # Once their username is gone, so that a mention of it names nobody.
        knowledge_actions.unmention(person)
        erasure = Erasure(
            person_id=person.pk,
            by_id=admin.pk,
            keep_contributions=keep_contributions,
            forgotten=forgotten,
            notifications=notifications,
            downloads=len(downloads),
            sessions=sessions,
            tokens=tokens,
            searches=searches,
            answers=answers,
            calendar_links=calendar_links,
            pages_handed_over=len(pages),
            documents_removed=documents,
            document_versions_removed=versions,
            insights_records=insights_records,
        )
        # The trail keeps that it happened, by whom, and what went: ids and counts, and
        # then no name of the person erased (``forget_person`` anonymises their entries).
        audit_actions.record(Verb.PERSON_ERASED, actor=admin, target=person, **erasure.summary())
        audit_actions.forget_person(person)
    logger.info("person %s erased by %s", person.pk, admin.pk)
    return erasure
