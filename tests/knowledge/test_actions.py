"""Writing knowledge pages: versions, restore, conflicts, "still correct", who may
write, and the hand-over when an owner's account is closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities import actions as core
from communities.models import Group, Membership
from knowledge import actions
from knowledge.actions import EditConflict, Steward
from knowledge.models import Page, PageVersion
from notices import queries as notice_queries
from tests.factories import GroupFactory, PersonFactory
from tests.knowledge.helpers import edit, make_page

pytestmark = pytest.mark.django_db


def test_a_page_is_rendered_sanitised_tagged_and_saved_as_version_1(team):
    page = make_page(
        team.alice,
        body="# Kop\n\n<script>alert(1)</script> **vet** #Wondzorg #decubitus",
        group=team.group,
    )
    assert "<script>" not in page.body_html and "&lt;script&gt;" in page.body_html
    assert "<strong>vet</strong>" in page.body_html
    assert sorted(t.name for t in page.tags.all()) == ["decubitus", "wondzorg"]
    assert page.version == 1 and page.owner_person == team.alice
    version = page.versions.get()
    assert (version.number, version.author, version.tags) == (1, team.alice, "decubitus wondzorg")


def test_every_save_is_a_new_version_and_restoring_makes_another(team):
    page = make_page(team.alice, body="Eerste tekst #a")
    edit(team.bob, page, "Tweede tekst #b")
    edit(team.carol, page, "Derde tekst #c")
    page = actions.restore_version(team.alice, page, 1)
    assert page.version == 4 and page.body == "Eerste tekst #a"
    assert [t.name for t in page.tags.all()] == ["a"]
    rows = list(PageVersion.objects.filter(page=page).order_by("number"))
    assert [(v.number, v.body, v.author.username) for v in rows] == [
        (1, "Eerste tekst #a", "alice"),
        (2, "Tweede tekst #b", "bob"),
        (3, "Derde tekst #c", "carol"),
        (4, "Eerste tekst #a", "alice"),
    ]
    assert rows[3].note == "restored version 1"
    with pytest.raises(ValidationError):
        actions.restore_version(team.alice, page, 99)


def test_a_second_edit_of_the_same_version_is_refused_and_writes_nothing(team):
    page = make_page(team.alice, body="Begin")
    edit(team.bob, page, "Bob was eerst", base=1)
    with pytest.raises(EditConflict) as clash:
        edit(team.carol, page, "Carol ook", base=1)
    assert clash.value.base == 1 and clash.value.page.version == 2
    page.refresh_from_db()
    assert page.body == "Bob was eerst" and page.versions.count() == 2
    # On top of the current version it saves.
    edit(team.carol, page, "Bob was eerst, Carol ook", base=2)
    page.refresh_from_db()
    assert page.version == 3 and page.body == "Bob was eerst, Carol ook"


def test_a_title_and_text_are_needed(team):
    with pytest.raises(ValidationError) as error:
        make_page(team.alice, title=" ", body=" ")
    assert set(error.value.error_dict) == {"title", "body"}
    assert not Page.objects.exists()


def test_who_may_write_members_of_the_group_or_anyone_for_organisation_wide(team):
    outsider = PersonFactory(username="dirk")
    with pytest.raises(PermissionDenied):
        make_page(outsider, group=team.group)
    in_group = make_page(team.alice, group=team.group)
    with pytest.raises(PermissionDenied):
        edit(outsider, in_group, "Niet van mij")
    with pytest.raises(PermissionDenied):
        actions.mark_still_correct(outsider, in_group)
    # An organisation-wide page is a wiki.
    everyone = make_page(team.alice)
    edit(outsider, everyone, "Iedereen mag")
    assert Page.objects.editable_by(outsider).get() == everyone


def test_readers_of_an_open_group_read_but_only_members_edit(team):
    outsider = PersonFactory(username="dirk")
    page = make_page(team.alice, group=team.group)
    assert Page.objects.visible_to(outsider).filter(pk=page.pk).exists()
    closed = GroupFactory(slug="dicht", privacy=Group.Privacy.CLOSED, members=[team.alice])
    hidden = make_page(team.alice, group=closed)
    assert not Page.objects.visible_to(outsider).filter(pk=hidden.pk).exists()
    assert not Page.objects.visible_to(team.bob).filter(pk=hidden.pk).exists()


def test_a_parent_is_in_the_same_group_or_organisation_wide_and_never_itself(team):
    top = make_page(team.alice, title="Boven")
    child = make_page(team.alice, title="Onder", group=team.group, parent=top)
    other = GroupFactory(slug="ander", members=[team.alice])
    with pytest.raises(ValidationError):
        make_page(team.alice, title="Elders", group=other, parent=child)
    with pytest.raises(ValidationError):
        edit(team.alice, top, "Rondje", parent=child)


def test_still_correct_records_who_checked_and_moves_the_review_date(team):
    page = make_page(team.alice, review_months=6)
    Page.objects.filter(pk=page.pk).update(created_at=timezone.now() - timedelta(days=200))
    page.refresh_from_db()
    assert page.past_review
    # Past its review date it stays online and is found.
    assert Page.objects.visible_to(team.bob).filter(pk=page.pk).exists()
    actions.mark_still_correct(team.bob, page)
    page.refresh_from_db()
    assert page.checked_by == team.bob and not page.past_review
    assert page.version == 1  # no version for a check


def test_an_owner_and_deputy_are_each_a_person_or_a_group(team):
    page = make_page(team.alice, owner=Steward(group=team.group), deputy=Steward(person=team.bob))
    assert page.owner == team.group and page.deputy == team.bob
    with pytest.raises(ValidationError):
        make_page(team.alice, owner=Steward(person=team.bob, group=team.group))


def _notices(person):
    return [n.kind for n in notice_queries.latest(person, 50)]


def test_a_closed_accounts_pages_pass_to_the_deputy_and_managers_are_told(
    team, django_capture_on_commit_callbacks
):
    admin = PersonFactory(username="beheer", is_staff=True, is_superuser=True)
    Membership.objects.filter(group=team.group, person=team.carol).update(role="manager")
    page = make_page(team.alice, group=team.group, deputy=Steward(person=team.bob))
    everyone = make_page(team.alice, title="Voor iedereen", deputy=Steward(group=team.group))
    with django_capture_on_commit_callbacks(execute=True):
        core.deactivate_person(admin, team.alice)
    page.refresh_from_db()
    everyone.refresh_from_db()
    assert (page.owner, page.deputy) == (team.bob, None)
    assert (everyone.owner, everyone.deputy) == (team.group, None)
    # The group's manager hears of both (the second: the managers of the owning group).
    assert _notices(team.carol).count(actions.PAGE_HANDED_OVER) == 2
    assert _notices(team.bob) == [actions.PAGE_HANDED_OVER]
    # The page stays online.
    assert Page.objects.visible_to(team.bob).filter(pk=page.pk).exists()


def test_someone_elses_edit_tells_the_owner(team, django_capture_on_commit_callbacks):
    page = make_page(team.alice, group=team.group)
    with django_capture_on_commit_callbacks(execute=True):
        edit(team.alice, page, "Mijn eigen wijziging")
    assert _notices(team.alice) == []
    with django_capture_on_commit_callbacks(execute=True):
        edit(team.bob, page, "Bob wijzigt")
    assert _notices(team.alice) == [actions.PAGE_CHANGED]


def test_without_a_deputy_the_page_stays_online_and_who_looks_after_it_is_told(
    team, django_capture_on_commit_callbacks
):
    admin = PersonFactory(username="beheer", is_staff=True, is_superuser=True)
    Membership.objects.filter(group=team.group, person=team.carol).update(role="manager")
    in_group = make_page(team.alice, group=team.group)
    everyone = make_page(team.alice, title="Voor iedereen")
    with django_capture_on_commit_callbacks(execute=True):
        core.deactivate_person(admin, team.alice)
    in_group.refresh_from_db()
    everyone.refresh_from_db()
    assert in_group.owner is None and everyone.owner is None
    assert _notices(team.carol) == [actions.PAGE_HANDED_OVER]
    # The administrator who closed the account is never told of their own doing;
    # another administrator is, for the organisation-wide page nobody looks after.
    other_admin = PersonFactory(username="beheer2", is_staff=True)
    leaver = PersonFactory(username="weg")
    make_page(leaver, title="Zonder eigenaar")
    with django_capture_on_commit_callbacks(execute=True):
        core.deactivate_person(admin, leaver)
    assert _notices(other_admin) == [actions.PAGE_HANDED_OVER]
    assert Page.objects.visible_to(team.bob).count() == 3
