"""The demo's major incidents: one being worked on (followed by a few colleagues),
one resolved a moment ago, as the service desk would have reported them."""

from __future__ import annotations

from datetime import datetime, timedelta

from communities.models import Person
from demo.library import Clock
from incidents import actions
from incidents.models import Incident, Source

#: Who follows the current incident.
FOLLOWERS = ["anouk", "bram"]


def load(people: dict[str, Person], now: datetime, clock: Clock) -> None:
    if Incident.objects.exists():
        return
    with clock(now - timedelta(minutes=50)):
        current, _ = actions.record_incident(
            Source.API,
            "demo-ecd",
            number="I 2612 041",
            title="Het elektronisch cliëntdossier is traag op alle locaties",
            status="open",
            impact="high",
            url="https://servicedesk.example/tas/secure/incident?unid=demo-ecd",
        )
    for username in FOLLOWERS:
        if username in people:
            actions.follow(people[username], current)
    with clock(now - timedelta(minutes=35)):
        actions.record_incident(Source.API, "demo-ecd", status="in progress")
    with clock(now - timedelta(minutes=90)):
        actions.record_incident(
            Source.API,
            "demo-print",
            number="I 2612 038",
            title="Printers op De Linde 2e verdieping printen niet",
            status="open",
            impact="medium",
        )
    with clock(now - timedelta(minutes=15)):
        actions.record_incident(Source.API, "demo-print", status="resolved")
