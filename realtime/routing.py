from django.urls import path

from realtime import consumers

websocket_urlpatterns = [
    path("ws/groups/<slug:slug>/", consumers.GroupFeedConsumer.as_asgi()),
]
