from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities import parsing
from communities.models.groups import Group
from communities.models.tags import Tag

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from communities.models.attachments import Attachment
    from communities.models.conversation import Reply
    from communities.models.people import Person
    from communities.queries import ReactionKind


class PostQuerySet(models.QuerySet["Post"]):
    def visible_to(self, person: Person | AnonymousUser) -> PostQuerySet:
        """The one rule for who may see a post: pages, fragments, sockets and search all use it.

        A deleted post is seen by nobody (its row stays, for moderation)."""
        return self.filter(group__in=Group.objects.readable_by(person), deleted_at__isnull=True)

    def for_feed(self) -> PostQuerySet:
        """What a rendered post needs, in a fixed number of queries whatever the number of posts."""
        return self.select_related("author", "group").order_by("-id")

    def with_tag(self, tag: Tag) -> PostQuerySet:
        return self.filter(pk__in=Post.tags.through.objects.filter(tag=tag).values("post_id"))


class Post(models.Model):
    """A post in a group's feed: a short update, an article or an announcement.

    Newer posts have higher ids; feeds page by id.
    """

    class Kind(models.TextChoices):
        UPDATE = "update", _("Short update")
        ARTICLE = "article", _("Article")
        ANNOUNCEMENT = "announcement", _("Announcement")
        # Published by the agenda for a new event in the group: a card linking to it.
        EVENT = "event", _("Event")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.UPDATE)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(
        _("message"),
        max_length=settings.POST_MAX_LENGTH,
        # A TextField's max_length only shapes forms; the validator holds for every writer.
        validators=[MaxLengthValidator(settings.POST_MAX_LENGTH)],
    )
    # Rendered once when saved (escaped text, #tags and @mentions as links),
    # so a feed never parses and every viewer gets the same HTML.
    body_html = models.TextField(editable=False, default="")
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mentioned_in", blank=True
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # An announcement pinned to the top of its group, until unpinned or expired.
    pinned_at = models.DateTimeField(_("pinned"), null=True, blank=True)
    pin_expires_at = models.DateTimeField(_("pinned until"), null=True, blank=True)
    # Kept by the reply actions, so a feed shows counts without counting.
    reply_count = models.PositiveIntegerField(default=0)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)
    # When a reply, reaction, edit or removal last changed the post: a page whose
    # socket reconnects fetches the posts changed while it was away.
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # A card another app made (an event's): what it shows beside the text, worded in
    # each reader's language when shown (``communities.cards``).
    card = models.JSONField(null=True, blank=True, editable=False)
    # Sent by the compose form, so a double click or a retried request makes one post.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    # Set on the posts of a feed by communities.queries.with_activity.
    attachment_list: list[Attachment]
    latest_replies: list[Reply]
    reaction_kinds: list[ReactionKind]
    reaction_total: int

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["group", "-id"], name="post_group_feed"),
            # The digest's posts of the last day or week: a range of this index,
            # not a read through every post there is.
            models.Index(fields=["created_at"], name="post_created"),
            # The coach's news: the few articles and announcements of a period,
            # not a read through every update posted in it.
            models.Index(
                fields=["created_at"],
                condition=models.Q(kind__in=["article", "announcement"]),
                name="post_news_created",
            ),
            # Few posts are ever pinned; a page finds its pinned announcement
            # here instead of reading through the group's whole feed.
            models.Index(
                fields=["group"], condition=models.Q(pinned_at__isnull=False), name="post_pinned"
            ),
            # The catch-up asks for the few posts changed in the last minutes.
            models.Index(
                fields=["changed_at"],
                condition=models.Q(changed_at__isnull=False),
                name="post_changed",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="one_post_per_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    @property
    def dom_id(self) -> str:
        return f"post-{self.pk}"

    @property
    def excerpt(self) -> str:
        """A short plain-text quote (no Markdown, mentions as names), for emails."""
        return parsing.excerpt(self.body_html)


class PostRevision(models.Model):
    """What a post said before an edit; its group's managers can read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField(help_text="When this text was written.")
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.post_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class PostRead(models.Model):
    """Someone read an article or announcement: counted once per person."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "person"], name="read_once")]
        # The coach's roll-up asks which posts were read since its last run (insights).
        indexes = [models.Index(fields=["read_at"], name="read_at")]

    def __str__(self) -> str:
        return f"{self.person_id} read {self.post_id}"


class PostAnnouncement(models.Model):
    """A post's publication was announced: pushed to open feeds, its notifications
    made. The row is written in the same transaction as the notifications, so a task
    delivered again (a worker died, Redis redelivered) finds it and announces nothing
    twice."""

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="announcement"
    )
    announced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("published post")
        verbose_name_plural = _("published posts")

    def __str__(self) -> str:
        return f"{self.post_id} announced {self.announced_at:%Y-%m-%d %H:%M}"
