"""The ASGI application around Django's: HTTP to Django, WebSockets to the consumers.

WebSockets pass an origin check (against ALLOWED_HOSTS, which blocks
cross-site WebSocket hijacking) and session authentication before routing.
Only ``realtime`` imports Channels; ``project.asgi`` asks for this.
"""

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator

from realtime.routing import websocket_urlpatterns


def application(http) -> ProtocolTypeRouter:
    return ProtocolTypeRouter(
        {
            "http": http,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
