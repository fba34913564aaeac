from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from communities.models.people import Person


class GroupQuerySet(models.QuerySet["Group"]):
    def visible_to(self, person: Person | AnonymousUser) -> GroupQuerySet:
        """Groups this person may know exist: open, closed, and secret ones they are in."""
        if not person.is_authenticated:
            return self.none()
        return self.filter(~Q(privacy=Group.Privacy.SECRET) | Q(pk__in=_group_ids_of(person)))

    def readable_by(self, person: Person | AnonymousUser) -> GroupQuerySet:
        """Groups whose feed this person may read: open ones, and any they belong to.

        This is the one visibility rule for content: Post.objects.visible_to is built on it.
        """
        if not person.is_authenticated:
            return self.none()
        return self.filter(Q(privacy=Group.Privacy.OPEN) | Q(pk__in=_group_ids_of(person)))

    def news(self) -> GroupQuerySet:
        return self.filter(is_news=True)

    def managed_by(self, person: Person | AnonymousUser) -> GroupQuerySet:
        """Groups this person manages (owns or manages): the one rule for who moderates."""
        if not person.is_authenticated:
            return self.none()
        return self.filter(
            pk__in=Membership.objects.managing().filter(person=person).values("group_id")
        )


def readable_here(person: Person | AnonymousUser) -> Q:
    """The one rule for what lives in a group or organisation-wide (``group`` NULL):
    knowledge pages, documents, events. Organisation-wide things are seen by every
    active colleague; the rest as their group's feed is (``readable_by``)."""
    if not person.is_authenticated or not person.is_active:
        return Q(pk__in=[])
    return Q(group__isnull=True) | Q(group__in=Group.objects.readable_by(person))


def readers_of(group: Group) -> Q:
    """The same rule seen from the other side: a Q on people who may read ``group``'s feed.

    For finding who may hear about a group's posts; tests prove it agrees
    with readable_by for every kind of group and person.
    """
    if group.privacy == Group.Privacy.OPEN:
        return Q(is_active=True)
    return Q(is_active=True, pk__in=Membership.objects.filter(group=group).values("person_id"))


def managers_of(group: Group) -> Q:
    """A Q on people who manage ``group``: its owners and managers (``Membership.manages``)."""
    return Q(pk__in=Membership.objects.managing().filter(group=group).values("person_id"))


def _group_ids_of(person: Person) -> models.QuerySet[Membership, Any]:
    """A subquery, so the rule stays one SQL statement whatever the number of groups."""
    return Membership.objects.filter(person=person).values("group_id")


class Group(models.Model):
    """A circle of people with a shared feed: a team, a knowledge circle, a recipes circle."""

    class Privacy(models.TextChoices):
        OPEN = "open", _("Open: anyone can read and join")
        CLOSED = "closed", _("Closed: visible, only members read the feed")
        SECRET = "secret", _("Secret: only members know it exists")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    description = models.TextField(_("description"), blank=True)
    privacy = models.CharField(
        _("privacy"), max_length=10, choices=Privacy.choices, default=Privacy.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Organisation news: on everyone's home timeline; only its managers post.
    is_news = models.BooleanField(_("organisation news"), default=False)
    members: models.ManyToManyField[Person, Membership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="member_of"
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("group", args=[self.slug])


class MembershipQuerySet(models.QuerySet["Membership"]):
    def managing(self) -> MembershipQuerySet:
        """Memberships that manage their group: owners and managers."""
        return self.filter(role__in=Membership.MANAGING_ROLES)


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        MEMBER = "member", _("Member")

    #: Who manages a group: approves requests, adds and removes members,
    #: removes posts, pins announcements and, in organisation news, posts.
    MANAGING_ROLES = (Role.OWNER, Role.MANAGER)

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="one_membership_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.group} ({self.role})"

    @property
    def manages(self) -> bool:
        return self.role in self.MANAGING_ROLES


class JoinRequest(models.Model):
    """Someone asks to join a closed group; a manager approves or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(status="pending"),
                name="one_pending_request_per_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} asks to join {self.group} ({self.status})"
