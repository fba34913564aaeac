"""One row per act of a manager or administrator.

Who and whom are kept twice: a link to the account (emptied if the account goes)
and a label written at the time (so the entry still reads after a rename or an
erasure, when ``actions.forget_person`` replaces the label)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    POST_REMOVED = "post_removed", _("removed a post")
    REPLY_REMOVED = "reply_removed", _("removed a reply")
    ROLE_CHANGED = "role_changed", _("changed a role")
    JOIN_APPROVED = "join_approved", _("approved a request to join")
    JOIN_DECLINED = "join_declined", _("declined a request to join")
    MEMBER_ADDED = "member_added", _("added a member")
    MEMBER_REMOVED = "member_removed", _("removed a member")
    ANNOUNCEMENT_PINNED = "announcement_pinned", _("pinned an announcement")
    ANNOUNCEMENT_UNPINNED = "announcement_unpinned", _("unpinned an announcement")
    GROUP_PRIVACY_CHANGED = "group_privacy_changed", _("changed a group's privacy")
    PERSON_DEACTIVATED = "person_deactivated", _("deactivated an account")
    PERSON_REACTIVATED = "person_reactivated", _("reactivated an account")
    COACH_GRANTED = "coach_granted", _("made someone community coach")
    COACH_REMOVED = "coach_removed", _("took the coach role away")
    STAFF_GRANTED = "staff_granted", _("gave access to the admin site")
    STAFF_REMOVED = "staff_removed", _("took access to the admin site away")
    SUPERUSER_GRANTED = "superuser_granted", _("made someone superuser")
    SUPERUSER_REMOVED = "superuser_removed", _("took superuser status away")
    PERSON_ERASED = "person_erased", _("erased a person")
    TOKEN_MADE = "token_made", _("made an integration token")
    TOKEN_REVOKED = "token_revoked", _("revoked an access token")


class Entry(models.Model):
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    verb = models.CharField(_("what"), max_length=40, choices=Verb.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=300)
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account acted on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_label = models.CharField(_("whom"), max_length=300, blank=True)
    group = models.ForeignKey(
        "communities.Group",
        verbose_name=_("the group's record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    group_label = models.CharField(_("group"), max_length=300, blank=True)
    # What else tells the act apart: old and new role, the post's id, a reason.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    # The request (method and path), or the command or task, that did it.
    origin = models.CharField(_("from"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        # Entries are written by ``audit.actions.record`` only and never changed:
        # there is nothing to grant but reading them.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.actor_label} {self.get_verb_display()} {self.target_label}".strip()
