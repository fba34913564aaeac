"""What privacy reads: a person's downloads, and everything that goes into one.

A download holds the person's own data and only what is needed to understand
it. Their posts and replies come in full (also those they deleted, whose rows
Kring keeps), with the files they attached and the earlier versions of their
posts. What they did on others' posts (a reply, a reaction, a read) names the
post by its id, group and address, never its text or author: that is someone
else's writing, which they may no longer be allowed to read (they left the
secret group). Notifications they may still see come with their wording (who did
what, where) but without a quote of what was written; the others by kind and
time alone.

Of knowledge pages, the versions they saved (not a page's text, which many
write) and the pages they look after; of the document library, what they
uploaded, listed with its address (not the files, which may be many and large);
of the agenda, their answers, the events they organise, and whether they have a
calendar address (never its secret, which Kring does not keep).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from accounts import queries as account_queries
from agenda.models import Attendance, CalendarFeed, Event
from communities.models import (
    Attachment,
    Follow,
    Group,
    JoinRequest,
    Membership,
    Person,
    Post,
    PostRead,
    Reaction,
    Reply,
)
from documents.models import Document, DocumentVersion
from incidents import queries as incident_queries
from insights.models import ActiveDay, NudgeRecipient
from knowledge.models import Page, PageVersion
from notices import queries as notice_queries
from notices import registry
from people import queries as people_queries
from privacy.models import DataExport
from search import queries as search_queries

#: A download still "being prepared" after this long was lost (its task never ran,
#: or failed without saying so): the person may ask again.
PREPARING_AT_MOST = timedelta(hours=6)


def current_export(person: Person) -> DataExport | None:
    """What the settings page shows: the download being prepared, else the latest one
    ready and not expired, else one that failed last; None if none of these."""
    latest = DataExport.objects.filter(person=person).order_by("-id").first()
    if latest is None:
        return None
    if latest.status == DataExport.Status.READY and not _downloadable(latest):
        return None
    return latest


def _downloadable(export: DataExport) -> bool:
    return export.expires_at is not None and export.expires_at > timezone.now()


def preparing_export(person: Person) -> DataExport | None:
    """The download being prepared for this person now, if any (not one lost long ago)."""
    return (
        DataExport.objects.filter(
            person=person,
            status=DataExport.Status.PREPARING,
            requested_at__gt=timezone.now() - PREPARING_AT_MOST,
        )
        .order_by("-id")
        .first()
    )


def downloadable_export(person: Person, export_id: int) -> DataExport | None:
    """The download ``export_id`` if it is this person's own, ready and not expired."""
    if not person.is_authenticated:
        return None
    return DataExport.objects.downloadable().filter(pk=export_id, person=person).first()


def expired_exports() -> list[DataExport]:
    """Downloads past their time, and requests lost while being prepared."""
    now = timezone.now()
    return list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now)
        | DataExport.objects.filter(
            status=DataExport.Status.PREPARING, requested_at__lte=now - PREPARING_AT_MOST
        )
        | DataExport.objects.filter(
            status=DataExport.Status.FAILED, requested_at__lte=now - PREPARING_AT_MOST
        )
    )


# What goes into a download -----------------------------------------------------------


@dataclass
class Contents:
    """A download's contents: JSON documents by file name, and the stored files to put
    beside them (their path in the ZIP, the file)."""

    documents: dict[str, Any]
    files: list[tuple[str, FieldFile]] = field(default_factory=list)


def _url(path: str) -> str:
    return settings.SITE_URL + path


def _group(group: Group) -> dict[str, Any]:
    return {"id": group.pk, "name": group.name}


def _where(group: Group | None) -> dict[str, Any] | str:
    """A page's, document's or event's group, or "organisation" for one of everyone."""
    return _group(group) if group is not None else "organisation"


def _about_post(post: Post) -> dict[str, Any]:
    """Someone else's post, as far as one's own reply, reaction or read needs it."""
    return {"id": post.pk, "group": _group(post.group), "address": _url(f"/posts/{post.pk}/")}


def contents_of(person: Person) -> Contents:
    """Everything Kring keeps about ``person``, as the download holds it. Texts that
    Kring writes (notifications) are in the active language."""
    contents = Contents(documents={})
    contents.documents["profile.json"] = _profile(person, contents)
    contents.documents["posts.json"] = _posts(person, contents)
    contents.documents["replies.json"] = [
        {
            "id": reply.pk,
            "post": _about_post(reply.post),
            "text": reply.body,
            "written": reply.created_at,
            "deleted": reply.deleted_at,
        }
        for reply in Reply.objects.filter(author=person)
        .select_related("post__group")
        .order_by("id")
    ]
    contents.documents["reactions.json"] = [
        {"reaction": reaction.kind, "post": _about_post(reaction.post), "at": reaction.created_at}
        for reaction in Reaction.objects.filter(person=person)
        .select_related("post__group")
        .order_by("id")
    ]
    contents.documents["follows.json"] = _follows(person)
    contents.documents["memberships.json"] = [
        {
            "group": _group(membership.group),
            "privacy": membership.group.privacy,
            "role": membership.role,
            "joined": membership.joined_at,
        }
        for membership in Membership.objects.filter(person=person)
        .select_related("group")
        .order_by("joined_at")
    ]
    contents.documents["join_requests.json"] = [
        {
            "group": _group(request.group),
            "status": request.status,
            "asked": request.created_at,
            "decided": request.decided_at,
        }
        for request in JoinRequest.objects.filter(person=person)
        .select_related("group")
        .order_by("created_at")
    ]
    contents.documents["articles_read.json"] = [
        {"post": _about_post(read.post), "read": read.read_at}
        for read in PostRead.objects.filter(person=person)
        .select_related("post__group")
        .order_by("read_at")
    ]
    contents.documents["notifications.json"] = _notifications(person)
    contents.documents["notification_settings.json"] = _notification_settings(person)
    contents.documents["logins.json"] = [
        {
            "browser": seen.login.browser,
            "system": seen.login.system,
            "address": seen.login.address,
            "logged_in": seen.login.started,
            "last_active": seen.login.last_seen,
        }
        for seen in account_queries.logins_of(person, None)
    ]
    # What each token was for and when it was used; never its secret or hash.
    contents.documents["access_tokens.json"] = [
        {
            "name": token.name,
            "scope": token.scope,
            "kind": token.kind,
            "made": token.created_at,
            "last_used": token.last_used_at,
            "expires": token.expires_at,
            "revoked": token.revoked_at,
        }
        for token in account_queries.all_tokens_of(person)
    ]
    contents.documents["sign_ons.json"] = [
        {"provider": sign_on.issuer, "subject": sign_on.subject, "first_signed_on": sign_on.created}
        for sign_on in account_queries.sign_ons_of(person)
    ]
    contents.documents["searches.json"] = [
        {
            "term": search.term,
            "results": search.results,
            "searched": search.searched_at,
            "opened": {"kind": search.opened_kind, "position": search.opened_position}
            if search.opened
            else None,
        }
        for search in search_queries.searches_of(person)
    ]
    contents.documents["knowledge_pages.json"] = _knowledge_pages(person)
    contents.documents["documents.json"] = _documents(person)
    contents.documents["events.json"] = _events(person)
    contents.documents["activity.json"] = _activity(person)
    contents.documents["incidents_followed.json"] = [
        {
            "incident": {
                "number": follow.incident.number,
                "title": follow.incident.title,
                "address": _url(follow.incident.get_absolute_url()),
            },
            "followed": follow.at,
        }
        for follow in incident_queries.follows_of(person)
    ]
    return contents


def _profile(person: Person, contents: Contents) -> dict[str, Any]:
    profile = people_queries.profile_of(person)
    photo = None
    if person.photo:
        photo = "files/profile-photo.jpg"
        contents.files.append((photo, person.photo))
    return {
        "username": person.username,
        "display_name": person.display_name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "job_title": person.job_title,
        "department": person.department,
        "location": person.location,
        "phone": profile.phone if profile else "",
        "about_me": profile.bio if profile else "",
        "ask_me_about": [e.name for e in profile.expertise.all()] if profile else [],
        "photo": photo,
        "community_coach": person.is_coach,
        "administrator": person.is_staff,
        "account_created": person.date_joined,
        "last_login": person.last_login,
        "profile_address": _url(person.get_absolute_url()),
    }


def _posts(person: Person, contents: Contents) -> list[dict[str, Any]]:
    posts = list(
        Post.objects.filter(author=person)
        .select_related("group")
        .prefetch_related("tags", "attachments", "revisions")
        .order_by("id")
    )
    found = []
    for post in posts:
        attachments = []
        for attachment in sorted(post.attachments.all(), key=lambda a: a.pk):
            path = _attachment_path(attachment)
            contents.files.append((path, attachment.file))
            attachments.append(
                {
                    "name": attachment.name,
                    "kind": attachment.kind,
                    "description": attachment.description,
                    "size": attachment.size,
                    "file": path,
                }
            )
        found.append(
            {
                "id": post.pk,
                "address": _url(reverse("post", args=[post.pk])) if not post.deleted_at else None,
                "group": _group(post.group),
                "kind": post.kind,
                "title": post.title,
                "text": post.body,
                "posted": post.created_at,
                "edited": post.edited_at,
                "deleted": post.deleted_at,
                "removed_by_a_manager": bool(post.deleted_at and post.deleted_by_id != person.pk),
                "reason_for_removal": post.removal_reason,
                "tags": sorted(tag.name for tag in post.tags.all()),
                "attachments": attachments,
                "earlier_versions": [
                    {"text": revision.body, "written": revision.written_at}
                    for revision in sorted(post.revisions.all(), key=lambda r: r.pk)
                ],
                "replies": post.reply_count,
            }
        )
    return found


def _attachment_path(attachment: Attachment) -> str:
    name = attachment.name.replace("/", "_").replace("\\", "_") or "file"
    return f"files/posts/{attachment.post_id}/{attachment.pk}-{name}"


def _follows(person: Person) -> dict[str, Any]:
    follows = list(Follow.objects.filter(follower=person).select_related("person", "tag", "group"))
    followers = Follow.objects.filter(person=person, follower__is_active=True).select_related(
        "follower"
    )
    return {
        "people": [
            {"username": f.person.username, "name": str(f.person), "since": f.created_at}
            for f in follows
            if f.person is not None and f.person.is_active
        ],
        "tags": [
            {"tag": f.tag.name, "since": f.created_at, "tell_me_of_new_posts": f.notify_posts}
            for f in follows
            if f.tag is not None
        ],
        "groups": [
            {
                "group": _group(f.group),
                "since": f.created_at,
                "tell_me_of_new_posts": f.notify_posts,
            }
            for f in follows
            if f.group is not None
        ],
        "followers": [
            {"username": f.follower.username, "name": str(f.follower), "since": f.created_at}
            for f in followers
        ],
    }


def _notifications(person: Person) -> list[dict[str, Any]]:
    visible, hidden = notice_queries.everything_of(person)
    shown: list[tuple[datetime, dict[str, Any]]] = [
        (
            notice.at,
            {
                "kind": notice.kind,
                "text": notice.text,
                "address": _url(notice.url),
                "at": notice.at,
                "read": not notice.unread,
            },
        )
        for notice in visible
    ]
    shown += [
        (
            row.at,
            {"kind": row.kind, "text": None, "at": row.at, "read": not row.unread},
        )
        for row in hidden
    ]
    return [entry for _at, entry in sorted(shown, key=lambda pair: pair[0])]


def _notification_settings(person: Person) -> dict[str, Any]:
    prefs = notice_queries.preferences(person)
    return {
        "how_i_hear_of": {
            preference.name: prefs.delivery(preference.name)
            for preference in registry.preferences()
        },
        "digest": prefs.digest_frequency,
        "quiet_from": prefs.quiet_from,
        "quiet_until": prefs.quiet_until,
        "language": prefs.language,
    }


def _about_page(page: Page) -> dict[str, Any]:
    return {
        "id": page.pk,
        "group": _where(page.group),
        "address": _url(page.get_absolute_url()),
    }


def _knowledge_pages(person: Person) -> dict[str, Any]:
    """The versions of knowledge pages they saved (the title they saved, not the
    text: a page is written by many), and the pages they look after."""
    versions = (
        PageVersion.objects.filter(author=person)
        .select_related("page__group")
        .order_by("saved_at", "pk")
    )
    stewarded = (
        Page.objects.filter(Q(owner_person=person) | Q(deputy_person=person))
        .select_related("group")
        .order_by("pk")
    )
    return {
        "versions_saved": [
            {
                "page": _about_page(version.page),
                "title": version.title,
                "version": version.number,
                "saved": version.saved_at,
                "note": version.note,
            }
            for version in versions
        ],
        "pages_looked_after": [
            {
                "page": _about_page(page),
                "title": page.title,
                "as": "owner" if page.owner_person_id == person.pk else "deputy",
                "review_every_months": page.review_months,
                "checked": page.checked_at,
            }
            for page in stewarded
        ],
    }


def _document_version(version: DocumentVersion) -> dict[str, Any]:
    return {
        "version": version.number,
        "file_name": version.name,
        "size": version.size,
        "uploaded": version.uploaded_at,
        "download": _url(version.get_absolute_url()),
    }


def _documents(person: Person) -> dict[str, Any]:
    """The documents they added and the file versions they uploaded, listed with
    where to download each (the files themselves are not in the download: a library
    may hold many large ones, and they are the organisation's as well)."""
    added = Document.objects.filter(uploaded_by=person).select_related("group").order_by("pk")
    uploaded = (
        DocumentVersion.objects.filter(uploaded_by=person)
        .select_related("document__group")
        .order_by("uploaded_at", "pk")
    )
    return {
        "documents_added": [
            {
                "id": document.pk,
                "title": document.title,
                "library": _where(document.group),
                "added": document.created_at,
                "address": _url(document.get_absolute_url()),
            }
            for document in added
        ],
        "versions_uploaded": [
            {
                "document": {
                    "id": version.document_id,
                    "title": version.document.title,
                    "library": _where(version.document.group),
                },
                **_document_version(version),
            }
            for version in uploaded
        ],
    }


def _events(person: Person) -> dict[str, Any]:
    """Their answers to events, the events they organise, and whether they have a
    calendar address (its secret is never kept, so never given)."""
    answers = (
        Attendance.objects.filter(person=person)
        .select_related("event__group")
        .order_by("event__start", "pk")
    )
    organised = Event.objects.filter(organiser=person).select_related("group").order_by("start")
    feed = CalendarFeed.objects.filter(person=person).first()
    return {
        "answers": [
            {
                "event": {
                    "id": answer.event_id,
                    "title": answer.event.title,
                    "group": _where(answer.event.group),
                    "address": _url(answer.event.get_absolute_url()),
                },
                "starts": answer.event.start,
                "answer": answer.status,
                "answered": answer.queued_at,
            }
            for answer in answers
        ],
        "organised": [
            {
                "id": event.pk,
                "title": event.title,
                "group": _where(event.group),
                "starts": event.start,
                "ends": event.end,
                "place": event.place,
                "cancelled": event.cancelled_at,
                "address": _url(event.get_absolute_url()),
            }
            for event in organised
        ],
        "calendar_link": {"made": feed.created_at} if feed is not None else None,
    }


def _activity(person: Person) -> dict[str, Any]:
    """What the community coach's figures know of them: the days they opened Kring,
    and the nudges meant for them (sent, or held back to measure the others)."""
    return {
        "days_active": [
            day.isoformat()
            for day in ActiveDay.objects.filter(person=person)
            .order_by("day")
            .values_list("day", flat=True)
        ],
        "nudges": [
            {
                "about": recipient.nudge.get_segment_display(),
                "sent": recipient.sent_at,
                "held_back_to_compare": recipient.holdout,
                "did_what_it_asked": recipient.acted_at,
            }
            for recipient in NudgeRecipient.objects.filter(person=person)
            .select_related("nudge")
            .order_by("id")
        ],
    }
