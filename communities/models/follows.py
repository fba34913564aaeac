from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communities.models.groups import Group
from communities.models.tags import Tag


class Follow(models.Model):
    """Someone follows exactly one of: a person, a #tag, a group."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="followers"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, related_name="followers")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)
    # Tell the follower of every new post (a group or #tag they chose to hear of).
    notify_posts = models.BooleanField(_("tell me of new posts"), default=False)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, tag__isnull=True, group__isnull=True)
                    | Q(person__isnull=True, tag__isnull=False, group__isnull=True)
                    | Q(person__isnull=True, tag__isnull=True, group__isnull=False)
                ),
                name="follow_exactly_one_thing",
            ),
            models.CheckConstraint(condition=~Q(person=F("follower")), name="no_self_follow"),
            models.UniqueConstraint(
                fields=["follower", "person"],
                condition=Q(person__isnull=False),
                name="follow_person_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "tag"], condition=Q(tag__isnull=False), name="follow_tag_once"
            ),
            models.UniqueConstraint(
                fields=["follower", "group"],
                condition=Q(group__isnull=False),
                name="follow_group_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.person or self.tag or self.group}"
