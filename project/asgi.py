"""ASGI entry point: HTTP to Django, WebSockets to realtime's consumers
(``realtime.asgi``: origin check, session authentication, routing)."""

import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

# One event loop writes to every socket of the process while sync views (and
# the pushes they start) run in threads. Each socket write releases the GIL,
# and a busy thread gives it back only after the switch interval, 5 ms by
# default: a post reaching a thousand sockets while views were rendering took
# seconds. A shorter interval keeps the loop moving (docs/BENCHMARKS.md).
sys.setswitchinterval(float(os.environ.get("SWITCH_INTERVAL_MS", "0.1")) / 1000)
# Django must be set up before anything imports models.
django_http = get_asgi_application()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from project.body_limit import BodyLimit  # noqa: E402
from realtime import asgi  # noqa: E402

# A body over UPLOAD_BODY_MAX_BYTES is refused before Django reads it.
http = BodyLimit(ASGIStaticFilesHandler(django_http) if settings.SERVE_STATIC else django_http)

application = asgi.application(http)
