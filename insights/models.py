"""What the coach's figures are made of.

Raw records, written as people use Kring: ``ActiveDay`` (a person opened Kring on
a day: once per person and day) and ``PageUse`` (a page or menu item was opened:
counted per page and day, never per person).

Roll-ups, written by beat (``tasks.roll_up``) for each finished day, so that a
year's figures read 365 small rows rather than a year of posts: ``DayRollup``
holds, for one day, who opened Kring, who reacted and who contributed as bitmaps
of person ids (a period's "active people" is the OR of its days, a scope's share
the AND with the scope's own bitmap), and the day's posts, replies and reactions
per department; ``GroupDay`` holds one group's day. Today is never rolled up: it
is counted from the raw tables on every view, so figures are right for the
partial day too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActiveDay(models.Model):
    """Someone opened Kring on this day (local time): the funnel's "active"."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("active day")
        verbose_name_plural = _("active days")
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="active_once_a_day")]
        indexes = [models.Index(fields=["day", "person"], name="active_day_people")]

    def __str__(self) -> str:
        return f"{self.person_id} on {self.day}"


class PageUse(models.Model):
    """How often a page was opened on a day, by anyone: ``place`` is the page's
    route name, with the page's own key where a route shows one thing
    ("page_detail:12", "group_detail:wondzorg")."""

    day = models.DateField()
    place = models.CharField(max_length=200)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("page use")
        verbose_name_plural = _("page use")
        constraints = [models.UniqueConstraint(fields=["day", "place"], name="page_use_once")]

    def __str__(self) -> str:
        return f"{self.place} on {self.day}: {self.views}"


class DayRollup(models.Model):
    """One finished day's participation: who did what (bitmaps of person ids, bit
    n for person n) and how much per department ({department: [posts, replies,
    reactions]}, "" for people without one)."""

    day = models.DateField(primary_key=True)
    opened = models.BinaryField(default=b"")
    reacted = models.BinaryField(default=b"")
    contributed = models.BinaryField(default=b"")
    totals = models.JSONField(default=dict)
    rolled_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("day's roll-up")
        verbose_name_plural = _("days' roll-ups")

    def __str__(self) -> str:
        return str(self.day)


class GroupDay(models.Model):
    """One group's finished day: posts and replies made in it, the delays (in
    seconds) of first replies given that day, and how many of the day's posts
    had no reply within 48 hours (known two days later: until then None)."""

    group = models.ForeignKey("communities.Group", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    posts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    first_reply_seconds = models.JSONField(default=list)
    unanswered = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("group's day")
        verbose_name_plural = _("groups' days")
        constraints = [models.UniqueConstraint(fields=["group", "day"], name="group_day_once")]
        indexes = [models.Index(fields=["day"], name="group_day_day")]

    def __str__(self) -> str:
        return f"{self.group_id} on {self.day}"


class SearchGap(models.Model):
    """A to-do for the coach: "write a page for …", opened when a term that finds
    nothing passes the threshold, closed when searches for it find and open a page."""

    term = models.CharField(_("term"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"))
    searchers = models.PositiveIntegerField(_("searchers"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("page to write")
        verbose_name_plural = _("pages to write")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["term"], condition=models.Q(closed_at=None), name="one_open_gap_per_term"
            )
        ]

    def __str__(self) -> str:
        return self.term


class Threshold(models.Model):
    """The coach's setting for when a term becomes a page to write (one row)."""

    searches = models.PositiveIntegerField(_("searches"), default=20)
    searchers = models.PositiveIntegerField(_("different people"), default=5)
    days = models.PositiveIntegerField(_("within days"), default=30)

    class Meta:
        verbose_name = _("search gap threshold")
        verbose_name_plural = _("search gap thresholds")

    def __str__(self) -> str:
        return f"{self.searches} by {self.searchers} in {self.days} days"


class Nudge(models.Model):
    """A friendly push a coach sends to a segment: a notification and an email to
    each person in it, except a random holdout (recorded) who get nothing, so the
    effect can be measured against them."""

    class Segment(models.TextChoices):
        NEVER_POSTED = "never_posted", _("Never posted")
        NO_PHOTO = "no_photo", _("No profile photo")
        INACTIVE = "inactive", _("Not active for a while")
        NEWCOMERS = "newcomers", _("Joined in the last 14 days and in no group")
        QUIET_GROUP_MANAGERS = "quiet_managers", _("Managers of quiet groups")
        PAST_REVIEW_OWNERS = "page_owners", _("Owners of pages past their review date")

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices)
    # For "not active for a while": how many days.
    inactive_days = models.PositiveSmallIntegerField(_("days not active"), null=True, blank=True)
    # A template's key (worded in each recipient's language), or "" for the coach's own text.
    template = models.CharField(_("template"), max_length=40, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)
    holdout_percent = models.PositiveSmallIntegerField(_("holdout (%)"), default=10)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    # Progress, for the live bar: how many recipients (holdout excluded) there are
    # and how many have been sent to.
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_segment_display()} ({self.created_at:%Y-%m-%d})"


class NudgeRecipient(models.Model):
    """One person a nudge was meant for: sent to, or kept back as holdout; and
    whether they did what it asked within 14 days (``acted_at``)."""

    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    holdout = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nudge recipient")
        verbose_name_plural = _("nudge recipients")
        constraints = [
            models.UniqueConstraint(fields=["nudge", "person"], name="nudged_once_per_nudge")
        ]
        indexes = [models.Index(fields=["person", "-id"], name="nudge_recipient_recent")]

    def __str__(self) -> str:
        return f"{self.person_id} ({'holdout' if self.holdout else 'sent'})"
