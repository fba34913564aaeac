"""What administrators do to accounts is in the audit trail: deactivating and
reactivating (the admin's list action and the change form), admin-site and superuser
status, the coach role, and a group's privacy and memberships changed in the admin."""

from __future__ import annotations

import sys

import pytest
from celery import shared_task
from django.core.exceptions import PermissionDenied

from audit.models import Entry, Verb
from communities import actions
from communities.models import Group, Membership, Person
from tests.audit.helpers import assert_from_the_browser, client_from_address, only_entry
from tests.factories import PersonFactory

PEOPLE = "/admin/communities/person/"


@pytest.fixture
def admin(db):
    return PersonFactory(username="it", display_name="Ina de IT", is_staff=True, is_superuser=True)


def change_form(person: Person, **changes) -> dict:
    """What the admin's change form sends for ``person``, with ``changes`` made."""
    fields = {
        "username": person.username,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "display_name": person.display_name,
        "job_title": person.job_title,
        "department": person.department,
        "location": person.location,
        "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
        "is_active": person.is_active,
        "is_staff": person.is_staff,
        "is_superuser": person.is_superuser,
        "is_coach": person.is_coach,
        **changes,
    }
    return {name: value for name, value in fields.items() if value is not False}


def admin_errors(response) -> str:
    form = response.context["adminform"].form
    inlines = [f.formset.errors for f in response.context["inline_admin_formsets"]]
    return f"{form.errors} {inlines}"


def test_deactivating_and_reactivating_through_the_admins_list_action(team, admin):
    client = client_from_address(admin)
    response = client.post(
        PEOPLE, {"action": "deactivate", "_selected_action": [team.bob.pk, team.carol.pk]}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk__in=[team.bob.pk, team.carol.pk], is_active=True).exists()
    entries = list(Entry.objects.order_by("target__username"))
    assert [(e.verb, e.actor, e.target) for e in entries] == [
        (Verb.PERSON_DEACTIVATED, admin, team.bob),
        (Verb.PERSON_DEACTIVATED, admin, team.carol),
    ]
    assert_from_the_browser(entries[0])
    Entry.objects.all().delete()
    client.post(PEOPLE, {"action": "reactivate", "_selected_action": [team.bob.pk]})
    entry = only_entry()
    assert (entry.verb, entry.target) == (Verb.PERSON_REACTIVATED, team.bob)
    assert Person.objects.get(pk=team.bob.pk).is_active


def test_deactivating_an_inactive_account_again_records_nothing(team, admin):
    actions.deactivate_person(admin, team.bob)
    Entry.objects.all().delete()
    client_from_address(admin).post(
        PEOPLE, {"action": "deactivate", "_selected_action": [team.bob.pk]}
    )
    assert not Entry.objects.exists()


def test_deactivation_is_saved_so_that_listeners_hear_it(team, admin):
    from django.db.models.signals import post_save

    heard = []

    def listen(sender, instance, update_fields=None, **kwargs):
        heard.append((instance.pk, instance.is_active, update_fields))

    post_save.connect(listen, sender=Person)
    try:
        actions.deactivate_person(admin, team.bob)
    finally:
        post_save.disconnect(listen, sender=Person)
    assert heard == [(team.bob.pk, False, frozenset({"is_active"}))]


def test_only_administrators_deactivate_and_not_themselves(team, admin):
    with pytest.raises(PermissionDenied):
        actions.deactivate_person(team.alice, team.bob)
    with pytest.raises(PermissionDenied):
        actions.deactivate_person(admin, admin)
    assert Person.objects.get(pk=team.bob.pk).is_active
    assert not Entry.objects.exists()


def test_the_change_form_records_each_account_flag_changed(team, admin):
    client = client_from_address(admin)
    response = client.post(
        f"{PEOPLE}{team.bob.pk}/change/",
        change_form(team.bob, is_staff=True, is_superuser=True, is_coach=True, is_active=False),
    )
    assert response.status_code == 302, admin_errors(response)
    bob = Person.objects.get(pk=team.bob.pk)
    assert (bob.is_staff, bob.is_superuser, bob.is_coach, bob.is_active) == (
        True,
        True,
        True,
        False,
    )
    entries = list(Entry.objects.all())
    assert {e.verb for e in entries} == {
        Verb.STAFF_GRANTED,
        Verb.SUPERUSER_GRANTED,
        Verb.COACH_GRANTED,
        Verb.PERSON_DEACTIVATED,
    }
    assert all(e.actor == admin and e.target == bob for e in entries)
    assert_from_the_browser(entries[0])
    Entry.objects.all().delete()
    client.post(f"{PEOPLE}{bob.pk}/change/", change_form(bob, is_staff=False, is_coach=False))
    assert {e.verb for e in Entry.objects.all()} == {Verb.STAFF_REMOVED, Verb.COACH_REMOVED}


def test_a_change_form_that_changes_no_flag_records_nothing(team, admin):
    client_from_address(admin).post(
        f"{PEOPLE}{team.bob.pk}/change/", change_form(team.bob, job_title="Teamleider")
    )
    assert Person.objects.get(pk=team.bob.pk).job_title == "Teamleider"
    assert not Entry.objects.exists()


def test_making_a_coach_names_who_decided(team, admin):
    actions.make_coach(team.bob, by=admin)
    entry = only_entry()
    assert (entry.verb, entry.actor, entry.target) == (Verb.COACH_GRANTED, admin, team.bob)
    with pytest.raises(PermissionDenied):
        actions.make_coach(team.carol, by=team.alice)


def test_outside_a_request_the_system_acts_through_the_command(team, monkeypatch):
    """As ``manage.py load_demo`` makes its coaches."""
    monkeypatch.setattr(sys, "argv", ["manage.py", "load_demo", "--if-empty"])
    actions.make_coach(team.bob, by=None)
    entry = only_entry()
    assert (entry.actor, entry.actor_label, entry.target) == (None, "system", team.bob)
    assert (entry.origin, entry.ip_address, entry.user_agent) == ("manage.py load_demo", None, "")


@shared_task
def coach_bob() -> None:
    actions.make_coach(Person.objects.get(username="bob"), by=None)


def test_in_a_celery_task_the_system_acts_through_the_task(team):
    coach_bob.apply()
    entry = only_entry()
    assert (entry.actor_label, entry.origin) == ("system", f"task {coach_bob.name}")


def test_a_groups_privacy_changed_in_the_admin_is_recorded(team, admin):
    group = team.group
    response = client_from_address(admin).post(
        f"/admin/communities/group/{group.pk}/change/",
        {
            "name": group.name,
            "slug": group.slug,
            "description": group.description,
            "privacy": Group.Privacy.SECRET,
            "created_by": team.alice.pk,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, admin_errors(response)
    entry = only_entry()
    assert (entry.verb, entry.actor, entry.group) == (Verb.GROUP_PRIVACY_CHANGED, admin, group)
    assert entry.detail == {"old": "open", "new": "secret"}
    assert_from_the_browser(entry)


def test_memberships_changed_in_the_admin_are_recorded(team, admin):
    group = team.group
    alice, bob = (Membership.objects.get(group=group, person=p) for p in (team.alice, team.bob))
    data = {
        "name": group.name,
        "slug": group.slug,
        "description": group.description,
        "privacy": group.privacy,
        "created_by": team.alice.pk,
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "2",
        "memberships-0-id": alice.pk,
        "memberships-0-group": group.pk,
        "memberships-0-person": team.alice.pk,
        "memberships-0-role": "owner",
        "memberships-1-id": bob.pk,
        "memberships-1-group": group.pk,
        "memberships-1-person": team.bob.pk,
        "memberships-1-role": "member",
        "memberships-1-DELETE": "on",
    }
    response = client_from_address(admin).post(f"/admin/communities/group/{group.pk}/change/", data)
    assert response.status_code == 302, admin_errors(response)
    assert {(e.verb, e.target, frozenset(e.detail.items())) for e in Entry.objects.all()} == {
        (Verb.ROLE_CHANGED, team.alice, frozenset({"old": "member", "new": "owner"}.items())),
        (Verb.MEMBER_REMOVED, team.bob, frozenset({"role": "member"}.items())),
    }
