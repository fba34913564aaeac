"""The WebSocket addresses, by name: pages reverse them against this module
(``settings.WEBSOCKET_URLCONF``), never spelling them out."""

from django.urls import path

from realtime import agenda, consumers, insights, knowledge, notices

websocket_urlpatterns = [
    path("ws/home/", consumers.HomeConsumer.as_asgi(), name="live_home"),
    path("ws/notices/", notices.NoticesConsumer.as_asgi(), name="live_notices"),
    path("ws/groups/<slug:slug>/", consumers.GroupFeedConsumer.as_asgi(), name="live_group"),
    path("ws/tags/<str:name>/", consumers.TagFeedConsumer.as_asgi(), name="live_tag"),
    path("ws/people/<str:username>/", consumers.PersonFeedConsumer.as_asgi(), name="live_person"),
    path("ws/pages/<int:pk>/", knowledge.PageConsumer.as_asgi(), name="live_page"),
    path("ws/agenda/<int:pk>/", agenda.EventConsumer.as_asgi(), name="live_event"),
    path("ws/insights/nudges/<int:pk>/", insights.NudgeConsumer.as_asgi(), name="live_nudge"),
]

# What Django's ``reverse(..., urlconf=...)`` reads.
urlpatterns = websocket_urlpatterns
