"""An administrator erases a person: their account, profile, files and notifications
go, their posts and replies stay readable under "Former colleague" (or are removed),
and nothing of them is left in the directory, suggestions, lists or on disk."""

from __future__ import annotations

import os

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied

from communities import actions as core_actions
from communities.models import Follow, Membership, Person, Post, Reaction, Reply
from notices import queries as notice_queries
from people.models import Expertise, Profile
from privacy import actions
from tests.factories import PersonFactory
from tests.privacy.helpers import build_world
from tests.sockets import settled, socket_of


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


@pytest.fixture
def admin(db):
    return PersonFactory(username="it", is_staff=True, is_superuser=True)


def files_of(alice: Person) -> list[str]:
    alice.refresh_from_db()
    names = [alice.photo.path, alice.photo_thumbnail.path]
    for post in Post.objects.filter(author=alice):
        for attachment in post.attachments.all():
            names += [attachment.file.path] + (
                [attachment.thumbnail.path] if attachment.thumbnail else []
            )
    return names


def erase(admin, person, on_commit, keep=True):
    with on_commit(execute=True):
        return actions.erase_person(admin, person, keep_contributions=keep)


def test_threads_stay_readable_under_former_colleague_without_a_link(
    world, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob = world.team.alice, world.team.bob
    erase(admin, alice, django_capture_on_commit_callbacks)
    client = client_for(bob)
    for lang, label in (("en", "Former colleague"), ("nl", "Voormalig collega")):
        html = client.get(
            f"/posts/{world.alice_open.pk}/", HTTP_ACCEPT_LANGUAGE=lang
        ).content.decode()
        assert "Open bericht van Alice, bewerkt" in html and "Reactie van Carol" in html
        assert (
            f'<span class="post-author" id="post-{world.alice_open.pk}-author">{label}</span>'
            in html
        )
        group = client.get("/groups/geheim-overleg/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert f'<span class="reply-author">{label}</span>' in group
        assert "Antwoord van Alice in het geheim" in group
        for page in (html, group):
            assert "Alice de Vries" not in page and "/people/alice/" not in page
            assert "avatar-former" in page


def test_nothing_of_her_stays_in_the_directory_suggestions_picker_or_lists(
    world, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob = world.team.alice, world.team.bob
    erase(admin, alice, django_capture_on_commit_callbacks)
    client = client_for(bob)
    for url in (
        "/people/?q=alice",
        "/people/?q=Vries",
        "/people/?expertise=decubitus-bij-ouderen",
        "/people/suggest/?q=ali",
        "/groups/geheim-overleg/members/suggest/?q=ali",
        "/groups/geheim-overleg/members/",
        "/people/bob/",
        "/notifications/",
        "/search/?q=alice",
        "/search/?q=Vries",
        "/search/?q=decubitus",
        "/search/?q=wijkverpleegkundige",
        "/search/suggestions/?q=ali",
    ):
        html = client.get(url).content.decode()
        traces = (
            "Alice de Vries",
            "/people/alice/",
            'data-username="alice"',
            'data-person="alice"',
        )
        for trace in (*traces, "Wijkverpleegkundige"):
            assert trace not in html, (url, trace)
    assert client.get("/people/alice/").status_code == 404
    assert not Expertise.objects.filter(slug="decubitus-bij-ouderen").exists()
    gone = Person.objects.get(pk=alice.pk)
    assert (gone.username.startswith("erased-"), gone.email, gone.display_name) == (True, "", "")
    assert not gone.is_active and not gone.has_usable_password()
    assert not Profile.objects.filter(person=gone).exists()
    for model, field in ((Reaction, "person"), (Follow, "follower"), (Follow, "person")):
        assert not model.objects.filter(**{field: gone}).exists()
    assert not Membership.objects.filter(person=gone).exists()
    assert not gone.join_requests.exists()


def test_her_files_go_from_disk_and_her_notifications_go(
    world, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob = world.team.alice, world.team.bob
    files = files_of(alice)
    assert all(os.path.exists(name) for name in files) and len(files) == 5
    assert notice_queries.latest(alice)
    # Bob was told that Alice follows him: a notice with her as its actor.
    assert any(n.actor.pk == alice.pk for n in notice_queries.latest(bob, limit=50))
    erase(admin, alice, django_capture_on_commit_callbacks)
    assert not any(os.path.exists(name) for name in files)
    assert not world.alice_secret.attachments.exists()
    assert notice_queries.everything_of(alice) == ([], [])
    assert not any(n.actor.pk == alice.pk for n in notice_queries.latest(bob, limit=50))


def test_her_sessions_end(world, admin, client_for, django_capture_on_commit_callbacks):
    alice = world.team.alice
    client = client_for(alice)
    assert Session.objects.count() == 1
    erase(admin, alice, django_capture_on_commit_callbacks)
    assert not Session.objects.exists()
    assert client.get("/").status_code == 302
    assert not get_user(client).is_authenticated


def test_mentions_of_her_in_others_posts_become_plain_text(
    world, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob = world.team.alice, world.team.bob
    with django_capture_on_commit_callbacks(execute=True):
        mention = core_actions.post_to_group(bob, world.team.group, "Dank je @alice!")
    assert "Alice de Vries" in Post.objects.get(pk=mention.pk).body_html
    erase(admin, alice, django_capture_on_commit_callbacks)
    html = Post.objects.get(pk=mention.pk).body_html
    assert "Alice de Vries" not in html and "/people/alice/" not in html
    assert "Dank je @alice!" in html


def test_remove_takes_her_posts_and_replies_off_every_page(
    world, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob = world.team.alice, world.team.bob
    erase(admin, alice, django_capture_on_commit_callbacks, keep=False)
    client = client_for(bob)
    group = client.get("/groups/geheim-overleg/").content.decode()
    assert "Geheime foto van Alice" not in group and "Antwoord van Alice" not in group
    assert "Geheim bericht van Bob" in group
    assert client.get(f"/posts/{world.alice_open.pk}/").status_code == 404
    assert Post.objects.get(pk=world.alice_secret.pk).body == ""
    assert Reply.objects.get(pk=world.alice_reply.pk).body == ""
    assert Post.objects.get(pk=world.bob_secret.pk).reply_count == 0


@pytest.mark.django_db(transaction=True)
async def test_remove_tells_open_pages_as_a_deletion_does():
    world = await database_sync_to_async(build_world)()
    admin = await database_sync_to_async(PersonFactory)(username="it", is_superuser=True)
    bob = world.team.bob
    socket = await socket_of(bob, "/ws/groups/geheim-overleg/")
    await settled(socket, bob)
    await database_sync_to_async(actions.erase_person)(admin, world.team.alice, False)
    received = "".join(await settled(socket, bob))
    assert f'hx-swap-oob="delete:#post-{world.alice_secret.pk}"' in received
    assert f'hx-swap-oob="delete:#reply-{world.alice_reply.pk}"' in received
    await socket.disconnect()


def test_her_groups_are_handed_over_and_the_confirmation_page_says_so(
    world, admin, client_for, django_capture_on_commit_callbacks
):
    alice, bob, carol = world.team.people
    with django_capture_on_commit_callbacks(execute=True):
        kept = core_actions.create_group(alice, name="Alice haar kring")
        core_actions.add_member(alice, kept, carol)
        core_actions.add_member(alice, kept, bob)
        core_actions.change_role(alice, kept, bob, Membership.Role.MANAGER)
        alone = core_actions.create_group(alice, name="Alleen Alice")
    client = client_for(admin)
    page = client.post(
        "/admin/communities/person/",
        {"action": "erase_people", "_selected_action": [alice.pk]},
    ).content.decode()
    assert "Alice de Vries" in page and "2 posts" in page and "1 reply" in page
    assert "They are the last owner of Alice haar kring: Bob Jansen becomes its owner." in page
    assert "They are the only member of Alleen Alice" in page

    # Without a choice for the posts, nothing happens and the page asks again.
    again = client.post(
        "/admin/communities/person/",
        {"action": "erase_people", "_selected_action": [alice.pk], "confirmed": "yes"},
    )
    assert again.status_code == 200 and "This field is required" in again.content.decode()
    assert Person.objects.get(pk=alice.pk).is_active

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/admin/communities/person/",
            {
                "action": "erase_people",
                "_selected_action": [alice.pk],
                "confirmed": "yes",
                "contributions": "keep",
            },
            follow=True,
        )
    assert "1 person erased." in done.content.decode()
    assert Membership.objects.get(group=kept, person=bob).role == Membership.Role.OWNER
    assert not Membership.objects.filter(group=alone).exists()


def test_only_an_administrator_erases_and_not_themselves(world, admin):
    with pytest.raises(PermissionDenied):
        actions.erase_person(world.team.bob, world.team.alice)
    with pytest.raises(PermissionDenied):
        actions.erase_person(admin, admin)
    assert Person.objects.get(pk=world.team.alice.pk).is_active


def test_a_failure_midway_leaves_nothing_half_done(
    world, admin, monkeypatch, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    files = files_of(alice)
    before = {
        "reactions": Reaction.objects.filter(person=alice).count(),
        "follows": Follow.objects.filter(follower=alice).count(),
        "memberships": Membership.objects.filter(person=alice).count(),
        "notices": len(notice_queries.everything_of(alice)[0]),
        "attachments": world.alice_secret.attachments.count(),
    }

    def broken(person):
        raise RuntimeError("the disk is gone")

    # The last step of all fails: everything before it is undone.
    monkeypatch.setattr("privacy.actions.audit_actions.forget_person", broken)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        actions.erase_person(admin, alice, keep_contributions=False)
    alice.refresh_from_db()
    assert (alice.username, alice.display_name, alice.is_active) == (
        "alice",
        "Alice de Vries",
        True,
    )
    assert Profile.objects.get(person=alice).phone == "030 111 22 33"
    assert Post.objects.get(pk=world.alice_secret.pk).deleted_at is None
    assert before == {
        "reactions": Reaction.objects.filter(person=alice).count(),
        "follows": Follow.objects.filter(follower=alice).count(),
        "memberships": Membership.objects.filter(person=alice).count(),
        "notices": len(notice_queries.everything_of(alice)[0]),
        "attachments": world.alice_secret.attachments.count(),
    }
    assert all(os.path.exists(name) for name in files)


def test_the_trail_keeps_the_erasure_but_not_who_was_erased(
    world, admin, django_capture_on_commit_callbacks
):
    from audit import actions as audit_actions
    from audit.models import Entry, Verb

    alice, bob = world.team.alice, world.team.bob
    audit_actions.record(Verb.MEMBER_ADDED, actor=alice, target=bob)
    audit_actions.record(Verb.ROLE_CHANGED, actor=bob, target=alice)
    erase(admin, alice, django_capture_on_commit_callbacks)

    erased = Entry.objects.get(verb=Verb.PERSON_ERASED)
    assert erased.actor == admin and erased.target is None
    assert erased.target_label == "erased person"
    assert erased.detail["person_id"] == alice.pk and erased.detail["keep_contributions"]
    labels = list(Entry.objects.values_list("actor_label", "target_label"))
    assert not [pair for pair in labels if any("Alice" in label for label in pair)]
    assert Entry.objects.filter(actor=alice).count() == 0
