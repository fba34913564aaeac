"""What using Kring leaves for the coach: a day one opened Kring (once per day,
whatever the number of pages), and each full page shown counted for its page and
day, with nobody's name on it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from insights.models import ActiveDay, PageUse
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db


def views(place: str) -> int:
    row = PageUse.objects.filter(place=place, day=timezone.localdate()).first()
    return row.views if row else 0


def test_logging_in_counts_as_opening_kring_today_once():
    nurse = PersonFactory(username="nurse")
    client = Client()

    assert client.login(username="nurse", password=PASSWORD)
    client.get("/")
    client.get("/pages/")

    assert list(ActiveDay.objects.values_list("person", "day")) == [
        (nurse.pk, timezone.localdate())
    ]


def test_a_session_from_yesterday_opens_kring_again_today(client_for):
    nurse = PersonFactory(username="nurse")
    client = client_for(nurse)
    session = client.session
    session["insights_active_day"] = "2000-01-01"
    session.save()

    client.get("/")

    assert ActiveDay.objects.filter(person=nurse, day=timezone.localdate()).count() == 1


def test_each_page_shown_is_counted_for_its_page_and_day(client_for):
    client = client_for(PersonFactory(username="nurse"))

    client.get("/pages/")
    client.get("/pages/")
    client.get("/people/")
    client.get("/people/nurse/")

    assert (views("page_list"), views("directory"), views("person:nurse")) == (2, 1, 1)
    assert not PageUse.objects.filter(place__contains="nurse").exclude(place="person:nurse")


def test_fragments_errors_the_admin_and_strangers_are_not_page_use(client_for):
    client = client_for(PersonFactory(username="nurse", is_staff=True, is_superuser=True))

    client.get("/pages/", HTTP_HX_REQUEST="true")
    client.get("/people/suggest/", {"q": "nu"})  # a fragment a page's script fetches
    client.get("/pages/999999/")
    client.get("/admin/")
    Client().get("/login/")

    assert not PageUse.objects.exclude(place="").filter(views__gt=0).exists()
