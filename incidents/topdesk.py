"""Reading major incidents from TOPdesk's REST API (``/tas/api/incidents``).

Every minute (``incidents.tasks.poll_service_desk``) Kring asks for the open major
incidents and those closed in the last day, with an operator's application
password (Basic auth), and records each (``actions.record_incident``, a no-op when
nothing changed). One that is no longer among the open ones, and not among the
closed either, is marked resolved. When TOPdesk is down, refuses the password or
answers nonsense, this is logged and nothing changes; the next minute tries again.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from incidents import actions
from incidents.models import Incident, Source, Status

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
#: Closed incidents are asked for back this far.
CLOSED_WINDOW = timedelta(days=1)


class ServiceDeskError(Exception):
    """TOPdesk could not be read: nothing is changed this time."""


@dataclass(frozen=True)
class PollResult:
    seen: int
    changed: int
    resolved: int


def _time(value: Any) -> datetime | None:
    """TOPdesk writes ``2026-12-04T18:00:00.000+0000``."""
    if not value or not isinstance(value, str):
        return None
    parsed = None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def _name(value: Any) -> str:
    return str(value.get("name") or "") if isinstance(value, dict) else ""


def incident_fields(row: dict[str, Any], base_url: str) -> dict[str, Any]:
    """One TOPdesk incident as ``record_incident``'s fields."""
    closed = bool(row.get("closed")) or bool(row.get("completed"))
    fields: dict[str, Any] = {
        "number": str(row.get("number") or ""),
        "title": str(row.get("briefDescription") or row.get("number") or "?"),
        "status": Status.RESOLVED if closed else _name(row.get("processingStatus")),
        "impact": _name(row.get("impact")),
        "url": f"{base_url}/tas/secure/incident?unid={quote(str(row['id']))}",
    }
    opened = _time(row.get("callDate"))
    if opened:
        fields["opened_at"] = opened
    modified = _time(row.get("modificationDate"))
    if modified:
        fields["updated_at"] = modified
    if closed:
        fields["resolved_at"] = _time(row.get("closedDate")) or _time(row.get("completedDate"))
    return fields


def fetch(query: str) -> list[dict[str, Any]]:
    """One page of incidents matching the FIQL ``query``; ServiceDeskError if not."""
    base = settings.TOPDESK_URL
    if not base.startswith(("https://", "http://")):
        raise ServiceDeskError("TOPDESK_URL is not an http(s) address")
    url = f"{base}/tas/api/incidents?query={quote(query, safe='=;,<>!()')}&pageSize={PAGE_SIZE}"
    credentials = f"{settings.TOPDESK_USERNAME}:{settings.TOPDESK_APPLICATION_PASSWORD}"
    request = urllib.request.Request(  # noqa: S310 -- http(s) only, checked above
        url,
        headers={
            "Authorization": "Basic " + base64.b64encode(credentials.encode()).decode(),
            "Accept": "application/json",
        },
    )
    try:
        timeout = settings.TOPDESK_TIMEOUT_SECONDS
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            if response.status == 204:  # TOPdesk's "no incidents match"
                return []
            body = response.read(5 * 1024 * 1024)
    except urllib.error.HTTPError as error:
        raise ServiceDeskError(f"TOPdesk answered {error.code}") from None
    except (urllib.error.URLError, OSError) as error:
        raise ServiceDeskError(f"TOPdesk could not be reached: {error}") from None
    try:
        rows = json.loads(body) if body.strip() else []
    except ValueError:
        raise ServiceDeskError("TOPdesk's answer is not JSON") from None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and r.get("id") for r in rows):
        raise ServiceDeskError("TOPdesk's answer is not a list of incidents")
    return rows


def poll() -> PollResult:
    """Bring Kring's copy in line with TOPdesk; ServiceDeskError changes nothing."""
    base = settings.TOPDESK_URL
    since = (timezone.now() - CLOSED_WINDOW).strftime("%Y-%m-%dT%H:%M:%SZ")
    open_rows = fetch("majorCall==true;closed==false")
    closed_rows = fetch(f"majorCall==true;closed==true;closedDate=gt={since}")
    changed = 0
    seen: set[str] = set()
    for row in open_rows + closed_rows:
        external_id = str(row["id"])
        if external_id in seen:
            continue
        seen.add(external_id)
        _incident, change = actions.record_incident(
            Source.TOPDESK, external_id, **incident_fields(row, base)
        )
        changed += change is not None
    resolved = 0
    gone = (
        Incident.objects.filter(source=Source.TOPDESK)
        .exclude(status=Status.RESOLVED)
        .exclude(external_id__in=seen)
    )
    for incident in gone:
        _incident, change = actions.record_incident(
            Source.TOPDESK, incident.external_id, status=Status.RESOLVED
        )
        resolved += change is not None
    return PollResult(seen=len(seen), changed=changed, resolved=resolved)
