"""The search index and the search log.

One ``Entry`` per thing that can be found (a post, a reply, a person, a group,
and whatever later apps register), whatever its kind: one index to query, one
place where the visibility rule is applied. Its text is kept here as plain text;
PostgreSQL keeps a stored ``tsvector`` column beside it (with a GIN index) and
SQLite an FTS5 table kept in step by triggers, both made by the migration,
not by Django's fields.

Who may find an entry is decided when searching, never stored as a list of
people: an entry says only whose it is (``audience``) and in which group, and
the query asks the core's rule (``Group.objects.readable_by`` /
``visible_to``) about the person searching, as the pages do. So a person
leaving a group or a group turning secret changes what they find at once,
with nothing to re-index.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    #: Every signed-in colleague (people).
    EVERYONE = "everyone", _("everyone")
    #: Who may read the group's feed (its posts and replies).
    READERS = "readers", _("readers of the group")
    #: Who may know the group exists (the group itself).
    KNOWERS = "knowers", _("who may know the group")

    @classmethod
    def of_group_or_organisation(cls, group_id: int | None) -> Audience:
        """Who finds a thing that lives in a group or organisation-wide (a page, a
        document, an event): the index's side of ``communities.models.readable_here``."""
        return cls.EVERYONE if group_id is None else cls.READERS


class Entry(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The title's and body's words through the Dutch and English stemmers, for
    # SQLite's FTS5 (which has no Dutch stemmer); PostgreSQL stems for itself.
    title_stems = models.TextField(blank=True)
    body_stems = models.TextField(blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    group = models.ForeignKey(
        "communities.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Whose it is: a post's or reply's author; a person's own entry.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    # Of a kind offered first as one types (people, groups): PostgreSQL keeps a
    # small full-text index of these alone, so a suggestion never reads the
    # posting lists of every post.
    suggested = models.BooleanField(default=False)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_entry"
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once"),
        ]
        indexes = [
            # Newest first for a term most entries contain: walk this, not the matches.
            models.Index(fields=["-created_at", "-id"], name="search_entry_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class Search(models.Model):
    """One search someone did, for the coach: what was asked, how much it found,
    and what was opened. No names: ``person_key`` is a keyed hash of the person,
    the same for one person's searches (to count distinct searchers) and useless
    without the server's secret."""

    term = models.CharField(_("term"), max_length=200)
    person_key = models.CharField(_("searcher (pseudonymous)"), max_length=32)
    results = models.PositiveIntegerField(_("results"))
    searched_at = models.DateTimeField(_("searched"), default=timezone.now, db_index=True)
    opened_kind = models.CharField(_("opened kind"), max_length=20, blank=True)
    opened_id = models.PositiveBigIntegerField(_("opened object"), null=True, blank=True)
    opened_position = models.PositiveSmallIntegerField(
        _("opened at position"), null=True, blank=True
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        db_table = "search_log"
        verbose_name = _("search")
        verbose_name_plural = _("search log")
        ordering = ["-searched_at"]
        indexes = [
            models.Index(fields=["person_key", "-searched_at"], name="search_log_recent"),
            # The coach's search gaps look up a term's searches in a period (insights).
            models.Index(fields=["term", "searched_at"], name="search_log_term"),
        ]

    def __str__(self) -> str:
        return self.term

    @property
    def found_nothing(self) -> bool:
        return self.results == 0

    @property
    def opened(self) -> bool:
        return self.opened_at is not None
