"""Administrators read the trail in the Django admin: superusers, and staff given the
"Can view audit entry" permission; nobody adds, changes or removes an entry there.
The list filters by what, who and when, searches, and costs the same queries for
three entries or thirty."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit import actions as audit
from audit import context
from audit.models import Entry, Verb
from tests.factories import PersonFactory

ENTRIES = "/admin/audit/entry/"


@pytest.fixture
def superuser(db):
    return PersonFactory(username="it", display_name="Ina de IT", is_staff=True, is_superuser=True)


@pytest.fixture
def entries(team, superuser):
    audit.record(Verb.MEMBER_REMOVED, actor=team.alice, target=team.bob, group=team.group)
    audit.record(Verb.PERSON_DEACTIVATED, actor=superuser, target=team.carol)
    return list(Entry.objects.all())


def client_of(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_a_superuser_reads_the_trail(entries, superuser):
    page = client_of(superuser).get(ENTRIES).content.decode()
    assert "Alice de Vries (alice)" in page and "Bob Jansen (bob)" in page
    assert "removed a member" in page and "deactivated an account" in page
    assert "Kenniskring wondzorg" in page


def test_staff_without_the_permission_are_refused_and_with_it_read(entries):
    helpdesk = PersonFactory(username="helpdesk", is_staff=True)
    assert client_of(helpdesk).get(ENTRIES).status_code == 403
    helpdesk.user_permissions.add(
        Permission.objects.get(codename="view_entry", content_type__app_label="audit")
    )
    page = client_of(helpdesk).get(ENTRIES)
    assert page.status_code == 200 and "Bob Jansen (bob)" in page.content.decode()


def test_nobody_adds_changes_or_removes_an_entry(entries, superuser):
    client = client_of(superuser)
    entry = Entry.objects.get(verb=Verb.MEMBER_REMOVED)
    assert client.get(f"{ENTRIES}add/").status_code == 403
    change = client.get(f"{ENTRIES}{entry.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    client.post(f"{ENTRIES}{entry.pk}/change/", {"actor_label": "someone else"})
    assert client.get(f"{ENTRIES}{entry.pk}/delete/").status_code == 403
    client.post(
        ENTRIES, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert client.post(f"{ENTRIES}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Entry.objects.get(pk=entry.pk).actor_label == "Alice de Vries (alice)"
    assert Entry.objects.count() == 2
    assert not Permission.objects.filter(
        content_type__app_label="audit", codename__regex="^(add|change|delete)_"
    ).exists()


def test_the_list_filters_by_what_who_and_when_and_searches(team, entries, superuser):
    client = client_of(superuser)

    def shown(query):
        page = client.get(ENTRIES, query).content.decode()
        return {name for name in ("Bob Jansen (bob)", "Carol Smit (carol)") if name in page}

    assert shown({"verb__exact": "member_removed"}) == {"Bob Jansen (bob)"}
    assert shown({"actor__id__exact": superuser.pk}) == {"Carol Smit (carol)"}
    assert shown({"q": "carol"}) == {"Carol Smit (carol)"}
    with context.acting_from(context.Origin("203.0.113.7", "", "POST /")):
        audit.record(Verb.STAFF_GRANTED, actor=team.alice, target=team.carol)
    assert "203.0.113.7" in client.get(ENTRIES, {"q": "203.0.113"}).content.decode()
    assert "203.0.113.7" not in client.get(ENTRIES, {"q": "198.51"}).content.decode()
    today = entries[0].created_at
    assert shown(
        {
            "created_at__year": today.year,
            "created_at__month": today.month,
            "created_at__day": today.day,
        }
    ) == {"Bob Jansen (bob)", "Carol Smit (carol)"}
    page = client.get(ENTRIES).content.decode()
    # Who acted is offered from the people in the trail, not from everyone.
    assert f"?actor__id__exact={team.alice.pk}" in page
    assert f"?actor__id__exact={team.carol.pk}" not in page


def test_the_list_costs_the_same_queries_for_few_entries_or_many(
    team, entries, superuser, django_assert_num_queries
):
    client = client_of(superuser)
    client.get(ENTRIES)  # the session is read once
    with CaptureQueriesContext(connection) as few:
        client.get(ENTRIES)
    for n in range(30):
        other = PersonFactory(username=f"manager{n}")
        audit.record(Verb.ROLE_CHANGED, actor=other, target=team.bob, group=team.group)
    with django_assert_num_queries(len(few)):
        page = client.get(ENTRIES).content.decode()
    assert page.count("changed a role") >= 30
