"""What the API's resources look like, in and out.

Representations are read from the same rows and helpers the pages use (the
rendered HTML is the one saved by the actions, as the page shows it). Request
serializers only check the shape of what comes in; what may be done is the
actions' to say.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agenda.models import Attendance
from communities.models import Group, Person, Post, Reaction, Reply
from communities.queries import ReactionKind
from documents.models import Document
from knowledge.models import PAGE_MAX_LENGTH, Page


def absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class PersonRefSerializer(serializers.Serializer):
    """Who wrote or did something: an erased person is "Former colleague", without
    a username or an address."""

    id = serializers.IntegerField(read_only=True)
    display_name = serializers.SerializerMethodField()
    username = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_display_name(self, person: Person) -> str:
        return str(person)

    def get_username(self, person: Person) -> str | None:
        return None if person.is_erased else person.username

    def get_url(self, person: Person) -> str | None:
        if person.is_erased or not person.is_active:
            return None
        return absolute(self.context, person.get_absolute_url())


class MeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "username", "display_name", "job_title", "department", "url"]
        read_only_fields = fields

    def get_url(self, person: Person) -> str:
        return absolute(self.context, person.get_absolute_url())


class PersonSerializer(MeSerializer):
    """What a colleague's profile page shows of them."""

    photo_url = serializers.SerializerMethodField()

    class Meta(MeSerializer.Meta):
        fields = [
            "id",
            "username",
            "display_name",
            "job_title",
            "department",
            "location",
            "photo_url",
            "url",
        ]
        read_only_fields = fields

    def get_photo_url(self, person: Person) -> str | None:
        path = person.photo_url("photo")
        return absolute(self.context, path) if path else None


class GroupSerializer(serializers.ModelSerializer):
    is_member = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "privacy",
            "is_news",
            "is_member",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_is_member(self, group: Group) -> bool:
        return group.pk in self.context.get("member_of", set())

    def get_url(self, group: Group) -> str:
        return absolute(self.context, group.get_absolute_url())


class GroupRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class ReactionCountSerializer(serializers.Serializer):
    reaction = serializers.ChoiceField(source="kind", choices=Reaction.Kind.choices, read_only=True)
    emoji = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    mine = serializers.SerializerMethodField()

    def get_mine(self, reaction: ReactionKind) -> bool:
        request = self.context.get("request")
        person_id = request.user.pk if request is not None else None
        return any(person.pk == person_id for person in reaction.people)


class PostSerializer(serializers.ModelSerializer):
    """A post as its page shows it: the text as typed (Markdown) and as rendered."""

    group = GroupRefSerializer(read_only=True)
    author = PersonRefSerializer(read_only=True)
    text = serializers.CharField(source="body", read_only=True)
    html = serializers.CharField(source="body_html", read_only=True)
    reactions = serializers.SerializerMethodField()
    reaction_count = serializers.IntegerField(source="reaction_total", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "group",
            "author",
            "kind",
            "title",
            "text",
            "html",
            "created_at",
            "edited_at",
            "pinned_at",
            "reply_count",
            "reaction_count",
            "reactions",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(ReactionCountSerializer(many=True))
    def get_reactions(self, post: Post) -> list[dict[str, Any]]:
        return ReactionCountSerializer(post.reaction_kinds, many=True, context=self.context).data

    def get_url(self, post: Post) -> str:
        return absolute(self.context, reverse("post", args=[post.pk]))


class PostCreateSerializer(serializers.Serializer):
    group = serializers.SlugField(help_text="The slug of a group the person belongs to.")
    text = serializers.CharField(
        max_length=settings.POST_MAX_LENGTH,
        help_text="Markdown; #tags and @mentions are linked as on the page.",
    )
    kind = serializers.ChoiceField(
        choices=Post.Kind.choices,
        default=Post.Kind.UPDATE,
        help_text="An event's post is made by the agenda, never here.",
    )
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    idempotency_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The same key from the same person posts once: a retried request "
        "gets the post made the first time.",
    )

    def validate_kind(self, kind: str) -> str:
        if kind == Post.Kind.EVENT:
            raise serializers.ValidationError(_("An event's post is made by adding the event."))
        return kind


class PostEditSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=settings.POST_MAX_LENGTH)


class ReplySerializer(serializers.ModelSerializer):
    author = PersonRefSerializer(read_only=True)
    text = serializers.CharField(source="body", read_only=True)
    html = serializers.CharField(source="body_html", read_only=True)

    class Meta:
        model = Reply
        fields = ["id", "post", "author", "text", "html", "created_at"]
        read_only_fields = fields


class ReplyCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=settings.POST_MAX_LENGTH)


class ReactionSerializer(serializers.Serializer):
    reaction = serializers.ChoiceField(choices=Reaction.Kind.choices)


class NotificationSerializer(serializers.Serializer):
    """One notification as the notifications page shows it, in the request's language."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    excerpt = serializers.CharField(read_only=True)
    actor = PersonRefSerializer(read_only=True)
    unread = serializers.BooleanField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_url(self, notice: Any) -> str:
        return absolute(self.context, notice.url)


class StewardSerializer(serializers.Serializer):
    """Who looks after a page: a person or a group."""

    type = serializers.ChoiceField(choices=[("person", "person"), ("group", "group")])
    name = serializers.CharField()


class PageSerializer(serializers.ModelSerializer):
    group = GroupRefSerializer(read_only=True, allow_null=True)
    text = serializers.CharField(source="body", read_only=True)
    html = serializers.CharField(source="body_html", read_only=True)
    tags = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    review_by = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(source="changed_at", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = [
            "id",
            "title",
            "group",
            "text",
            "html",
            "version",
            "tags",
            "owner",
            "review_months",
            "review_by",
            "updated_at",
            "url",
        ]
        read_only_fields = fields

    def get_tags(self, page: Page) -> list[str]:
        return sorted(tag.name for tag in page.tags.all())

    @extend_schema_field(StewardSerializer(allow_null=True))
    def get_owner(self, page: Page) -> dict[str, str] | None:
        if page.owner_person is not None:
            return {"type": "person", "name": str(page.owner_person)}
        if page.owner_group is not None:
            return {"type": "group", "name": page.owner_group.name}
        return None

    def get_review_by(self, page: Page) -> date:
        return page.review_by

    def get_url(self, page: Page) -> str:
        return absolute(self.context, page.get_absolute_url())


class PageWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=PAGE_MAX_LENGTH)
    group = serializers.SlugField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A group's slug; none for an organisation-wide page. Only on create.",
    )
    review_months = serializers.ChoiceField(choices=Page.Review.choices, required=False)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="On update: the version the edit started from; if another was saved "
        "since, the answer is 409 and nothing is written.",
    )


class DocumentSerializer(serializers.ModelSerializer):
    group = GroupRefSerializer(read_only=True, allow_null=True)
    tags = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="current.number", read_only=True, allow_null=True)
    file_name = serializers.CharField(source="current.name", read_only=True, allow_null=True)
    content_type = serializers.CharField(
        source="current.content_type", read_only=True, allow_null=True
    )
    size = serializers.IntegerField(source="current.size", read_only=True, allow_null=True)
    file_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "description",
            "group",
            "tags",
            "version",
            "file_name",
            "content_type",
            "size",
            "created_at",
            "changed_at",
            "file_url",
            "url",
        ]
        read_only_fields = fields

    def get_tags(self, document: Document) -> list[str]:
        return sorted(tag.name for tag in document.tags.all())

    def get_file_url(self, document: Document) -> str | None:
        """The download view, which checks who may see the document again."""
        if document.current is None:
            return None
        return absolute(self.context, document.current.get_absolute_url())

    def get_url(self, document: Document) -> str:
        return absolute(self.context, document.get_absolute_url())


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    group = GroupRefSerializer(read_only=True, allow_null=True)
    organiser = PersonRefSerializer(read_only=True)
    all_day = serializers.BooleanField(read_only=True)
    start = serializers.DateTimeField(read_only=True)
    end = serializers.DateTimeField(read_only=True)
    place = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    html = serializers.CharField(source="description_html", read_only=True)
    capacity = serializers.IntegerField(read_only=True, allow_null=True)
    signup_deadline = serializers.DateTimeField(read_only=True, allow_null=True)
    cancelled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    going = serializers.IntegerField(read_only=True)
    my_answer = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_my_answer(self, event: Any) -> str | None:
        return self.context.get("answers", {}).get(event.pk)

    def get_url(self, event: Any) -> str:
        return absolute(self.context, event.get_absolute_url())


class EventWriteSerializer(serializers.Serializer):
    """A new event, or the fields of one that change (on update every field is
    optional). Times are ISO 8601; an all-day event gives its days instead."""

    title = serializers.CharField(max_length=200)
    group = serializers.SlugField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A group's slug; none for an organisation-wide event. Only on create.",
    )
    all_day = serializers.BooleanField(required=False, default=False)
    start = serializers.DateTimeField(required=False, allow_null=True)
    end = serializers.DateTimeField(required=False, allow_null=True)
    start_date = serializers.DateField(
        required=False, allow_null=True, help_text="All day: the first day."
    )
    end_date = serializers.DateField(
        required=False, allow_null=True, help_text="All day: the last day (included)."
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    online_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    description = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    capacity = serializers.IntegerField(
        min_value=1, max_value=100000, required=False, allow_null=True
    )
    signup_deadline = serializers.DateTimeField(required=False, allow_null=True)


class DocumentUploadSerializer(serializers.Serializer):
    """A file for a library: checked by its content, as on the site."""

    file = serializers.FileField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    group = serializers.SlugField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A group's slug; empty for the organisation's library.",
    )
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    tags = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="e.g. '#protocol #hygiene'"
    )


class AttendanceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Attendance.Status.choices, read_only=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="The page's version now.")
