"""The poller against a small TOPdesk-like server on 127.0.0.1: what it answers
becomes incidents; one gone from the open majors is resolved; a desk that is down,
refuses the password or answers nonsense changes nothing."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from incidents import tasks
from incidents.models import Incident, IncidentUpdate

pytestmark = pytest.mark.django_db

USER, PASSWORD = "kring", "app-password-1"


class Desk:
    """What the desk answers: open major incidents, closed ones, or a failure."""

    def __init__(self) -> None:
        self.open: list[dict] = []
        self.closed: list[dict] = []
        self.failure: tuple[int, bytes] | None = None
        self.queries: list[str] = []


def serve(desk: Desk):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.end_headers()
                return
            if desk.failure:
                status, body = desk.failure
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)
                return
            if url.path != "/tas/api/incidents":
                self.send_response(404)
                self.end_headers()
                return
            params = parse_qs(url.query)
            query = params["query"][0]
            assert params["pageSize"] == ["100"]
            desk.queries.append(query)
            rows = desk.closed if "closed==true" in query else desk.open
            if not rows:
                self.send_response(204)  # as TOPdesk answers an empty result
                self.end_headers()
                return
            body = json.dumps(rows).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture
def desk(settings):
    desk = Desk()
    server = serve(desk)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TOPDESK_URL = f"http://127.0.0.1:{server.server_port}"
    settings.TOPDESK_USERNAME = USER
    settings.TOPDESK_APPLICATION_PASSWORD = PASSWORD
    settings.TOPDESK_TIMEOUT_SECONDS = 5
    yield desk
    server.shutdown()
    server.server_close()


def row(unid="a1b2", status="Registered", **more) -> dict:
    return {
        "id": unid,
        "number": "I 2612 041",
        "briefDescription": "Email is down",
        "processingStatus": {"id": "x", "name": status},
        "impact": {"id": "y", "name": "Organisation"},
        "callDate": "2026-12-04T08:00:00.000+0000",
        "modificationDate": "2026-12-04T08:05:00.000+0000",
        "closed": False,
        "closedDate": None,
        **more,
    }


def test_open_major_incidents_become_incidents(desk, settings):
    desk.open = [row()]
    assert tasks.poll_service_desk() == 1
    incident = Incident.objects.get()
    assert (incident.source, incident.external_id, incident.number) == (
        "topdesk",
        "a1b2",
        "I 2612 041",
    )
    assert (incident.title, incident.status, incident.impact) == ("Email is down", "open", "high")
    assert incident.url == f"{settings.TOPDESK_URL}/tas/secure/incident?unid=a1b2"
    assert incident.opened_at.isoformat() == "2026-12-04T08:00:00+00:00"
    assert desk.queries[0] == "majorCall==true;closed==false"
    assert desk.queries[1].startswith("majorCall==true;closed==true;closedDate=gt=")


def test_polling_again_without_change_writes_nothing(desk):
    desk.open = [row()]
    tasks.poll_service_desk()
    assert tasks.poll_service_desk() == 0
    assert IncidentUpdate.objects.count() == 1


def test_a_change_and_a_closing_are_recorded(desk):
    desk.open = [row()]
    tasks.poll_service_desk()
    desk.open = [row(status="In behandeling")]
    assert tasks.poll_service_desk() == 1
    assert Incident.objects.get().status == "in_progress"
    desk.open = []
    desk.closed = [row(closed=True, closedDate="2026-12-04T09:30:00.000+0000")]
    assert tasks.poll_service_desk() == 1
    incident = Incident.objects.get()
    assert incident.status == "resolved"
    assert incident.resolved_at.isoformat() == "2026-12-04T09:30:00+00:00"


def test_one_gone_from_the_open_majors_is_resolved(desk):
    desk.open = [row("one"), row("two", briefDescription="Wifi is down")]
    tasks.poll_service_desk()
    desk.open = [row("two", briefDescription="Wifi is down")]
    assert tasks.poll_service_desk() == 1
    assert Incident.objects.get(external_id="one").status == "resolved"
    assert Incident.objects.get(external_id="two").status == "open"


@pytest.mark.parametrize(
    "failure",
    [(500, b"{}"), (200, b"<html>maintenance</html>"), (200, b'{"not": "a list"}')],
)
def test_a_desk_answering_nonsense_changes_nothing(desk, failure, caplog):
    desk.open = [row()]
    tasks.poll_service_desk()
    desk.failure = failure
    assert tasks.poll_service_desk() == -1
    assert Incident.objects.get().status == "open"  # not resolved for being unseen
    assert "Major incidents not read from TOPdesk" in caplog.text


def test_a_refused_password_changes_nothing(desk, settings, caplog):
    desk.open = [row()]
    settings.TOPDESK_APPLICATION_PASSWORD = "wrong"
    assert tasks.poll_service_desk() == -1
    assert not Incident.objects.exists()
    assert "401" in caplog.text


def test_a_desk_that_is_down_changes_nothing(desk, settings, caplog):
    from tests.live import free_port

    settings.TOPDESK_URL = f"http://127.0.0.1:{free_port()}"
    assert tasks.poll_service_desk() == -1
    assert not Incident.objects.exists()
    assert "could not be reached" in caplog.text


def test_without_a_desk_nothing_is_polled(settings):
    settings.TOPDESK_URL = ""
    assert tasks.poll_service_desk() == 0
