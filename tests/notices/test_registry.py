"""A kind of notification is added in one place: registered, it is made, listed,
counted, offered on the settings page and in unsubscribe links, and checked
against what it points at, with no migration and no form change."""

import pytest
from django.utils.translation import gettext_lazy

from communities.models import Group, Tag
from notices import actions, emails, queries, registry
from notices.models import Delivery
from tests.factories import GroupFactory, PersonFactory


@pytest.fixture
def a_new_kind(monkeypatch):
    """An app above notices registering its kind, as it would from its ready():
    here, "a #tag you follow has a new page", pointing at the tag's group."""
    for name in ("_preferences", "_targets", "_kinds"):
        monkeypatch.setattr(registry, name, dict(getattr(registry, name)))
    registry.register_preference("pages", gettext_lazy("New knowledge pages"), Delivery.IN_APP)
    # Its target: tags, all visible but one, so the test can see the rule applied.
    tags = registry.register_target(Tag, lambda person: Tag.objects.exclude(name="geheim"))
    return registry.register_kind(
        registry.Kind(
            "new_page",
            "pages",
            lambda notice: f"A new page about #{notice.target.name}",
            lambda notice: f"/tags/{notice.target.name}/",
            target=tags,
        )
    )


def test_a_registered_kind_is_made_listed_and_offered_in_the_settings(db, a_new_kind, client_for):
    alice, bob = PersonFactory(username="alice"), PersonFactory(username="bob")
    wondzorg = Tag.objects.create(name="wondzorg")
    actions.notify("new_page", alice, [bob], target=wondzorg)

    assert [n.text for n in queries.latest(bob)] == ["A new page about #wondzorg"]
    assert queries.unread_count(bob) == 1
    page = client_for(bob).get("/notifications/settings/").content.decode()
    assert "New knowledge pages" in page and 'name="pages"' in page
    assert emails.read_unsubscribe_token(emails.unsubscribe_token(bob.pk, "pages")) == (
        bob.pk,
        "pages",
    )
    actions.save_notification_preferences(bob, {"pages": Delivery.OFF})
    assert actions.notify("new_page", alice, [bob], target=wondzorg) == []


def test_a_registered_kind_is_checked_against_its_targets_rule(db, a_new_kind):
    alice, bob = PersonFactory(username="alice"), PersonFactory(username="bob")
    secret = Tag.objects.create(name="geheim")
    actions.notify("new_page", alice, [bob], target=secret)
    assert queries.latest(bob) == [] and queries.unread_count(bob) == 0


def test_an_unregistered_kind_is_refused_and_old_rows_of_one_are_not_shown(db, monkeypatch):
    alice, bob = PersonFactory(username="alice"), PersonFactory(username="bob")
    group = GroupFactory(members=[alice, bob], privacy=Group.Privacy.OPEN)
    with pytest.raises(ValueError, match="unregistered kind"):
        actions.notify("no_such_kind", alice, [bob], target=group)
    actions.notify("added", alice, [bob], target=group)
    assert len(queries.latest(bob)) == 1
    kinds = dict(registry._kinds)
    del kinds["added"]
    monkeypatch.setattr(registry, "_kinds", kinds)
    assert queries.latest(bob) == [] and queries.unread_count(bob) == 0
