"""Settings for Kring, read from the environment.

With no environment at all Kring runs on one machine with no services:
SQLite in ``var/``, the in-memory channel layer, and Celery on a broker of
folders in ``var/broker/`` whose worker (with beat) ``make run`` starts next
to Daphne. Setting ``DATABASE_URL`` and ``REDIS_URL`` switches to PostgreSQL,
channels-redis and Celery on Redis, which lets any number of Daphne processes
share the work.
Every variable is documented in README.md. ``project.settings_production``
adds the HTTPS hardening a public deployment needs.
"""

import os
import re
import secrets
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KRING_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_clock_time(name: str, default: str) -> time:
    """A time of day such as ``07:00`` (the organisation's time zone); beat's
    crontab counts in whole minutes, so seconds are refused rather than ignored."""
    value = os.environ.get(name) or default
    try:
        at = time.fromisoformat(value)
    except ValueError:
        at = None
    if at is None or at.second or at.microsecond:
        raise ValueError(f"{name} must be a time of day as HH:MM, not {value!r}")
    return at


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once for this install.

    A generated key is stored in var/ (readable by the owner only) so sessions
    survive restarts; it is never a value shared by every checkout.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "channels",
    "notifications",
    "limits",
    "organisation",
    "audit",
    "communities",
    "search",
    "notices",
    "people",
    "knowledge",
    "documents",
    "agenda",
    "insights",
    "integrations",
    "incidents",
    "realtime",
    "accounts",
    "privacy",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The content security policy and Permissions-Policy on every response (CSP_* below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Where a request's acts come from, for the audit trail (after authentication).
    "audit.middleware.AuditContextMiddleware",
    # Where one is logged in: each login's "last active" (accounts.Login).
    "accounts.middleware.LoginSeenMiddleware",
    # Who opened Kring today, and which pages are opened (insights.ActiveDay, PageUse).
    "insights.middleware.UseMiddleware",
    "communities.middleware.HtmxLoginRedirectMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A body too large to read (project.body_limit) is answered here: 413.
    "project.body_limit.RefusedBodyMiddleware",
]

ROOT_URLCONF = "project.urls"
# The WebSocket routes (Channels), named so pages reverse them too.
WEBSOCKET_URLCONF = "realtime.routing"
ASGI_APPLICATION = "project.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisation.context_processors.organisation",
                "communities.context_processors.viewer",
                "communities.context_processors.sidebar",
                "notices.context_processors.bell",
                "incidents.context_processors.home_widgets",
            ],
        },
    },
]

# Database: PostgreSQL when DATABASE_URL is set, else SQLite in var/.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    # A pool per process (psycopg's): under ASGI each request runs in a thread
    # of its own, so Django's persistent connections cannot be used, and a
    # fresh connection per request, and per socket connect, is what limits how
    # fast sockets (re)connect after a restart.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "20")),
        "timeout": 10,
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "kring.sqlite3")),
            # WAL lets the Daphne process read while a write is in progress;
            # IMMEDIATE transactions avoid "database is locked" on upgrade.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory, so a Daphne process started by a browser
            # test sees what the test wrote.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: channel layer and Celery broker when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis_db(url: str) -> int:
    """The database number of a redis:// URL (``/7`` or ``?db=7``; 0 if none)."""
    from redis.connection import parse_url

    return int(parse_url(url).get("db", 0)) if url else 0


if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # channels-redis over pub/sub: one PUBLISH per feed, delivered once
            # to each process (realtime/layer.py says why, and what it adds).
            "BACKEND": "realtime.layer.PubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # redis-py 8 times reads out after 5 s by default; the
                        # subscription connection waits for messages far longer.
                        # Not forever, so a dead Redis is still noticed.
                        "socket_timeout": float(os.environ.get("REDIS_SOCKET_TIMEOUT", "15")),
                        "socket_keepalive": True,
                    }
                ],
                # Pub/sub channels are server-wide, whatever the database
                # number in REDIS_URL: the prefix keeps installs (and test
                # runs) sharing one Redis apart.
                "prefix": os.environ.get("CHANNEL_PREFIX", f"kring.db{_redis_db(REDIS_URL)}."),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# How often (seconds, jittered) an open socket checks that its login still holds
# and that its person may still read its feeds (realtime.consumers).
SOCKET_RECHECK_SECONDS = float(os.environ.get("SOCKET_RECHECK_SECONDS", "60"))


# How long a rendered post card is kept (seconds): a card is rendered again when its
# post, or a name it shows, changes, whatever this says; this only bounds how long a
# card nobody asks for takes room.
CARD_CACHE_SECONDS = int(os.environ.get("CARD_CACHE_SECONDS", "21600"))
# How many cards one process keeps on one machine (each a few KiB).
CARD_CACHE_ENTRIES = int(os.environ.get("CARD_CACHE_ENTRIES", "20000"))

# The default cache holds the rate limits' counters and login lock-outs; "cards"
# holds rendered post cards (communities.post_cards: HTML the same for every
# reader, never who may read it). In Redis when scaled out, so every process counts
# together and renders a card once for all; in this process's memory on one machine.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kring",
            # A Redis that is away costs a request two seconds at most; the limits
            # then let it through (limits.counting).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        },
        "cards": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kring-cards",
            "TIMEOUT": CARD_CACHE_SECONDS,
            # Away, the pages render their cards as they did before the cache.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "cards": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cards",
            "TIMEOUT": CARD_CACHE_SECONDS,
            "OPTIONS": {"MAX_ENTRIES": CARD_CACHE_ENTRIES},
        },
    }


def env_rates(name: str, defaults: dict[str, str]) -> dict[str, str]:
    """The rate limits: ``defaults``, each overridable from ``name`` as a
    comma-separated list such as ``post=5/m,search:address=off``. A rate is
    ``count/period`` (period ``s``, ``m``, ``h`` or ``d``, optionally with a
    multiple: ``5/15m``), or ``off``."""
    rates = dict(defaults)
    for item in env_list(name, ""):
        kind, _, rate = item.partition("=")
        rates[kind.strip()] = rate.strip()
    for kind, rate in rates.items():
        if kind not in defaults:
            raise ValueError(f"{name}: no rate limit is called {kind!r}")
        if rate != "off" and not re.fullmatch(r"\d+/\d*[smhd]", rate):
            raise ValueError(f"{name}: {kind}={rate!r} is not a rate such as 20/m, 5/15m or off")
    return rates


# How often one person (or the one email address, or username, named) and one
# network address may do something. The address limits are far higher: many
# colleagues may reach Kring through one address (a proxy, a hospital's NAT).
RATE_LIMITS = env_rates(
    "RATE_LIMITS",
    {
        "post": "10/m",
        "post:address": "100/m",
        "reply": "20/m",
        "reply:address": "200/m",
        "react": "60/m",
        "react:address": "600/m",
        "follow": "30/m",
        "follow:address": "300/m",
        # Posts with attachments and profile photos, on top of their own limit.
        "upload": "20/h",
        "upload:address": "200/h",
        # Search and its suggestions, the directory, @mention suggestions, the person picker.
        "search": "120/m",
        "search:address": "1200/m",
        # Per email address asked for, and per network address.
        "password_reset": "3/h",
        "password_reset:address": "20/h",
        # Failed logins before a username, or an address, is locked out.
        "login": "5/15m",
        "login:address": "50/15m",
        # Calendar apps reading a personal agenda feed (no login: counted per address).
        "calendar_feed:address": "60/m",
        # Deliveries to one incoming webhook (integrations), and from one address.
        "webhook": "60/m",
        "webhook:address": "600/m",
    },
)
# The REST API (api/): tokens or a session; a read token only reads; JSON only (the
# docs at /api/docs/ are the browsable side); cursor pages of 50 (?page_size up to
# 200). API_RATE_LIMIT: requests per token (per person with a session), such as
# 600/m (period s, m, h or d), or off.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/m").strip()
if API_RATE_LIMIT != "off" and not re.fullmatch(r"\d+/[smhd]", API_RATE_LIMIT):
    raise ValueError(f"API_RATE_LIMIT={API_RATE_LIMIT!r} is not a rate such as 600/m or off")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.auth.TokenScope",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.TokenRateThrottle"],
    # drf-spectacular's AutoSchema, with the errors every operation may answer.
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kring API",
    "DESCRIPTION": (
        "People, groups, posts with their replies and reactions, knowledge pages, "
        "documents, events, one's notifications and the service desk's major incidents, "
        "as the person a token acts as may see them. Send the token as "
        "`Authorization: Bearer kr_…`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Off only for load tests and benchmarks, which post far faster than people do.
RATELIMIT_ENABLE = env_bool("RATE_LIMITS_ENABLED", True)
# Where the counters live in the cache (tests give each test its own).
RATELIMIT_CACHE_PREFIX = os.environ.get("RATE_LIMITS_KEY_PREFIX", "rl:")
# A cache that cannot count lets the request through rather than refusing everyone.
RATELIMIT_FAIL_OPEN = True
# The address counted per address: the same rule as the audit trail's (TRUSTED_PROXY_COUNT).
RATELIMIT_IP_META_KEY = "limits.addresses.address_to_count"
# A lock-out lasts LOGIN_LOCKOUT_FIRST seconds, each next one twice as long, up
# to LOGIN_LOCKOUT_MAX; a successful login, or a day without lock-out, forgets them.
LOGIN_LOCKOUT_FIRST = int(os.environ.get("LOGIN_LOCKOUT_FIRST", "60"))
LOGIN_LOCKOUT_MAX = int(os.environ.get("LOGIN_LOCKOUT_MAX", "3600"))


def folder_broker(folder: Path) -> dict[str, str]:
    """kombu's filesystem transport in ``folder``: what the web process, the worker
    and beat must all agree on (tests point a worker of their own at another folder).

    A task is a file in ``queue/`` (written and read there: one folder for both
    directions); ``control/`` holds the exchange tables, which kombu would
    otherwise write relative to the working directory. kombu moves a message it
    takes into ``processed/`` only with ``store_processed`` (for looking into what
    ran); off, so taken messages do not pile up: it reads them from the system's
    temporary folder and deletes them."""
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
    }


# kombu's Connection warns "No hostname was supplied" each time it describes a
# connection whose URL names no host (``filesystem://``), which it does for every
# task sent: the folder transport ignores the host, so naming one is the fix.
FOLDER_BROKER_URL = "filesystem://localhost/"

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Seconds before Redis hands an unacknowledged task to another worker: longer
    # than any task runs (including a retry's wait), or a task runs twice; the
    # email tasks are idempotent all the same.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
    }
else:
    # A broker that needs no server, so emails and digests leave the web process
    # and beat runs on one machine too (`make run` starts the worker). The folder
    # broker names no host; naming one keeps kombu from warning that none was given.
    BROKER_DIR = Path(os.environ.get("KRING_BROKER_DIR", VAR_DIR / "broker"))
    CELERY_BROKER_URL = FOLDER_BROKER_URL
    # kombu's folder transport, each task file written whole before it appears.
    CELERY_BROKER_TRANSPORT = "project.folder_broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = folder_broker(BROKER_DIR)
    for _option in ("data_folder_in", "processed_folder", "control_folder"):
        # kombu does not make its folders.
        Path(CELERY_BROKER_TRANSPORT_OPTIONS[_option]).mkdir(parents=True, exist_ok=True)
# Who announces a new post (the live push, its notifications, webhooks), after it
# committed: a Celery worker when scaled out, so the post request answers after
# the write alone; on the embedded default the web process, whose in-memory
# channel layer is the only one its sockets hear (communities/tasks.py).
ANNOUNCE_POSTS_IN_WORKER = env_bool("ANNOUNCE_POSTS_IN_WORKER", bool(REDIS_URL))
# Tasks run in the caller only where a test asks for it (its stand-in for the
# worker); Kring itself always hands them to a worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# Redis redelivers unacknowledged tasks after a worker dies: tasks are written
# to be idempotent and acknowledged only once done.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# How often beat looks for emails held back by quiet hours, or whose task never
# reached the broker; and when the digests go (weekly: on Monday), in TIME_ZONE.
EMAIL_SWEEP_SECONDS = int(os.environ.get("EMAIL_SWEEP_SECONDS", "300"))
DIGEST_AT = env_clock_time("DIGEST_AT", "07:00")
# Search: how many matches are ranked at most (a common term's newest ones); how
# long the search log keeps a search; within how many seconds a longer or shorter
# term from the same person is the same search, typed on.
SEARCH_CANDIDATES = int(os.environ.get("SEARCH_CANDIDATES", "1000"))
SEARCH_LOG_DAYS = int(os.environ.get("SEARCH_LOG_DAYS", "180"))
SEARCH_TYPING_SECONDS = int(os.environ.get("SEARCH_TYPING_SECONDS", "60"))
# The coach's figures: a department or group of fewer people shows none.
INSIGHTS_MIN_PEOPLE = int(os.environ.get("INSIGHTS_MIN_PEOPLE", "5"))
# Nudges: a pause (seconds) between recipients while sending (0; tests slow it down to
# watch the progress move), and how often (seconds) an open progress page reads the
# progress from the database when no push reaches it (a worker on another channel layer).
INSIGHTS_NUDGE_PAUSE_SECONDS = float(os.environ.get("INSIGHTS_NUDGE_PAUSE_SECONDS", "0"))
INSIGHTS_NUDGE_POLL_SECONDS = float(os.environ.get("INSIGHTS_NUDGE_POLL_SECONDS", "1"))

CELERY_BEAT_SCHEDULE = {
    "daily-digest": {
        "task": "notices.tasks.send_digests",
        "schedule": crontab(hour=DIGEST_AT.hour, minute=DIGEST_AT.minute),
        "args": ("daily",),
    },
    "weekly-digest": {
        "task": "notices.tasks.send_digests",
        "schedule": crontab(hour=DIGEST_AT.hour, minute=DIGEST_AT.minute, day_of_week=1),
        "args": ("weekly",),
    },
    "waiting-emails": {
        "task": "notices.tasks.send_waiting_emails",
        "schedule": timedelta(seconds=EMAIL_SWEEP_SECONDS),
    },
    "expired-data-downloads": {
        "task": "privacy.tasks.delete_expired_exports",
        "schedule": timedelta(hours=1),
    },
    "prune-search-log": {
        "task": "search.tasks.prune_search_log",
        "schedule": timedelta(hours=6),
    },
    # "Tomorrow: <event>" for those going; each person once per event.
    "event-reminders": {
        "task": "agenda.tasks.send_event_reminders",
        "schedule": timedelta(hours=1),
    },
    # The coach's figures: each finished day rolled up, the pages to write updated.
    "insights-roll-up": {
        "task": "insights.tasks.roll_up",
        "schedule": crontab(minute=20),
    },
    # Who looks after a knowledge page: 28 and 14 days before its review date, then weekly.
    "page-review-reminders": {
        "task": "knowledge.tasks.send_page_review_reminders",
        "schedule": timedelta(hours=1),
    },
    # Nudges: who did what their nudge asked within 14 days (acted_at).
    "insights-measure-nudges": {
        "task": "insights.tasks.measure_nudges",
        "schedule": crontab(minute=40),
    },
    # Outgoing webhooks whose retry was lost (a worker restarted): sent when due.
    "due-webhook-deliveries": {
        "task": "integrations.tasks.send_due_deliveries",
        "schedule": timedelta(minutes=1),
    },
    "prune-audit-trail": {
        "task": "audit.tasks.prune_audit_trail",
        "schedule": crontab(hour=3, minute=17),
    },
}

# The service desk's major incidents (the home page's widget). A resolved one stays
# this many seconds; TOPDESK_URL set makes beat poll TOPdesk's API every
# INCIDENTS_POLL_SECONDS with an application password; INCIDENTS_WEBHOOK_SECRET set
# opens POST /incidents/hook/ to signed posts (unset: 404).
INCIDENTS_SHOW_RESOLVED_SECONDS = int(os.environ.get("INCIDENTS_SHOW_RESOLVED_SECONDS", "3600"))
TOPDESK_URL = os.environ.get("TOPDESK_URL", "").rstrip("/")
TOPDESK_USERNAME = os.environ.get("TOPDESK_USERNAME", "")
TOPDESK_APPLICATION_PASSWORD = os.environ.get("TOPDESK_APPLICATION_PASSWORD", "")
TOPDESK_TIMEOUT_SECONDS = float(os.environ.get("TOPDESK_TIMEOUT_SECONDS", "10"))
INCIDENTS_POLL_SECONDS = int(os.environ.get("INCIDENTS_POLL_SECONDS", "60"))
INCIDENTS_WEBHOOK_SECRET = os.environ.get("INCIDENTS_WEBHOOK_SECRET", "")
CELERY_BEAT_SCHEDULE["incidents-expire-resolved"] = {
    "task": "incidents.tasks.expire_resolved",
    "schedule": timedelta(minutes=1),
}
if TOPDESK_URL:
    CELERY_BEAT_SCHEDULE["poll-service-desk"] = {
        "task": "incidents.tasks.poll_service_desk",
        "schedule": timedelta(seconds=INCIDENTS_POLL_SECONDS),
    }

# The audit trail (what managers and administrators did) is kept this many days.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))
# How many proxies in front of Kring append to X-Forwarded-For. With 0 (the
# default) the header is ignored: anyone can write it. With N, the client's
# address is the N-th entry from its end (the one the outermost proxy saw).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Email. With EMAIL_HOST unset, emails are written to the console (the demo).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kring <kring@localhost>")
# Links in emails point here; no request tells a Celery worker the address.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A failing SMTP server is retried with growing waits (seconds), then the
# email is recorded as failed (the dead-letter log in the admin).
EMAIL_RETRIES = int(os.environ.get("EMAIL_RETRIES", "6"))
EMAIL_RETRY_BACKOFF = int(os.environ.get("EMAIL_RETRY_BACKOFF", "30"))
EMAIL_RETRY_BACKOFF_MAX = int(os.environ.get("EMAIL_RETRY_BACKOFF_MAX", "1800"))
# No digest for someone who has not logged in for this many days.
DIGEST_INACTIVE_DAYS = int(os.environ.get("DIGEST_INACTIVE_DAYS", "90"))
# People per digest task: one Celery message and one SMTP connection for them all.
DIGEST_BATCH = int(os.environ.get("DIGEST_BATCH", "50"))

# The notifications app keeps extra data (who reacted) in its JSON field.
DJANGO_NOTIFICATIONS_CONFIG = {"USE_JSONFIELD": True}

AUTH_USER_MODEL = "communities.Person"
# An integration's account never logs in, whatever password it may be given.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's password check, and single sign-on with OpenID Connect (accounts.sso)
# when OIDC_RP_CLIENT_ID is set.
# An integration's account never logs in (integrations.backends, first); then
# passwords, then single sign-on.
AUTHENTICATION_BACKENDS = [
    "integrations.backends.NoIntegrationLogins",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.sso.SignOnBackend",
]
# Logging in with a username and password on Kring's own login page (and the
# admin's); off, only single sign-on logs in, and the password pages are gone.
# ``manage.py changepassword`` still sets a password (it is no way in while off).
LOCAL_LOGIN = env_bool("LOCAL_LOGIN", True)
# The provider: its issuer (the endpoints are then read from
# <issuer>/.well-known/openid-configuration on first use), or each endpoint.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
# RP-initiated logout: logging out of Kring also ends the provider's session.
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_OP_LOGOUT_URL_METHOD = "accounts.sso.provider_logout_url"
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
# The id token is kept in the session for the provider's logout (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
# The claims that fill a person's job title and department at every login.
OIDC_CLAIM_JOB_TITLE = os.environ.get("OIDC_CLAIM_JOB_TITLE", "job_title")
OIDC_CLAIM_DEPARTMENT = os.environ.get("OIDC_CLAIM_DEPARTMENT", "department")
# An email address matches an existing person only if the provider says it is
# verified (email_verified); true trusts every address it sends (Entra ID sends no
# email_verified: only for a provider whose addresses the organisation assigns).
OIDC_TRUST_EMAIL = env_bool("OIDC_TRUST_EMAIL", False)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("nl", _("Dutch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
# Beat's schedule (digests at DIGEST_AT) runs in the organisation's time zone.
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Daphne serves static files itself unless a proxy in front does it.
SERVE_STATIC = env_bool("SERVE_STATIC", True)

# Uploaded files live here and are served only through a view that applies
# the visibility rule: there is deliberately no MEDIA_URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_MB", "10")) * 1024 * 1024
ATTACHMENTS_PER_POST = 10
# A file in the document library (documents) may be this large at most; the text
# kept of it for search, at most this many characters.
DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_MB", "25")) * 1024 * 1024
DOCUMENT_TEXT_MAX_CHARS = int(os.environ.get("DOCUMENT_TEXT_MAX_CHARS", "200000"))
DOCUMENTS_PER_PAGE = int(os.environ.get("DOCUMENTS_PER_PAGE", "25"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# A request body larger than this is refused (413) before it is read: by
# default every file a post may carry at its largest, and a megabyte for the
# form's fields (project.body_limit, realtime.daphne_server).
UPLOAD_BODY_MAX_BYTES = int(os.environ.get("UPLOAD_BODY_MAX_MB", "0")) * 1024 * 1024 or (
    ATTACHMENTS_PER_POST * ATTACHMENT_MAX_BYTES + 1024 * 1024
)
# Webhooks (integrations). An incoming delivery's body may be this large at most
# (refused unread above it). Outgoing ones go only to the hosts allowed here and
# in the admin; each is tried WEBHOOK_MAX_ATTEMPTS times at most, waiting the
# seconds in WEBHOOK_RETRY_SECONDS between tries (the last wait repeats), each
# try given WEBHOOK_TIMEOUT_SECONDS.
WEBHOOK_MAX_BYTES = int(os.environ.get("WEBHOOK_MAX_BYTES", str(64 * 1024)))
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS", "")
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_RETRY_SECONDS = [
    int(seconds) for seconds in env_list("WEBHOOK_RETRY_SECONDS", "30,120,600,3600,21600")
]
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
# Where files may be sent, by URL name (or namespace), and the most each body may
# be (never more than UPLOAD_BODY_MAX_BYTES): a post's files, the profile's one
# photo, the admin's uploads (the organisation's logo). Every other request may
# send no more than its form fields: Django's limit for those and a margin. A
# larger body is refused unread (limits.bodies).
UPLOAD_BODY_LIMITS = {
    "post_create": UPLOAD_BODY_MAX_BYTES,
    "post_create_home": UPLOAD_BODY_MAX_BYTES,
    "profile_edit": ATTACHMENT_MAX_BYTES + 1024 * 1024,
    "admin": ATTACHMENT_MAX_BYTES + 1024 * 1024,
    "document_upload": DOCUMENT_MAX_BYTES + 1024 * 1024,
    "document_replace": DOCUMENT_MAX_BYTES + 1024 * 1024,
    "api-document-list": DOCUMENT_MAX_BYTES + 1024 * 1024,
    "hook_incoming": WEBHOOK_MAX_BYTES,
}
FORM_BODY_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024
# A photo of more pixels than this is refused before it is decoded: a small
# file can claim 50,000 × 50,000 pixels and unpack to gigabytes. 50 million is
# more than any phone or camera photo (Pillow's MAX_IMAGE_PIXELS follows it).
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", "50000000"))
# Office and OpenDocument files are zip archives, checked from their directory
# without unpacking: refused if they would unpack to more than this, if a part
# unpacks to more than ARCHIVE_MAX_RATIO times its packed size (a "zip bomb";
# real documents stay well under 100), or if they hold more parts.
ARCHIVE_MAX_UNPACKED_BYTES = int(os.environ.get("ARCHIVE_MAX_UNPACKED_MB", "200")) * 1024 * 1024
ARCHIVE_MAX_RATIO = int(os.environ.get("ARCHIVE_MAX_RATIO", "100"))
ARCHIVE_MAX_ENTRIES = int(os.environ.get("ARCHIVE_MAX_ENTRIES", "5000"))

# A person's data download (a ZIP file): kept here, apart from MEDIA_ROOT and with no
# address of its own, for this many days; then beat deletes it.
DATA_EXPORT_ROOT = Path(os.environ.get("DATA_EXPORT_ROOT", VAR_DIR / "exports"))
DATA_EXPORT_DAYS = int(os.environ.get("DATA_EXPORT_DAYS", "7"))

# Posts per page of a feed; the next page is fetched by cursor.
FEED_PAGE_SIZE = int(os.environ.get("FEED_PAGE_SIZE", "20"))
# What a reconnecting page catches up on at most: new posts, and changed (and
# removed) posts it shows. A page that missed more says so and offers a reload.
CATCH_UP_POSTS = int(os.environ.get("CATCH_UP_POSTS", "200"))
CATCH_UP_CHANGES = int(os.environ.get("CATCH_UP_CHANGES", "50"))
POST_MAX_LENGTH = 5000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "daphne": {"level": "WARNING"},
        "django.channels.server": {"level": "WARNING"},
    },
}


# Browser security headers on every response. The content security policy lets
# a page run scripts and styles only from Kring itself: no inline script, no
# style attributes, no eval (htmx's allowEval is off). CSP_EXTRA adds sources
# ("img-src https://cdn.example.org, connect-src wss://live.example.org"; a
# directive and its sources, several separated by commas).
_CSP_SELF = "'self'"
_csp: dict[str, list[str]] = {
    "default-src": [_CSP_SELF],
    "script-src": [_CSP_SELF],
    "style-src": [_CSP_SELF],
    "img-src": [_CSP_SELF, "data:", "blob:"],
    "font-src": [_CSP_SELF],
    # 'self' covers the WebSocket (ws:/wss:) to the same host in CSP level 3.
    "connect-src": [_CSP_SELF],
    "media-src": [_CSP_SELF],
    "object-src": ["'none'"],
    "base-uri": [_CSP_SELF],
    "frame-ancestors": ["'none'"],
    "form-action": [_CSP_SELF],
    "manifest-src": [_CSP_SELF],
}
# Logging out may send the browser on to the provider (a form's redirect, which
# form-action governs).
if OIDC_OP_LOGOUT_ENDPOINT:
    _parts = urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    _csp["form-action"].append(f"{_parts.scheme}://{_parts.netloc}")
for _extra in env_list("CSP_EXTRA", ""):
    _directive, *_sources = _extra.split()
    _csp.setdefault(_directive, [_CSP_SELF]).extend(_sources)
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form refused by the CSRF check gets a page (or, over htmx, a message) in Kring's look.
CSRF_FAILURE_VIEW = "project.errors.csrf_failure"
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
