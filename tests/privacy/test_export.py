"""A person downloads all their data: asked for on the settings page, prepared by the
worker (here: where it is queued), told by a notice, served to them alone, gone after
DATA_EXPORT_DAYS."""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import SignOn
from communities import actions as core_actions
from incidents import actions as incident_actions
from notices import actions as notice_actions
from notices import queries as notice_queries
from privacy import actions, tasks
from privacy.models import DataExport
from tests.privacy.helpers import DOCUMENT, build_world, downloaded, unzip


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


def ask_and_prepare(client, on_commit):
    """Alice asks on the settings page; the task runs once the request has committed."""
    with on_commit(execute=True):
        response = client.post("/settings/data/")
    assert response.status_code == 302 and response["Location"] == "/settings/#settings-data"
    return DataExport.objects.get()


def test_the_download_holds_all_of_hers_and_nothing_of_others_secret_posts(
    world, client_for, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    notice_actions.save_notification_preferences(alice, {"mention": "app", "language": "nl"})
    # Alice leaves the secret group: what she wrote there is still hers; what Bob
    # wrote there she may no longer read.
    core_actions.leave_group(alice, world.secret)
    SignOn.objects.create(person=alice, issuer="https://login.example.org", subject="alice-1")
    SignOn.objects.create(person=world.team.bob, issuer="https://login.example.org", subject="b")
    incident, _ = incident_actions.record_incident("api", "INC-7", number="I 7", title="Mail traag")
    incident_actions.follow(alice, incident)
    incident_actions.follow(world.team.bob, incident)
    client = client_for(alice)
    client.get("/search/", {"q": "Parkeervergunning"})
    client_for(world.team.bob).get("/search/", {"q": "Bobs eigen zoekvraag"})
    export = ask_and_prepare(client, django_capture_on_commit_callbacks)
    assert export.status == DataExport.Status.READY

    files = unzip(downloaded(client.get(f"/settings/data/{export.pk}/download/")))
    assert set(files) == {
        "README.txt",
        "profile.json",
        "posts.json",
        "replies.json",
        "reactions.json",
        "follows.json",
        "memberships.json",
        "join_requests.json",
        "articles_read.json",
        "notifications.json",
        "notification_settings.json",
        "logins.json",
        "access_tokens.json",
        "sign_ons.json",
        "searches.json",
        "knowledge_pages.json",
        "documents.json",
        "events.json",
        "activity.json",
        "incidents_followed.json",
        "files/profile-photo.jpg",
        *(
            f"files/posts/{world.alice_secret.pk}/{a.pk}-{a.name}"
            for a in world.alice_secret.attachments.all()
        ),
    }
    data = {name: json.loads(body) for name, body in files.items() if name.endswith(".json")}
    [sign_on] = data["sign_ons.json"]
    assert (sign_on["provider"], sign_on["subject"]) == ("https://login.example.org", "alice-1")
    [followed] = data["incidents_followed.json"]
    assert followed["incident"]["title"] == "Mail traag"
    assert followed["incident"]["address"].endswith(f"/incidents/{incident.pk}/")

    profile = data["profile.json"]
    assert (profile["username"], profile["email"], profile["phone"]) == (
        "alice",
        "alice@k.test",
        "030 111 22 33",
    )
    assert profile["about_me"] == "Ik werk in de wijk."
    assert profile["ask_me_about"] == ["decubitus bij ouderen", "wondzorg"]
    alice.refresh_from_db()
    assert files["files/profile-photo.jpg"] == alice.photo.read()

    posts = {post["text"]: post for post in data["posts.json"]}
    assert set(posts) == {"Geheime foto van Alice", "Open bericht van Alice, bewerkt #wondzorg"}
    edited = posts["Open bericht van Alice, bewerkt #wondzorg"]
    assert edited["earlier_versions"][0]["text"] == "Open bericht van Alice #wondzorg"
    assert edited["tags"] == ["wondzorg"] and edited["group"]["name"] == "Kenniskring wondzorg"
    photo, document = posts["Geheime foto van Alice"]["attachments"]
    assert posts["Geheime foto van Alice"]["group"]["name"] == "Geheim overleg"
    assert files[document["file"]] == DOCUMENT and document["name"] == "notulen.txt"
    assert files[photo["file"]] == world.alice_secret.attachments.get(name="wond.jpg").file.read()

    [reply] = data["replies.json"]
    assert reply["text"] == "Antwoord van Alice in het geheim"
    assert reply["post"]["id"] == world.bob_secret.pk
    assert reply["post"]["group"]["name"] == "Geheim overleg"
    [reaction] = data["reactions.json"]
    assert (reaction["reaction"], reaction["post"]["id"]) == ("thanks", world.bob_secret.pk)

    follows = data["follows.json"]
    assert [p["username"] for p in follows["people"]] == ["bob"]
    assert [p["username"] for p in follows["followers"]] == ["bob"]
    assert follows["tags"][0] == {**follows["tags"][0], "tag": "wondzorg"}
    assert follows["tags"][0]["tell_me_of_new_posts"] is True
    assert [m["group"]["name"] for m in data["memberships.json"]] == ["Kenniskring wondzorg"]
    [request] = data["join_requests.json"]
    assert (request["group"]["name"], request["status"]) == ("Team Noord", "pending")

    assert {n["kind"] for n in data["notifications.json"]} == {
        "added",
        "mention",
        "reaction",
        "reply",
        "follower",
    }
    seen = {n["kind"]: n for n in data["notifications.json"]}
    # Bob's mention is in the group she left: kind and time, not who or where.
    assert seen["mention"]["text"] is None
    assert seen["reply"]["text"] == "Carol Smit antwoordde op je bericht"
    [search] = data["searches.json"]
    assert (search["term"], search["results"], search["opened"]) == ("parkeervergunning", 0, None)
    prefs = data["notification_settings.json"]
    assert prefs["how_i_hear_of"]["mention"] == "app" and prefs["language"] == "nl"
    readme = files["README.txt"].decode()
    assert readme.startswith("Je gegevens uit Kring, Alice de Vries, zoals ze waren op")
    assert all(name.split("/")[0] in readme for name in files if name != "README.txt")

    # Nothing that others wrote: not Bob's secret post (which she may no longer read),
    # not Carol's post in a group Alice was never in, not even Carol's reply to her.
    everything = b"".join(files.values()).decode("utf-8", errors="replace")
    for theirs in ("Geheim bericht van Bob", "Geheim van Carol", "Reactie van Carol", "Anders"):
        assert theirs not in everything


def test_a_ready_download_is_told_and_linked_from_the_settings_page(
    world, client_for, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    client = client_for(alice)
    assert "Download my data" in client.get("/settings/").content.decode()
    export = ask_and_prepare(client, django_capture_on_commit_callbacks)

    [notice] = [n for n in notice_queries.latest(alice) if n.kind == "export_ready"]
    assert notice.text == "Your data download is ready"
    assert notice.url == "/settings/#settings-data"
    page = client.get("/settings/").content.decode()
    assert f'href="/settings/data/{export.pk}/download/"' in page
    assert "Prepare a new download" in page


def test_a_second_request_while_one_is_prepared_is_refused_and_said(world, client_for):
    alice = world.team.alice
    client = client_for(alice)
    # Without the commit callbacks the task does not run: the first stays in preparation.
    client.post("/settings/data/")
    page = client.get("/settings/").content.decode()
    assert "Your data is being prepared (you asked at" in page
    assert "Download my data" not in page
    response = client.post("/settings/data/", follow=True)
    assert "Your data is being prepared already" in response.content.decode()
    assert DataExport.objects.filter(person=alice).count() == 1
    with pytest.raises(ValidationError):
        actions.request_export(alice)


def test_a_request_lost_long_ago_does_not_block_a_new_one(world):
    alice = world.team.alice
    lost = actions.request_export(alice)
    DataExport.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - timedelta(days=1))
    fresh = actions.request_export(alice)
    assert list(DataExport.objects.filter(person=alice)) == [fresh]


def test_only_its_owner_downloads_it(world, client_for, client, django_capture_on_commit_callbacks):
    alice, bob = world.team.alice, world.team.bob
    export = ask_and_prepare(client_for(alice), django_capture_on_commit_callbacks)
    url = f"/settings/data/{export.pk}/download/"

    response = client_for(alice).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    assert client_for(bob).get(url).status_code == 404
    assert client.get(url).status_code == 302  # the login page
    # Kept apart from the uploaded files, which have no public address either.
    path = export.file.path
    assert path.startswith(str(settings.DATA_EXPORT_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_a_download_expires_and_beat_deletes_it(
    world, client_for, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    client = client_for(alice)
    export = ask_and_prepare(client, django_capture_on_commit_callbacks)
    path = export.file.path
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())

    assert client.get(f"/settings/data/{export.pk}/download/").status_code == 404
    assert "/download/" not in client.get("/settings/").content.decode()
    assert not [n for n in notice_queries.latest(alice) if n.kind == "export_ready"]
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.delete_expired_exports.delay().get() == 1
    assert not DataExport.objects.exists()
    assert not os.path.exists(path)


def test_a_failing_preparation_lets_her_ask_again(world, client_for, monkeypatch):
    alice = world.team.alice
    export = actions.request_export(alice)

    def broken(person, out):
        raise RuntimeError("a bug")

    monkeypatch.setattr("privacy.archive.write_archive", broken)
    with pytest.raises(RuntimeError):
        tasks.prepare_export.delay(export.pk).get()
    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED
    page = client_for(alice).get("/settings/").content.decode()
    assert "could not be prepared" in page and "Download my data" in page


def test_preparing_again_makes_no_second_file_or_notice(
    world, client_for, django_capture_on_commit_callbacks
):
    alice = world.team.alice
    export = ask_and_prepare(client_for(alice), django_capture_on_commit_callbacks)
    assert tasks.prepare_export.delay(export.pk).get() == "done before"
    assert len(list((settings.DATA_EXPORT_ROOT / str(alice.pk)).iterdir())) == 1
    assert [n.kind for n in notice_queries.latest(alice)].count("export_ready") == 1
