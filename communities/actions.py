"""The one write path. Views, the admin, commands and tasks change state only here.

Each action checks permission, writes inside a transaction, and announces what
happened with ``signals.send_after_commit``: nothing is announced for a write
that rolled back, and a receiver that fails (a push, a notification) is logged
and never undoes what was saved nor stops the others; pages catch up when they
reconnect.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit import actions as audit
from audit.models import Verb
from communities import parsing, queries, signals, tasks
from communities.models import (
    DESCRIPTION_MAX,
    Attachment,
    Follow,
    Group,
    JoinRequest,
    Membership,
    Person,
    Post,
    PostRead,
    PostRevision,
    Reaction,
    Reply,
    Tag,
)
from communities.queries import Handover, handovers_of
from communities.signals import Change, send_after_commit
from communities.uploads import PreparedFile, PreparedProfilePhoto

Role = Membership.Role


# People ---------------------------------------------------------------------


def add_person(
    username: str,
    *,
    display_name: str,
    email: str = "",
    password: str | None = None,
    is_integration: bool = False,
    **profile: str,
) -> Person:
    """An administrator adds someone who works at the organisation (there is no
    sign-up), or an integration's account (``is_integration``). ``password`` is a
    hash (``make_password``) or None for none yet; ``profile`` holds job title,
    department and location."""
    first, _space, last = display_name.partition(" ")
    person = Person(
        username=username,
        display_name=display_name,
        first_name=first,
        last_name=last,
        email=email,
        is_integration=is_integration,
        **profile,
    )
    if password is None:
        person.set_unusable_password()
    else:
        person.password = password
    person.full_clean()
    person.save()
    return person


def make_coach(person: Person, *, by: Person | None, coach: bool = True) -> None:
    """A community coach sees participation: how many read an article, for instance.
    ``by`` is the administrator who decides (None: the system, e.g. a command)."""
    _require_administrator(by)
    with transaction.atomic():
        if Person.objects.filter(pk=person.pk).exclude(is_coach=coach).update(is_coach=coach):
            audit.record(
                Verb.COACH_GRANTED if coach else Verb.COACH_REMOVED, actor=by, target=person
            )
    person.is_coach = coach


def make_administrator(person: Person, *, by: Person | None = None) -> None:
    """IT's account: the admin site and every permission in it."""
    _require_administrator(by)
    with transaction.atomic():
        before = _account_flags(Person.objects.select_for_update().get(pk=person.pk))
        Person.objects.filter(pk=person.pk).update(is_staff=True, is_superuser=True)
        person.is_staff = person.is_superuser = True
        _record_account_changes(by, person, before)


def deactivate_person(actor: Person, person: Person) -> Person:
    """An administrator closes someone's account (they left): they can no longer log
    in. Saved with ``save()``, so what listens to a person's save hears it."""
    return _set_active(actor, person, active=False)


def reactivate_person(actor: Person, person: Person) -> Person:
    """An administrator opens a closed account again."""
    return _set_active(actor, person, active=True)


def _set_active(actor: Person, person: Person, *, active: bool) -> Person:
    _require_administrator(actor)
    if not active and actor.pk == person.pk:
        raise PermissionDenied(_("You cannot deactivate your own account."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.is_active != active:
            before = _account_flags(person)
            person.is_active = active
            person.save(update_fields=["is_active"])
            _record_account_changes(actor, person, before)
            if not active:
                send_after_commit(
                    signals.person_deactivated, Person, person_id=person.pk, actor_id=actor.pk
                )
    return person


def save_account(actor: Person, person: Person) -> Person:
    """An administrator saves someone's account as the admin's form changed it; changes
    to who may log in, use the admin site, do anything or coach go into the audit trail."""
    _require_administrator(actor)
    with transaction.atomic():
        stored = (
            Person.objects.select_for_update().filter(pk=person.pk).first() if person.pk else None
        )
        before = _account_flags(stored if stored is not None else Person())
        person.save()
        _record_account_changes(actor, person, before)
    return person


# Each account flag an administrator changes, and how the trail names it given and taken.
_ACCOUNT_FLAGS = {
    "is_active": (Verb.PERSON_REACTIVATED, Verb.PERSON_DEACTIVATED),
    "is_staff": (Verb.STAFF_GRANTED, Verb.STAFF_REMOVED),
    "is_superuser": (Verb.SUPERUSER_GRANTED, Verb.SUPERUSER_REMOVED),
    "is_coach": (Verb.COACH_GRANTED, Verb.COACH_REMOVED),
}


def _account_flags(person: Person) -> dict[str, bool]:
    return {flag: bool(getattr(person, flag)) for flag in _ACCOUNT_FLAGS}


def _record_account_changes(actor: Person | None, person: Person, before: dict[str, bool]) -> None:
    for flag, now in _account_flags(person).items():
        if now != before[flag]:
            given, taken = _ACCOUNT_FLAGS[flag]
            audit.record(given if now else taken, actor=actor, target=person)


def _require_administrator(person: Person | None) -> None:
    """Changing accounts is for administrators (None: the system itself, a command)."""
    if person is not None and not person.has_perm("communities.change_person"):
        raise PermissionDenied(_("Only administrators change accounts."))


def update_person_details(
    person: Person, *, job_title: str, department: str, location: str
) -> Person:
    """Someone changes what they do and where: the details on their profile and in
    the directory. Surrounding spaces go; the fields' limits hold (ValidationError)."""
    person.job_title = job_title.strip()
    person.department = department.strip()
    person.location = location.strip()
    person.full_clean(exclude=["password", "photo", "photo_thumbnail"])
    Person.objects.filter(pk=person.pk).update(
        job_title=person.job_title, department=person.department, location=person.location
    )
    send_after_commit(signals.person_changed, Person, person_id=person.pk)
    return person


def set_person_photo(person: Person, photo: PreparedProfilePhoto) -> Person:
    """Someone's new profile photo (prepared by ``uploads.prepare_profile_photo``).
    A new file name each time: it is the version in the photo's address. The old
    files go once the new ones are saved."""
    old = [f.name for f in (person.photo, person.photo_thumbnail) if f]
    stem = f"{person.pk}-{uuid.uuid4().hex[:12]}"
    with transaction.atomic():
        person.photo.save(f"{stem}.jpg", ContentFile(photo.photo), save=False)
        person.photo_thumbnail.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False)
        Person.objects.filter(pk=person.pk).update(
            photo=person.photo.name, photo_thumbnail=person.photo_thumbnail.name
        )
        transaction.on_commit(lambda: _delete_files(old))
        send_after_commit(signals.person_changed, Person, person_id=person.pk)
    return person


def remove_person_photo(person: Person) -> Person:
    """Someone takes their photo off: initials show instead."""
    old = [f.name for f in (person.photo, person.photo_thumbnail) if f]
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(photo="", photo_thumbnail="")
        person.photo = ""
        person.photo_thumbnail = ""
        transaction.on_commit(lambda: _delete_files(old))
        send_after_commit(signals.person_changed, Person, person_id=person.pk)
    return person


def _delete_files(names: list[str]) -> None:
    storage = Person._meta.get_field("photo").storage
    for name in names:
        storage.delete(name)


# Groups ---------------------------------------------------------------------


def create_group(
    creator: Person,
    *,
    name: str,
    description: str = "",
    privacy: str = Group.Privacy.OPEN,
    is_news: bool = False,
) -> Group:
    """Create a group with its creator as owner."""
    with transaction.atomic():
        group = Group.objects.create(
            name=name,
            slug=_unique_slug(name),
            description=description,
            privacy=privacy,
            is_news=is_news,
            created_by=creator,
        )
        Membership.objects.create(group=group, person=creator, role=Role.OWNER)
    return group


def save_group(actor: Person, group: Group) -> Group:
    """An administrator saves a group as the admin's form changed it; a change of
    privacy (who may see and read it) goes into the audit trail."""
    _require_administrator(actor)
    with transaction.atomic():
        stored = Group.objects.select_for_update().filter(pk=group.pk).first() if group.pk else None
        group.save()
        if stored is not None and stored.privacy != group.privacy:
            audit.record(
                Verb.GROUP_PRIVACY_CHANGED,
                actor=actor,
                group=group,
                old=stored.privacy,
                new=group.privacy,
            )
    return group


def administer_membership(actor: Person, membership: Membership, *, delete: bool = False) -> None:
    """An administrator adds, changes or removes a membership in the admin, past the
    rules that bind managers (the admin is the way out when a group lost its owners).
    Recorded as a manager's act would be, and open pages follow."""
    _require_administrator(actor)
    with transaction.atomic():
        stored = (
            Membership.objects.select_for_update().filter(pk=membership.pk).first()
            if membership.pk
            else None
        )
        person, group = membership.person, membership.group
        if delete:
            if stored is None:
                return
            membership.delete()
            audit.record(
                Verb.MEMBER_REMOVED, actor=actor, target=person, group=group, role=stored.role
            )
        else:
            membership.save()
            if stored is None:
                audit.record(Verb.MEMBER_ADDED, actor=actor, target=person, group=group)
            elif stored.role != membership.role:
                audit.record(
                    Verb.ROLE_CHANGED,
                    actor=actor,
                    target=person,
                    group=group,
                    old=stored.role,
                    new=membership.role,
                )
        _announce_access_change(person, group)


def join_group(person: Person, group: Group) -> Membership:
    """Join an open group. Closed groups take requests; secret ones, invitations."""
    if group.privacy != Group.Privacy.OPEN:
        raise PermissionDenied(_("Only open groups can be joined directly."))
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(group=group, person=person)
        if created:
            _announce_access_change(person, group)
    return membership


def leave_group(person: Person, group: Group) -> None:
    """Leave a group. The last owner hands the group over first."""
    with transaction.atomic():
        membership = _lock_membership(person, group)
        if membership is None:
            return
        if membership.role == Role.OWNER and _is_last_owner_among_others(membership):
            raise PermissionDenied(
                _("You are the last owner: make someone else owner before you leave.")
            )
        membership.delete()
        _announce_access_change(person, group)


def request_to_join(person: Person, group: Group) -> JoinRequest:
    """Ask to join a closed group; its managers decide."""
    if group.privacy != Group.Privacy.CLOSED:
        raise PermissionDenied(_("Only closed groups take requests to join."))
    if Membership.objects.filter(group=group, person=person).exists():
        raise ValidationError(_("You are already a member."))
    request, created = JoinRequest.objects.get_or_create(
        group=group, person=person, status=JoinRequest.Status.PENDING
    )
    if created:
        send_after_commit(signals.join_requested, JoinRequest, request=request)
    return request


def decide_join_request(manager: Person, request: JoinRequest, *, approve: bool) -> JoinRequest:
    """Approve (the person becomes a member) or decline a pending request."""
    _require_manager(manager, request.group)
    with transaction.atomic():
        request = JoinRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != JoinRequest.Status.PENDING:
            return request
        request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
        request.decided_by = manager
        request.decided_at = timezone.now()
        request.save()
        if approve:
            Membership.objects.get_or_create(group=request.group, person=request.person)
            _announce_access_change(request.person, request.group)
        audit.record(
            Verb.JOIN_APPROVED if approve else Verb.JOIN_DECLINED,
            actor=manager,
            target=request.person,
            group=request.group,
            request=request.pk,
        )
        send_after_commit(signals.join_decided, JoinRequest, request=request)
    return request


def add_member(manager: Person, group: Group, person: Person) -> Membership:
    """A manager brings someone in: the only way into a secret group."""
    _require_manager(manager, group)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(group=group, person=person)
        JoinRequest.objects.filter(
            group=group, person=person, status=JoinRequest.Status.PENDING
        ).update(status=JoinRequest.Status.APPROVED, decided_by=manager, decided_at=timezone.now())
        if created:
            _announce_access_change(person, group)
            audit.record(Verb.MEMBER_ADDED, actor=manager, target=person, group=group)
            send_after_commit(
                signals.member_added, Membership, manager=manager, person=person, group=group
            )
    return membership


def remove_member(manager: Person, group: Group, person: Person) -> None:
    """A manager removes someone; owners can only be removed by owners."""
    acting = _require_manager(manager, group)
    with transaction.atomic():
        membership = _lock_membership(person, group)
        if membership is None:
            return
        if membership.role == Role.OWNER and acting.role != Role.OWNER:
            raise PermissionDenied(_("Only an owner can remove an owner."))
        if membership.role == Role.OWNER and _is_last_owner_among_others(membership):
            raise PermissionDenied(_("A group keeps at least one owner."))
        membership.delete()
        _announce_access_change(person, group)
        audit.record(
            Verb.MEMBER_REMOVED, actor=manager, target=person, group=group, role=membership.role
        )


def change_role(manager: Person, group: Group, person: Person, role: str) -> Membership:
    """Make someone owner, manager or member. Only owners hand out or take away ownership."""
    acting = _require_manager(manager, group)
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    with transaction.atomic():
        membership = _lock_membership(person, group)
        if membership is None:
            raise ValidationError(_("%(name)s is not a member.") % {"name": person})
        if Role.OWNER in (role, membership.role) and acting.role != Role.OWNER:
            raise PermissionDenied(_("Only an owner can change who owns the group."))
        other_owners = Membership.objects.filter(group=group, role=Role.OWNER).exclude(
            pk=membership.pk
        )
        if membership.role == Role.OWNER and role != Role.OWNER and not other_owners.exists():
            raise PermissionDenied(_("A group keeps at least one owner."))
        if membership.role == role:
            return membership
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            Verb.ROLE_CHANGED, actor=manager, target=person, group=group, old=before, new=role
        )
    return membership


# Posts ----------------------------------------------------------------------


def post_to_group(
    author: Person,
    group: Group,
    body: str,
    *,
    files: Sequence[PreparedFile] = (),
    kind: str = Post.Kind.UPDATE,
    title: str = "",
    idempotency_key: uuid.UUID | None = None,
    created_at: datetime | None = None,
    card: dict[str, Any] | None = None,
) -> Post:
    """Publish a post in a group the author belongs to, and announce it once committed.

    Tags and mentions are parsed and the body rendered here, once. In
    organisation news only its managers (the editors) post. ``created_at``
    keeps the original time of posts imported from elsewhere (the demo uses it).
    The same ``idempotency_key`` from the same author gives back the post made
    the first time: a double click or a retried request posts once.
    """
    if idempotency_key is not None:
        earlier = Post.objects.filter(author=author, idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    body = body.strip()
    if not body and not files:
        raise ValidationError(_("Write something before posting."))
    if len(files) > settings.ATTACHMENTS_PER_POST:
        raise ValidationError(
            _("At most %(count)s files per post.") % {"count": settings.ATTACHMENTS_PER_POST}
        )
    membership = Membership.objects.filter(group=group, person=author).first()
    if membership is None:
        raise PermissionDenied(_("Join the group to post in it."))
    if group.is_news and not membership.manages:
        raise PermissionDenied(_("Only editors post in organisation news."))
    if kind == Post.Kind.ANNOUNCEMENT and not membership.manages:
        raise PermissionDenied(_("Only the group's managers make announcements."))
    title = title.strip()
    if kind == Post.Kind.ARTICLE and not title:
        raise ValidationError({"title": _("An article needs a title.")})
    with transaction.atomic():
        text = _read_text(body)
        post = Post(
            group=group,
            author=author,
            kind=kind,
            title=title if kind != Post.Kind.UPDATE else "",
            body=body,
            body_html=text.html,
            idempotency_key=idempotency_key,
            card=card,
        )
        if created_at is not None:
            post.created_at = created_at
        # Group and author are the objects checked above: no query to ask they exist.
        post.full_clean(exclude=["group", "author"], validate_constraints=False)
        if idempotency_key is None:
            post.save()
        else:
            try:
                with transaction.atomic():
                    post.save()
            except IntegrityError:
                # The same submission, saved a moment ago by a request racing this one.
                return Post.objects.get(author=author, idempotency_key=idempotency_key)
        # A new post has no tags or mentions yet: their rows are written straight
        # away (``set`` would first ask which it has).
        if text.tags:
            Post.tags.through.objects.bulk_create(
                Post.tags.through(post=post, tag=tag) for tag in _tags(text.tags)
            )
        if text.mentioned:
            Post.mentions.through.objects.bulk_create(
                Post.mentions.through(post=post, person=person) for person in text.mentioned
            )
        queries.as_just_written(post, _attach(post, files))
        tasks.announce_after_commit(post)
    return post


def _attach(post: Post, files: Sequence[PreparedFile]) -> list[Attachment]:
    """Store the files and their rows (returned); if anything fails, remove the files
    written."""
    written: list[Attachment] = []
    try:
        for prepared in files:
            attachment = Attachment(
                post=post,
                kind=prepared.kind,
                name=prepared.name,
                content_type=prepared.content_type,
                size=len(prepared.content),
                width=prepared.width,
                height=prepared.height,
            )
            written.append(attachment)
            attachment.file.save(prepared.name, ContentFile(prepared.content), save=False)
            if prepared.thumbnail:
                attachment.thumbnail.save(
                    "thumb-" + prepared.name, ContentFile(prepared.thumbnail), save=False
                )
            attachment.save()
    except Exception:
        for attachment in written:
            attachment.file.delete(save=False)
            attachment.thumbnail.delete(save=False)
        raise
    return written


def edit_post(author: Person, post: Post, body: str, card: dict[str, Any] | None = None) -> Post:
    """The author changes their post; the earlier text is kept for the group's managers.

    Tags and mentions are parsed again and the post is marked "edited" everywhere.
    ``card``: what a card shows beside its text now (an event moved or cancelled).
    """
    if post.author_id != author.pk:
        raise PermissionDenied(_("Only the author can edit a post."))
    body = body.strip()
    if not body and not post.attachments.exists():
        raise ValidationError(_("Write something before posting."))
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk, deleted_at=None)
        if body == post.body and (card is None or card == post.card):
            return post
        PostRevision.objects.create(
            post=post,
            body=post.body,
            body_html=post.body_html,
            written_at=post.edited_at or post.created_at,
        )
        text = _read_text(body)
        post.body = body
        post.body_html = text.html
        post.edited_at = timezone.now()
        if card is not None:
            post.card = card
        post.full_clean()
        post.save(update_fields=["body", "body_html", "edited_at", "card"])
        post.tags.set(_tags(text.tags) if text.tags else [])
        post.mentions.set(text.mentioned)
        _announce_change(post, Change.POST_EDITED)
    return post


def describe_photo(author: Person, attachment: Attachment, description: str) -> Attachment:
    """The author writes what a photo on their post shows (its alt text), for
    colleagues who use a screen reader; open pages show it at once."""
    post = attachment.post
    if post.author_id != author.pk:
        raise PermissionDenied(_("Only the author can describe the photos of a post."))
    if attachment.kind != Attachment.Kind.PHOTO:
        raise ValidationError(_("Only photos get a description."))
    description = " ".join(description.split())
    if not description:
        raise ValidationError(_("Write what the photo shows."))
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(
            _("A description is at most %(limit)d characters; this one has %(count)d.")
            % {"limit": DESCRIPTION_MAX, "count": len(description)}
        )
    with transaction.atomic():
        attachment.description = description
        attachment.save(update_fields=["description"])
        _announce_change(post, Change.POST_EDITED)
    return attachment


def pin_announcement(manager: Person, post: Post, *, until: datetime | None = None) -> Post:
    """Pin an announcement to the top of its group, instead of the one pinned before.
    Open pages show the new pin at once; pages that were away, when they catch up."""
    _require_manager(manager, post.group)
    if post.kind != Post.Kind.ANNOUNCEMENT:
        raise ValidationError(_("Only announcements are pinned."))
    with transaction.atomic():
        before = list(
            Post.objects.filter(group=post.group).exclude(pinned_at=None).exclude(pk=post.pk)
        )
        Post.objects.filter(pk__in=[p.pk for p in before]).update(
            pinned_at=None, pin_expires_at=None, changed_at=timezone.now()
        )
        post.pinned_at = timezone.now()
        post.pin_expires_at = until
        post.save(update_fields=["pinned_at", "pin_expires_at"])
        _announce_change(post, Change.PIN_CHANGED)
        _record_moderation(
            Verb.ANNOUNCEMENT_PINNED,
            manager,
            post,
            until=until.isoformat() if until is not None else None,
            unpinned=[p.pk for p in before],
        )
    return post


def unpin_announcement(manager: Person, post: Post) -> None:
    _require_manager(manager, post.group)
    with transaction.atomic():
        if (
            Post.objects.filter(pk=post.pk)
            .exclude(pinned_at=None)
            .update(pinned_at=None, pin_expires_at=None)
        ):
            _announce_change(post, Change.PIN_CHANGED)
            _record_moderation(Verb.ANNOUNCEMENT_UNPINNED, manager, post)


def record_reads(person: Person, posts: Sequence[Post]) -> None:
    """Count a reader of articles or announcements they opened or saw pinned, once per person."""
    read = [p for p in posts if p.kind != Post.Kind.UPDATE and p.author_id != person.pk]
    if read:
        PostRead.objects.bulk_create(
            [PostRead(post=p, person=person) for p in read], ignore_conflicts=True
        )


def delete_post(person: Person, post: Post, *, reason: str = "") -> None:
    """The author deletes their post, or a manager of its group removes it, with a reason.

    The row stays (for moderation); the post disappears from every open page.
    """
    if post.author_id != person.pk:
        _require_manager(person, post.group)
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.deleted_at:
            return
        post.deleted_at = timezone.now()
        post.deleted_by = person
        post.removal_reason = reason.strip()[:300]
        post.save(update_fields=["deleted_at", "deleted_by", "removal_reason"])
        _announce_change(post, Change.POST_REMOVED)
        if post.author_id != person.pk:
            _record_moderation(Verb.POST_REMOVED, person, post, reason=post.removal_reason)


# Conversation -----------------------------------------------------------------


def reply_to_post(author: Person, post: Post, body: str) -> Reply:
    """Answer a post one can read. Goes through here so notifications can follow."""
    _require_reader(author, post)
    body = body.strip()
    if not body:
        raise ValidationError(_("Write something before replying."))
    with transaction.atomic():
        text = _read_text(body)
        reply = Reply(post=post, author=author, body=body, body_html=text.html)
        reply.full_clean()
        reply.save()
        Post.objects.filter(pk=post.pk).update(reply_count=F("reply_count") + 1)
        _announce_change(
            post, Change.REPLY_ADDED, reply=reply, mentioned=[p.pk for p in text.mentioned]
        )
    return reply


def delete_reply(person: Person, reply: Reply) -> None:
    """The author deletes their reply, or a manager of the group removes it."""
    post = reply.post
    if reply.author_id != person.pk:
        _require_manager(person, post.group)
    with transaction.atomic():
        deleted = Reply.objects.filter(pk=reply.pk, deleted_at=None).update(
            deleted_at=timezone.now()
        )
        if deleted:
            Post.objects.filter(pk=post.pk).update(reply_count=F("reply_count") - 1)
            _announce_change(post, Change.REPLY_REMOVED, reply=reply)
            if reply.author_id != person.pk:
                _record_moderation(
                    Verb.REPLY_REMOVED, person, post, target=reply.author, reply=reply.pk
                )


def toggle_reaction(person: Person, post: Post, kind: str) -> bool:
    """Add this kind of reaction, or take it back; True if it is there now."""
    _require_reader(person, post)
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Unknown reaction."))
    with transaction.atomic():
        deleted, _rows = Reaction.objects.filter(post=post, person=person, kind=kind).delete()
        if not deleted:
            Reaction.objects.get_or_create(post=post, person=person, kind=kind)
        _announce_change(post, Change.REACTIONS_CHANGED, person=person, added=not deleted)
    return not deleted


# Following ------------------------------------------------------------------


def follow_person(follower: Person, person: Person) -> Follow:
    if follower.pk == person.pk:
        raise ValidationError(_("You cannot follow yourself."))
    follow, created = Follow.objects.get_or_create(follower=follower, person=person)
    if created:
        send_after_commit(signals.person_followed, Follow, follower=follower, person=person)
        _announce_connections_change(follower, person)
    _announce_follows_change(follower)
    return follow


def follow_tag(follower: Person, name: str) -> Follow:
    tag = _tags([name])[0]
    follow = Follow.objects.get_or_create(follower=follower, tag=tag)[0]
    _announce_follows_change(follower)
    return follow


def follow_group(follower: Person, group: Group) -> Follow:
    """Follow a group's posts on the home timeline; an open group needs no membership."""
    if not Group.objects.readable_by(follower).filter(pk=group.pk).exists():
        raise PermissionDenied(_("Only members follow a closed or secret group."))
    follow = Follow.objects.get_or_create(follower=follower, group=group)[0]
    _announce_follows_change(follower)
    return follow


def unfollow(
    follower: Person,
    *,
    person: Person | None = None,
    tag: Tag | None = None,
    group: Group | None = None,
) -> None:
    deleted, _by_model = Follow.objects.filter(
        follower=follower, person=person, tag=tag, group=group
    ).delete()
    if deleted and person is not None:
        _announce_connections_change(follower, person)
    _announce_follows_change(follower)


def tell_of_new_posts(
    follower: Person, *, group: Group | None = None, tag_name: str = "", on: bool = True
) -> Follow | None:
    """Be told of every new post in a group or with a #tag (following it too), or stop.

    Stopping keeps the follow; unfollowing stops both.
    """
    if (group is None) == (not tag_name):
        raise ValidationError(_("Choose a group or a tag."))
    if not on:
        follows = Follow.objects.filter(follower=follower)
        if group is not None:
            follows = follows.filter(group=group)
        else:
            follows = follows.filter(tag__name=parsing.clean_tag(tag_name) or "")
        follows.update(notify_posts=False)
        return None
    follow = follow_group(follower, group) if group is not None else follow_tag(follower, tag_name)
    if not follow.notify_posts:
        follow.notify_posts = True
        follow.save(update_fields=["notify_posts"])
    return follow


# Erasure ----------------------------------------------------------------------


@dataclass
class Forgotten:
    """What the core forgot of an erased person: counts only, nothing that names them."""

    posts_kept: int = 0
    posts_removed: int = 0
    replies_kept: int = 0
    replies_removed: int = 0
    reactions: int = 0
    follows: int = 0
    memberships: int = 0
    join_requests: int = 0
    files: int = 0
    handovers: list[Handover] = field(default_factory=list)


def forget_person(person: Person, *, keep_contributions: bool, by: Person) -> Forgotten:
    """The core's part of erasing someone (``privacy.actions.erase_person`` calls it
    inside its transaction, with the other apps' parts).

    The Person row stays, as an anonymous tombstone (inactive, no usable password, no
    name, address or details, a random username), because posts and replies must keep
    an author: pages show it as "Former colleague", without a link. Their reactions,
    follows (both ways), memberships, requests to join, reads, photo and the files of
    their posts go; the groups they were last owner of are handed over first
    (``queries.handovers_of``). With ``keep_contributions`` their posts and replies
    stay readable in their threads; without, they are removed as a deletion removes
    them (open pages told), their text blanked. Either way the text of posts and
    replies they had deleted themselves, and the earlier versions of their posts, go.
    Mentions of them in others' posts become plain text. Files are deleted once
    this commits."""
    forgotten = Forgotten()
    now = timezone.now()
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        forgotten.handovers = _hand_over(person)
        files = [f.name for f in (person.photo, person.photo_thumbnail) if f]
        attachments = Attachment.objects.filter(post__author=person)
        for attachment in attachments:
            files += [f.name for f in (attachment.file, attachment.thumbnail) if f]
        with_files = set(attachments.values_list("post_id", flat=True))
        attachments.delete()
        forgotten.files = len(files)

        reacted = set(Reaction.objects.filter(person=person).values_list("post_id", flat=True))
        forgotten.reactions = Reaction.objects.filter(person=person).delete()[0]
        for post in Post.objects.filter(pk__in=reacted, deleted_at=None).select_related("group"):
            _announce_change(post, Change.REACTIONS_CHANGED, person=person, added=False)

        followed = set(
            Follow.objects.filter(follower=person)
            .exclude(person=None)
            .values_list("person_id", flat=True)
        )
        followers = set(Follow.objects.filter(person=person).values_list("follower_id", flat=True))
        forgotten.follows = Follow.objects.filter(Q(follower=person) | Q(person=person)).delete()[0]
        for follower_id in followers:
            send_after_commit(signals.follows_changed, Follow, person_id=follower_id)
        if followed | followers:
            send_after_commit(
                signals.connections_changed, Follow, person_ids=sorted(followed | followers)
            )

        group_ids = list(
            Membership.objects.filter(person=person).values_list("group_id", flat=True)
        )
        forgotten.memberships = Membership.objects.filter(person=person).delete()[0]
        for group_id in group_ids:
            send_after_commit(
                signals.access_changed, Membership, person_id=person.pk, group_id=group_id
            )
        forgotten.join_requests = JoinRequest.objects.filter(person=person).delete()[0]
        JoinRequest.objects.filter(decided_by=person).update(decided_by=None)
        Group.objects.filter(created_by=person).update(created_by=None)
        Post.objects.filter(deleted_by=person).update(deleted_by=None)
        PostRead.objects.filter(person=person).delete()

        PostRevision.objects.filter(post__author=person).delete()
        Post.objects.filter(author=person).exclude(deleted_at=None).update(
            body="", body_html="", title=""
        )
        Reply.objects.filter(author=person).exclude(deleted_at=None).update(body="", body_html="")
        Post.objects.filter(author=person).update(idempotency_key=None)
        if keep_contributions:
            _keep_contributions(person, with_files, forgotten)
        else:
            _remove_contributions(person, by, now, forgotten)

        Person.objects.filter(pk=person.pk).update(
            username=f"erased-{uuid.uuid4().hex}",
            display_name="",
            first_name="",
            last_name="",
            email="",
            job_title="",
            department="",
            location="",
            photo="",
            photo_thumbnail="",
            is_active=False,
            is_staff=False,
            is_superuser=False,
            is_coach=False,
            password=make_password(None),
            last_login=None,
            date_joined=now,
            erased_at=now,
        )
        send_after_commit(signals.person_changed, Person, person_id=person.pk)
        person.groups.clear()
        person.user_permissions.clear()
        _unmention(person)
        transaction.on_commit(lambda: _delete_files(files))
    return forgotten


def _hand_over(person: Person) -> list[Handover]:
    handovers = handovers_of(person)
    for handover in handovers:
        if handover.to is not None:
            Membership.objects.filter(group=handover.group, person=handover.to).update(
                role=Role.OWNER
            )
    return handovers


def _keep_contributions(person: Person, with_files: set[int], forgotten: Forgotten) -> None:
    """Their posts and replies stay; open pages drop the photos and files of theirs."""
    kept = Post.objects.filter(author=person, deleted_at=None)
    forgotten.posts_kept = kept.count()
    forgotten.replies_kept = Reply.objects.filter(author=person, deleted_at=None).count()
    for post in kept.filter(pk__in=with_files).select_related("group"):
        _announce_change(post, Change.POST_EDITED)


def _remove_contributions(person: Person, by: Person, now: datetime, forgotten: Forgotten) -> None:
    """Their posts and replies go from every page, open ones told, as a deletion does;
    the rows stay (so a page that reconnects learns of the removal), without their text."""
    posts = list(Post.objects.filter(author=person, deleted_at=None).select_related("group"))
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(
        deleted_at=now,
        deleted_by=by,
        removal_reason="",
        body="",
        body_html="",
        title="",
        pinned_at=None,
        pin_expires_at=None,
    )
    Post.tags.through.objects.filter(post__author=person).delete()
    Post.mentions.through.objects.filter(post__author=person).delete()
    for post in posts:
        _announce_change(post, Change.POST_REMOVED)
    forgotten.posts_removed = len(posts)

    replies = list(
        Reply.objects.filter(author=person, deleted_at=None).select_related("post__group")
    )
    Reply.objects.filter(pk__in=[r.pk for r in replies]).update(
        deleted_at=now, body="", body_html=""
    )
    for post_id, count in Counter(r.post_id for r in replies).items():
        Post.objects.filter(pk=post_id).update(reply_count=F("reply_count") - count)
    removed = {p.pk for p in posts}
    for reply in replies:
        if reply.post_id not in removed and reply.post.deleted_at is None:
            _announce_change(reply.post, Change.REPLY_REMOVED, reply=reply)
    forgotten.replies_removed = len(replies)


def _unmention(person: Person) -> None:
    """Mentions of an erased person in others' posts and replies showed their name and
    linked to their profile: rendered again, they are the plain text that was typed.
    Call once their username is gone, so it no longer names anyone."""
    marker = f'data-person-id="{person.pk}"'
    posts = Post.objects.filter(Q(mentions=person) | Q(body_html__contains=marker)).distinct()
    Post.mentions.through.objects.filter(person=person).delete()
    for post in posts.select_related("group"):
        Post.objects.filter(pk=post.pk).update(body_html=_read_text(post.body).html)
        if post.deleted_at is None:
            _announce_change(post, Change.POST_EDITED)
    for reply in Reply.objects.filter(body_html__contains=marker).select_related("post__group"):
        Reply.objects.filter(pk=reply.pk).update(body_html=_read_text(reply.body).html)
        send_after_commit(signals.reply_rewritten, Reply, reply=reply)
    for revision in PostRevision.objects.filter(body_html__contains=marker):
        PostRevision.objects.filter(pk=revision.pk).update(body_html=_read_text(revision.body).html)


# Helpers --------------------------------------------------------------------


def _tags(names: list[str]) -> list[Tag]:
    names = [n for n in (parsing.clean_tag(name) for name in names) if n]
    if not names:
        raise ValidationError(_("That is not a tag."))
    Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=names))


def _require_reader(person: Person, post: Post) -> None:
    if not Post.objects.visible_to(person).filter(pk=post.pk).exists():
        raise PermissionDenied(_("You cannot see this post."))


@dataclass(frozen=True)
class _Text:
    html: str
    tags: list[str]
    mentioned: list[Person]


def _read_text(body: str) -> _Text:
    """The one reading of a post's or reply's text: its #tags, the people it
    @mentions (those who exist), and its HTML with both as links."""
    found = parsing.find_tags_and_mentions(body)
    mentioned = {p.username: p for p in Person.objects.filter(username__in=found.usernames)}
    return _Text(parsing.render_body(body, mentioned), found.tags, list(mentioned.values()))


def _announce_change(
    post: Post, change: Change, reply: Reply | None = None, **details: Any
) -> None:
    """Mark the post changed (for pages that catch up later) and tell open pages once
    the change has committed."""
    Post.objects.filter(pk=post.pk).update(changed_at=timezone.now())
    send_after_commit(signals.post_changed, Post, post=post, change=change, reply=reply, **details)


def _record_moderation(
    verb: Verb, manager: Person, post: Post, target: Person | None = None, **detail: Any
) -> None:
    """A manager's act on a post (or its reply, whose author is ``target``), on the record."""
    audit.record(
        verb,
        actor=manager,
        target=target or post.author,
        group=post.group,
        post=post.pk,
        **detail,
    )


def _require_manager(person: Person, group: Group) -> Membership:
    membership = Membership.objects.filter(group=group, person=person).first()
    if membership is None or not membership.manages:
        raise PermissionDenied(_("Only the group's managers can do this."))
    return membership


def _lock_membership(person: Person, group: Group) -> Membership | None:
    return Membership.objects.select_for_update().filter(group=group, person=person).first()


def _is_last_owner_among_others(membership: Membership) -> bool:
    others = Membership.objects.filter(group=membership.group).exclude(pk=membership.pk)
    return others.exists() and not others.filter(role=Role.OWNER).exists()


def _announce_access_change(person: Person, group: Group) -> None:
    """Open sockets of this person re-check what they may read after this commits."""
    send_after_commit(signals.access_changed, Membership, person_id=person.pk, group_id=group.pk)


def _announce_follows_change(follower: Person) -> None:
    """The follower's open home timelines listen to their new sources after this commits."""
    send_after_commit(signals.follows_changed, Follow, person_id=follower.pk)


def _announce_connections_change(follower: Person, person: Person) -> None:
    """Both profiles' follower and following counts change, on every open page of them."""
    send_after_commit(signals.connections_changed, Follow, person_ids=[person.pk, follower.pk])


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "group"
    slug, n = base, 1
    while Group.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
