"""The demo organisation `make run` loads (manage.py load_demo)."""

import os

import pytest
from django.core.management import call_command

from communities.models import Group, Person, Post
from demo.management.commands.load_demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_the_demo_organisation_loads_once(client):
    call_command("load_demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    counts = (Person.objects.count(), Group.objects.count(), Post.objects.count())
    assert counts[0] >= 30 and counts[1] >= 6 and counts[2] >= 200
    assert Group.objects.filter(name__icontains="kenniskring").exists()
    assert Group.objects.filter(name__icontains="recepten").exists()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Person.objects.count(), Group.objects.count(), Post.objects.count()) == counts
    assert client.login(username="anouk", password=DEMO_PASSWORD)
    assert "Receptenkring" in client.get("/groups/").content.decode()
    assert "Vertrouwenspersonen" in client.get("/groups/").content.decode()
    client.login(username="bram", password=DEMO_PASSWORD)
    assert "Vertrouwenspersonen" not in client.get("/groups/").content.decode()
