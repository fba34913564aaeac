from django.urls import path

from realtime import consumers, notices

websocket_urlpatterns = [
    path("ws/home/", consumers.HomeConsumer.as_asgi()),
    path("ws/notices/", notices.NoticesConsumer.as_asgi()),
    path("ws/groups/<slug:slug>/", consumers.GroupFeedConsumer.as_asgi()),
    path("ws/tags/<str:name>/", consumers.TagFeedConsumer.as_asgi()),
    path("ws/people/<str:username>/", consumers.PersonFeedConsumer.as_asgi()),
]
