from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from communities import parsing
from communities.models.posts import Post


class Reply(models.Model):
    """An answer under a post. Deleting keeps the row (deleted_at) so counts stay honest."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="replies"
    )
    body = models.TextField(
        _("reply"),
        max_length=settings.POST_MAX_LENGTH,
        validators=[MaxLengthValidator(settings.POST_MAX_LENGTH)],
    )
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["post", "id"], name="reply_post_order"),
            # The coach's figures count a day's replies (insights).
            models.Index(fields=["created_at"], name="reply_created"),
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    @property
    def excerpt(self) -> str:
        """A short plain-text quote (no Markdown, mentions as names), for notices."""
        return parsing.excerpt(self.body_html)


class Reaction(models.Model):
    """One person's reaction of one kind to a post; a second click takes it back."""

    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        THANKS = "thanks", _("Thanks")
        CELEBRATE = "celebrate", _("Celebrate")
        INSIGHTFUL = "insightful", _("Insightful")
        SUPPORT = "support", _("Support")

    EMOJI: dict[str, str] = {
        Kind.LIKE: "👍",
        Kind.THANKS: "🙏",
        Kind.CELEBRATE: "🎉",
        Kind.INSIGHTFUL: "💡",
        Kind.SUPPORT: "💚",
    }

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "person", "kind"], name="one_reaction_per_kind"
            ),
        ]
        # The coach's figures count a day's reactions (insights).
        indexes = [models.Index(fields=["created_at"], name="reaction_created")]

    def __str__(self) -> str:
        return f"{self.person} {self.kind} {self.post_id}"
