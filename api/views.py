"""The API's resources: the same reads and the same actions as the pages.

Every list and detail starts from the app's own visibility rule
(``Post.objects.visible_to``, ``Group.objects.readable_by``, ...), so what a
person may not see is a 404, the same as an id that does not exist. Every
write goes through the app's action, so its permission checks, validation,
rate limits, notifications and live updates are those of the pages. An
action's refusal becomes JSON: PermissionDenied 403, ValidationError 400, a
rate limit 429 with Retry-After, a knowledge page's edit conflict 409.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from agenda import actions as agenda_actions
from agenda import queries as agenda_queries
from agenda.models import Event
from api import serializers as s
from communities import actions as core_actions
from communities import queries as core_queries
from communities.models import Group, Membership, Person, Post, Reaction, Reply
from documents import actions as document_actions
from documents import queries as document_queries
from knowledge import actions as knowledge_actions
from knowledge.models import Page
from limits.counting import check
from notices import actions as notice_actions
from notices import queries as notice_queries
from people import queries as people_queries

# Error answers every operation may give, besides its own.
ERRORS: dict[str, Any] = {
    "400": OpenApiResponse(OpenApiTypes.OBJECT, description="What was wrong with the request."),
    "401": OpenApiResponse(s.ErrorSerializer, description="Not authenticated."),
    "403": OpenApiResponse(s.ErrorSerializer, description="Not allowed."),
    "404": OpenApiResponse(s.ErrorSerializer, description="Not there, or not yours to see."),
    "429": OpenApiResponse(s.ErrorSerializer, description="Too many requests: see Retry-After."),
}


class ApiSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers (JSON ``detail``) documented on
    every operation, so a client (and a schema-driven test) knows every status it may meet."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        bodies: dict[str, Any] = super()._get_response_bodies(direction)
        for code, response in ERRORS.items():
            if code not in bodies:
                bodies[code] = self._get_response_for_code(response, code, direction=direction)
        return bodies


@contextmanager
def refusals() -> Iterator[None]:
    """An action's ValidationError as a 400 with its messages (by field where it names
    one). PermissionDenied and Http404 are DRF's own: 403 and 404."""
    try:
        yield
    except DjangoValidationError as error:
        if hasattr(error, "error_dict"):
            raise serializers.ValidationError(error.message_dict) from error
        raise serializers.ValidationError({"detail": error.messages}) from error


def limit(request: Request, kind: str) -> None:
    """Count this request against the pages' own rate limit of ``kind`` (``post``,
    ``reply``, ``react``...): the API is no way around it. Over it: 429 with Retry-After."""
    django_request: HttpRequest = request._request
    if limited := check(django_request, kind):
        raise Throttled(wait=limited.retry_after, detail=limited.message)


def flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


class Base(viewsets.GenericViewSet):
    schema = ApiSchema()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """A NUL character is in no name, slug or text the database can hold: such an
        address is not there (404), such a filter is a bad request (400)."""
        super().initial(request, *args, **kwargs)
        if any("\x00" in str(value) for value in kwargs.values()):
            raise Http404("no such thing")
        if any("\x00" in value for value in request.query_params.values()):
            raise serializers.ValidationError({"detail": [_("That is not a valid search.")]})


# The person ------------------------------------------------------------------------


class OneThingSchema(ApiSchema):
    """For a route the router names a list but which answers one thing (``me``)."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class MeViewSet(Base):
    schema = OneThingSchema()
    serializer_class = s.MeSerializer
    pagination_class = None  # one person, not a list

    @extend_schema(summary="The person the request acts as", responses=s.MeSerializer)
    def list(self, request: Request) -> Response:
        return Response(self.get_serializer(request.user).data)


# People ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The directory: active colleagues by name",
        parameters=[
            OpenApiParameter("q", str, description="Words in a name or username."),
            OpenApiParameter("department", str),
            OpenApiParameter("location", str),
        ],
    ),
    retrieve=extend_schema(summary="A colleague's profile"),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    serializer_class = s.PersonSerializer
    lookup_field = "username"
    lookup_value_regex = "[^/]+"
    ordering = ("display_name", "username")

    def get_queryset(self) -> QuerySet[Person]:
        if self.action == "list":
            params = self.request.query_params
            filters = people_queries.DirectoryFilters(
                text=params.get("q", "").strip()[:100],
                department=params.get("department", ""),
                location=params.get("location", ""),
            )
            if filters.text:
                limit(self.request, "search")
            people = people_queries.directory(filters)
        else:
            people = Person.objects.filter(is_active=True)
        return people.filter(erased_at=None)


# Groups ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Groups whose feed the person may read",
        parameters=[
            OpenApiParameter("member", bool, description="Only the person's own groups."),
        ],
    ),
    retrieve=extend_schema(summary="A group"),
)
class GroupViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    serializer_class = s.GroupSerializer
    lookup_field = "slug"
    ordering = "slug"

    def get_queryset(self) -> QuerySet[Group]:
        groups = Group.objects.readable_by(self.request.user)
        if self.action == "list" and flag(self.request, "member"):
            groups = groups.filter(pk__in=self._member_of())
        return groups

    def _member_of(self) -> set[int]:
        if not hasattr(self, "_memberships"):
            user = self.request.user
            rows = Membership.objects.filter(person=user) if user.is_authenticated else None
            self._memberships = (
                set(rows.values_list("group_id", flat=True)) if rows is not None else set()
            )
        return self._memberships

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "member_of": self._member_of()}

    @extend_schema(
        summary="Join an open group (POST) or leave a group (DELETE)",
        request=None,
        responses={200: s.GroupSerializer},
    )
    @action(detail=True, methods=["post", "delete"])
    def membership(self, request: Request, slug: str) -> Response:
        group = self.get_object()
        with refusals():
            if request.method == "POST":
                core_actions.join_group(request.user, group)
            else:
                core_actions.leave_group(request.user, group)
        self.__dict__.pop("_memberships", None)
        return Response(self.get_serializer(group).data)


# Posts -------------------------------------------------------------------------------


def _with_activity(posts: list[Post]) -> list[Post]:
    return core_queries.with_activity(posts)


@extend_schema_view(
    list=extend_schema(
        summary="Posts the person may see, newest first",
        parameters=[
            OpenApiParameter("group", str, description="A group's slug."),
            OpenApiParameter("tag", str, description="A #tag, without the #."),
            OpenApiParameter("author", str, description="The author's username."),
        ],
    ),
    retrieve=extend_schema(summary="A post"),
    create=extend_schema(
        summary="Post in a group (as the compose form does)",
        request=s.PostCreateSerializer,
        responses={201: s.PostSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit one's own post",
        request=s.PostEditSerializer,
        responses={200: s.PostSerializer},
    ),
    destroy=extend_schema(
        summary="Delete one's own post (or, as a manager of its group, remove it)",
        parameters=[OpenApiParameter("reason", str, description="A manager's reason.")],
    ),
)
class PostViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    Base,
):
    serializer_class = s.PostSerializer
    ordering = "-id"
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Post]:
        posts = Post.objects.visible_to(self.request.user).select_related("author", "group")
        params = self.request.query_params
        if self.action != "list":
            return posts
        if slug := params.get("group"):
            posts = posts.filter(group__slug=slug)
        if "tag" in params:
            name = core_queries.tag_name(params["tag"].lstrip("#"))
            posts = posts.filter(tags__name=name) if name else posts.none()
        if username := params.get("author"):
            posts = posts.filter(author__username=username)
        return posts

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        data = self.get_serializer(_with_activity(list(page)), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._shown(self.get_object()))

    def _shown(self, post: Post) -> Any:
        return self.get_serializer(_with_activity([post])[0]).data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.PostCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        group = get_object_or_404(Group.objects.readable_by(request.user), slug=data["group"])
        limit(request, "post")
        with refusals():
            post = core_actions.post_to_group(
                request.user,
                group,
                data["text"],
                kind=data["kind"],
                title=data["title"],
                idempotency_key=data["idempotency_key"],
            )
        post = Post.objects.select_related("author", "group").get(pk=post.pk)
        return Response(self._shown(post), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        post = self.get_object()
        given = s.PostEditSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with refusals():
            post = core_actions.edit_post(request.user, post, given.validated_data["text"])
        post = Post.objects.select_related("author", "group").get(pk=post.pk)
        return Response(self._shown(post))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        post = self.get_object()
        with refusals():
            core_actions.delete_post(
                request.user, post, reason=request.query_params.get("reason", "")
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["POST"],
        summary="React to a post (nothing changes if one already reacted so)",
        request=s.ReactionSerializer,
        responses={200: s.PostSerializer},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Take a reaction back",
        request=None,
        parameters=[
            OpenApiParameter(
                "reaction", str, required=True, enum=Reaction.Kind.values, description="Which."
            )
        ],
        responses={200: s.PostSerializer},
    )
    @action(detail=True, methods=["post", "delete"])
    def reactions(self, request: Request, pk: str) -> Response:
        post = self.get_object()
        source = request.data if request.method == "POST" else request.query_params
        given = s.ReactionSerializer(data=source)
        given.is_valid(raise_exception=True)
        kind = given.validated_data["reaction"]
        limit(request, "react")
        there = Reaction.objects.filter(post=post, person=request.user, kind=kind).exists()
        if there != (request.method == "POST"):
            with refusals():
                core_actions.toggle_reaction(request.user, post, kind)
        return Response(self._shown(post))


POST_ID = OpenApiParameter("post_id", int, OpenApiParameter.PATH, description="The post's id.")


@extend_schema_view(
    list=extend_schema(summary="A post's replies, oldest first", parameters=[POST_ID]),
    create=extend_schema(
        summary="Reply to a post",
        parameters=[POST_ID],
        request=s.ReplyCreateSerializer,
        responses={201: s.ReplySerializer},
    ),
    destroy=extend_schema(
        summary="Delete one's own reply (or, as a manager of the group, remove it)",
        parameters=[POST_ID],
    ),
)
class ReplyViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, Base):
    serializer_class = s.ReplySerializer
    ordering = "id"
    lookup_value_regex = r"\d+"

    def parent_post(self) -> Post:
        """The post, if the person may see it: otherwise 404, whatever is asked of it."""
        if not hasattr(self, "_post"):
            try:
                self._post = core_queries.visible_post(self.request.user, self.kwargs["post_id"])
            except Post.DoesNotExist:
                raise Http404("no such post") from None
        return self._post

    def get_queryset(self) -> QuerySet[Reply]:
        return Reply.objects.filter(post=self.parent_post(), deleted_at=None).select_related(
            "author"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        post = self.parent_post()
        given = s.ReplyCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        limit(request, "reply")
        with refusals():
            reply = core_actions.reply_to_post(request.user, post, given.validated_data["text"])
        return Response(self.get_serializer(reply).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        reply = self.get_object()
        with refusals():
            core_actions.delete_reply(request.user, reply)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Notifications -----------------------------------------------------------------------

NOTICE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The notification.")


@extend_schema_view(
    list=extend_schema(
        summary="The person's own notifications, newest first",
        parameters=[OpenApiParameter("unread", bool, description="Only unread ones.")],
    ),
    retrieve=extend_schema(summary="One of the person's notifications", parameters=[NOTICE_ID]),
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    """Only ever the person's own notifications, and only those about something they
    may still see (``notices.queries.visible_rows``)."""

    serializer_class = s.NotificationSerializer
    ordering = "-id"
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> Any:
        rows = notice_queries.visible_rows(self.request.user)
        if flag(self.request, "unread"):
            rows = rows.filter(unread=True)
        return rows

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        notices = notice_queries.notices_of(list(page))
        return self.get_paginated_response(self.get_serializer(notices, many=True).data)

    def _notice(self, notice_id: str) -> Any:
        notice = notice_queries.visible_notice(self.request.user, int(notice_id))
        if notice is None:
            raise Http404("no such notification")
        return notice

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self._notice(kwargs["pk"])).data)

    @extend_schema(
        summary="Mark one notification read",
        parameters=[NOTICE_ID],
        request=None,
        responses={200: s.NotificationSerializer},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        self._notice(pk)
        notice_actions.mark_read(request.user, int(pk))
        return Response(self.get_serializer(self._notice(pk)).data)

    @extend_schema(summary="Mark all one's notifications read", request=None, responses={204: None})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        notice_actions.mark_all_read(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Knowledge pages ---------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Knowledge pages the person may read, last changed first",
        parameters=[
            OpenApiParameter("group", str, description="A group's slug."),
            OpenApiParameter("tag", str),
        ],
    ),
    retrieve=extend_schema(summary="A knowledge page"),
    create=extend_schema(
        summary="Write a new page (organisation-wide, or in one of one's groups)",
        request=s.PageWriteSerializer,
        responses={201: s.PageSerializer},
    ),
    partial_update=extend_schema(
        summary="Save a new version of a page",
        request=s.PageWriteSerializer,
        responses={
            200: s.PageSerializer,
            409: OpenApiResponse(
                s.ConflictSerializer, description="Someone saved the page in the meantime."
            ),
        },
    ),
)
class PageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    Base,
):
    serializer_class = s.PageSerializer
    ordering = ("-changed_at", "-id")
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Page]:
        pages = (
            Page.objects.visible_to(self.request.user)
            .select_related("group", "owner_person", "owner_group", "parent")
            .prefetch_related("tags")
        )
        params = self.request.query_params
        if self.action == "list":
            if slug := params.get("group"):
                pages = pages.filter(group__slug=slug)
            if tag := params.get("tag"):
                pages = pages.filter(tags__name=tag)
        return pages

    def _saved(self, page: Page, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=page.pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.PageWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        group = None
        if data["group"]:
            group = get_object_or_404(Group.objects.readable_by(request.user), slug=data["group"])
        with refusals():
            page = knowledge_actions.create_page(
                request.user,
                title=data["title"],
                body=data["text"],
                group=group,
                review_months=data.get("review_months", Page.Review.YEAR),
            )
        return self._saved(page, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.get_object()
        given = s.PageWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if "version" not in data:
            raise serializers.ValidationError(
                {"version": [_("Say which version the edit started from.")]}
            )
        try:
            with refusals():
                page = knowledge_actions.edit_page(
                    request.user,
                    page,
                    base=data["version"],
                    title=data.get("title", page.title),
                    body=data.get("text", page.body),
                    parent=page.parent,
                    review_months=data.get("review_months"),
                )
        except knowledge_actions.EditConflict as conflict:
            return Response(
                {
                    "detail": _("Someone else saved this page in the meantime."),
                    "version": conflict.page.version,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return self._saved(page)


# Documents ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Documents the person may see, last changed first",
        parameters=[
            OpenApiParameter("group", str, description="A group's slug, or 'organisation'."),
            OpenApiParameter("tag", str),
        ],
    ),
    retrieve=extend_schema(summary="A document: its current version and where to download it"),
    create=extend_schema(
        summary="Add a file to the organisation's library or a group's (multipart)",
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentSerializer},
    ),
)
class DocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, Base
):
    serializer_class = s.DocumentSerializer
    ordering = ("-changed_at", "-id")
    lookup_value_regex = r"\d+"

    def get_parsers(self) -> list[Any]:
        # A file comes as multipart, as from a form; everything else is JSON.
        if self.request is not None and self.request.method == "POST":
            return [MultiPartParser()]
        return super().get_parsers()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        limit(request, "upload")
        given = s.DocumentUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        group = None
        if data["group"]:
            group = get_object_or_404(Group.objects.readable_by(request.user), slug=data["group"])
        with refusals():
            checked = document_actions.check_file(data["file"])
            document = document_actions.add_document(
                request.user,
                title=data.get("title", ""),
                file=checked,
                group=group,
                description=data.get("description", ""),
                tags=document_actions.parse_tags(data.get("tags", "")),
            )
        saved = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        filters = document_queries.Filters(
            tag=params.get("tag", "") if self.action == "list" else "",
            group=params.get("group", "") if self.action == "list" else "",
        )
        return document_queries.listed(self.request.user, filters)


# Events ------------------------------------------------------------------------------


def _moment(value: str, name: str, *, end_of_day: bool = False) -> datetime:
    """A date (the day's start, or with ``end_of_day`` the next day's) or a date and time."""
    try:
        moment = parse_datetime(value) if "T" in value or " " in value else None
        if moment is None:
            day = parse_date(value)
            if day is None:
                raise ValueError(value)
            moment = datetime.combine(day, time())
            if end_of_day:
                moment += timedelta(days=1)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
    except (ValueError, OverflowError):
        raise serializers.ValidationError({name: [_("Give a date (YYYY-MM-DD).")]}) from None
    return moment


EVENT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The event.")


@extend_schema_view(
    list=extend_schema(
        summary="Events the person may see, by start; upcoming ones unless a range is given",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Events ending after."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Events starting up to."),
            OpenApiParameter("group", str, description="A group's slug."),
        ],
    ),
    retrieve=extend_schema(summary="An event"),
    create=extend_schema(
        summary="Add an event (in a group one is in, or organisation-wide)",
        request=s.EventWriteSerializer,
        responses={201: s.EventSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an event (its organiser, or the group's managers)",
        request=s.EventWriteSerializer,
        responses={200: s.EventSerializer},
    ),
)
class EventViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    Base,
):
    serializer_class = s.EventSerializer
    queryset = Event.objects.none()  # for the schema's path parameter type
    ordering = ("start", "id")
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def _answered(self, event: Event, code: int = status.HTTP_200_OK) -> Response:
        saved = self.get_queryset().get(pk=event.pk)
        context = {
            **self.get_serializer_context(),
            "answers": agenda_queries.answers_of(self.request.user, [saved]),
        }
        return Response(s.EventSerializer(saved, context=context).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.EventWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        fields = dict(given.validated_data)
        slug = fields.pop("group")
        group = None
        if slug:
            group = get_object_or_404(Group.objects.readable_by(request.user), slug=slug)
        with refusals():
            event = agenda_actions.create_event(request.user, group, **fields)
        return self._answered(event, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        given = s.EventWriteSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        fields = {name: value for name, value in given.validated_data.items() if name != "group"}
        with refusals():
            event = agenda_actions.edit_event(request.user, event, **fields)
        return self._answered(event)

    def get_queryset(self) -> QuerySet[Event]:
        events = Event.objects.visible_to(self.request.user).select_related("group", "organiser")
        params = self.request.query_params
        if self.action == "list":
            if "from" in params or "to" in params:
                if "from" in params:
                    events = events.filter(end__gt=_moment(params["from"], "from"))
                if "to" in params:
                    events = events.filter(start__lt=_moment(params["to"], "to", end_of_day=True))
            else:
                events = events.upcoming()
            if slug := params.get("group"):
                events = events.filter(group__slug=slug)
        return agenda_queries.with_counts(events)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        events = list(page)
        context = {
            **self.get_serializer_context(),
            "answers": agenda_queries.answers_of(request.user, events),
        }
        return self.get_paginated_response(
            s.EventSerializer(events, many=True, context=context).data
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.get_object()
        context = {
            **self.get_serializer_context(),
            "answers": agenda_queries.answers_of(request.user, [event]),
        }
        return Response(s.EventSerializer(event, context=context).data)

    @extend_schema(
        summary="Call the event off: it stays, marked cancelled, and those going are told",
        request=None,
        responses={200: s.EventSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        event = self.get_object()
        with refusals():
            event = agenda_actions.cancel_event(request.user, event)
        return self._answered(event)

    @extend_schema(
        summary="Sign up (POST; the waiting list when full) or say one is not going (DELETE)",
        request=None,
        responses={200: s.AttendanceSerializer},
    )
    @action(detail=True, methods=["post", "delete"])
    def attendance(self, request: Request, pk: str) -> Response:
        event = self.get_object()
        with refusals():
            if request.method == "POST":
                answer = agenda_actions.sign_up(request.user, event)
            else:
                answer = agenda_actions.decline(request.user, event)
        return Response(s.AttendanceSerializer(answer).data)
