"""Every resource of the API, registered on the router that ``api.urls`` serves
under ``/api/v1/``."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from api.me import MeViewSet


def register(router: BaseRouter) -> None:
    router.register("me", MeViewSet, basename="me")
