"""``GET /api/v1/me/``: the person the token acts as, so an integration can check
which account its token is."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from api.schema import AutoSchema
from communities.models import Person


class OnePersonSchema(AutoSchema):
    """ "me" is the router's list route, but answers one person, not a list."""

    def _is_list_view(self, serializer: object = None) -> bool:
        return False


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "username", "display_name", "job_title", "department"]
        read_only_fields = fields


class MeViewSet(viewsets.ViewSet):
    """The account a token (or session) acts as."""

    pagination_class = None
    schema = OnePersonSchema()

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def list(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
