"""On PostgreSQL, with real concurrent requests: two people taking the last place at
the same moment get one place between them, the other waits."""

import threading

import pytest
from django.db import connection
from django.test import Client

from agenda.models import Attendance
from tests.agenda.helpers import make_event

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _race(clients, url, data):
    """Each client posts at once (a barrier lets them go together), each thread on a
    database connection of its own."""
    barrier = threading.Barrier(len(clients))
    statuses = []

    def post(client):
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(url, data, HTTP_HX_REQUEST="true").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def test_two_people_taking_the_last_place_at_once_get_one_going_one_waiting(team):
    assert connection.vendor == "postgresql"
    for round_ in range(5):
        event = make_event(team.alice, team.group, title=f"Ronde {round_}", capacity=2)
        Attendance.objects.create(event=event, person=team.alice, status="going")
        clients = []
        for person in (team.bob, team.carol):
            client = Client()
            client.force_login(person)
            clients.append(client)
        statuses = _race(clients, f"/agenda/{event.pk}/answer/", {"answer": "going"})
        assert statuses == [200, 200]
        answers = sorted(
            Attendance.objects.filter(event=event)
            .exclude(person=team.alice)
            .values_list("status", flat=True)
        )
        assert answers == ["going", "waiting"], f"round {round_}: {answers}"
