"""Major incidents over the REST API: ``/api/v1/incidents/``.

Reading is for every authenticated colleague (incidents are organisation-wide, and
``Incident.objects.visible_to`` says so); writing (create = upsert by
``external_id``, partial update such as resolving) needs the permission
``incidents.change_incident``, on top of the API's default permissions. Writes go
through ``actions.record_incident`` like the poller's and the hook's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from incidents import actions
from incidents.models import Incident, Source, Status


class MayReportIncidents(permissions.BasePermission):
    """Reading for all who pass the defaults; writing for holders of
    ``incidents.change_incident`` (the service desk's integration account)."""

    message = "Reporting incidents needs the permission incidents.change_incident."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.has_perm("incidents.change_incident"))


class IncidentSerializer(serializers.ModelSerializer):
    """An incident as an integrator reads and writes it. ``status`` and ``impact``
    accept the desk's own words on writing (mapped onto the fixed sets) and are
    always read back as one of them."""

    status = serializers.CharField(max_length=64, required=False)
    impact = serializers.CharField(max_length=64, required=False, allow_blank=True)
    source = serializers.CharField(read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "source",
            "external_id",
            "number",
            "title",
            "status",
            "impact",
            "url",
            "opened_at",
            "updated_at",
            "resolved_at",
            "changed_at",
        ]
        read_only_fields = ["id", "source", "changed_at"]
        extra_kwargs = {
            "external_id": {"validators": []},  # an upsert key, not "must be new"
            "title": {"required": False},
        }

    def to_representation(self, instance: Incident) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["status"] = instance.status
        data["impact"] = instance.impact
        return data


def _record(external_id: str, fields: dict[str, Any]) -> tuple[Incident, bool]:
    try:
        incident, change = actions.record_incident(Source.API, external_id, **fields)
    except DjangoValidationError as invalid:
        raise serializers.ValidationError({"detail": invalid.messages}) from None
    return incident, change is not None


@extend_schema_view(
    list=extend_schema(
        summary="Major incidents",
        parameters=[
            OpenApiParameter(
                "current",
                OpenApiTypes.BOOL,
                description="Only those the home page shows: not resolved, or resolved lately.",
            ),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
        ],
    ),
    create=extend_schema(
        summary="Report an incident (creates it, or updates the one with this external_id)"
    ),
    partial_update=extend_schema(summary="Change an incident, e.g. resolve it"),
)
class IncidentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IncidentSerializer
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, MayReportIncidents]
    http_method_names = ["get", "post", "patch", "head", "options"]
    # The API's cursor pages: newest opened first.
    ordering = ("-opened_at", "-id")

    def get_queryset(self):
        rows = Incident.objects.visible_to(self.request.user).order_by("-opened_at", "-pk")
        if self.action == "list":
            params = self.request.query_params
            if params.get("current") in {"1", "true", "yes"}:
                rows = rows.current().order_by("-opened_at", "-pk")
            if params.get("status") in Status.values:
                rows = rows.filter(status=params["status"])
        return rows

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        external_id = fields.pop("external_id", None)
        if not external_id:
            raise serializers.ValidationError({"external_id": ["This field is required."]})
        existed = Incident.objects.filter(source=Source.API, external_id=external_id).exists()
        incident, _changed = _record(external_id, fields)
        return Response(
            self.get_serializer(incident).data,
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incident = self.get_object()
        if incident.source != Source.API:
            # The desk that feeds it would overwrite the change at its next word.
            raise serializers.ValidationError(
                {"detail": [f"This incident comes from {incident.get_source_display()}."]}
            )
        serializer = self.get_serializer(incident, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.pop("external_id", None)
        incident, _changed = _record(incident.external_id, fields)
        return Response(self.get_serializer(incident).data)


def register(router: Any) -> None:
    """The REST API's router includes incidents here."""
    router.register("incidents", IncidentViewSet, basename="incidents")


__all__ = ["IncidentViewSet", "register"]
