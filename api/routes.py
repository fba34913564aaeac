"""Where each resource lives under ``/api/v1/``: the frame's router calls ``register``."""

from rest_framework.routers import BaseRouter

from api import views
from incidents import api as incidents_api


def register(router: BaseRouter) -> None:
    router.register("me", views.MeViewSet, basename="api-me")
    router.register("people", views.PersonViewSet, basename="api-person")
    router.register("groups", views.GroupViewSet, basename="api-group")
    router.register("posts", views.PostViewSet, basename="api-post")
    router.register(r"posts/(?P<post_id>\d+)/replies", views.ReplyViewSet, basename="api-reply")
    router.register("notifications", views.NotificationViewSet, basename="api-notification")
    router.register("pages", views.PageViewSet, basename="api-page")
    router.register("documents", views.DocumentViewSet, basename="api-document")
    router.register("events", views.EventViewSet, basename="api-event")
    # The service desk's major incidents: the incidents app's own viewset.
    incidents_api.register(router)
