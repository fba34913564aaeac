"""A world for the privacy tests: Alice has something of everything, in an open and
a secret group; Bob and Carol write things of their own, some where Alice may not
read them."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from communities import actions, uploads
from communities.models import Group, Post, Reply
from people import actions as people_actions
from tests.conftest import Team, build_team
from tests.people.helpers import photo_bytes, upload

DOCUMENT = b"Notulen van het teamoverleg, alleen voor Alice.\n"


@dataclass
class World:
    team: Team
    secret: Group  # Bob's secret group, Alice a member
    elsewhere: Group  # Carol's secret group, without Alice
    closed: Group  # Carol's closed group, which Alice asked to join
    alice_open: Post
    alice_secret: Post
    bob_secret: Post
    carol_elsewhere: Post
    alice_reply: Reply
    carol_reply: Reply


def build_world() -> World:
    team = build_team()
    alice, bob, carol = team.people
    secret = actions.create_group(bob, name="Geheim overleg", privacy=Group.Privacy.SECRET)
    actions.add_member(bob, secret, alice)
    elsewhere = actions.create_group(carol, name="Anders", privacy=Group.Privacy.SECRET)
    closed = actions.create_group(carol, name="Team Noord", privacy=Group.Privacy.CLOSED)
    actions.request_to_join(alice, closed)
    people_actions.edit_profile(
        alice,
        job_title="Wijkverpleegkundige",
        department="Wijkzorg",
        location="Utrecht",
        phone="030 111 22 33",
        bio="Ik werk in de wijk.",
        expertise=["wondzorg", "decubitus bij ouderen"],
        photo=uploads.prepare_profile_photo(upload(content=photo_bytes(colour=(10, 200, 10)))),
    )
    bob_secret = actions.post_to_group(bob, secret, "Geheim bericht van Bob voor @alice")
    alice_reply = actions.reply_to_post(alice, bob_secret, "Antwoord van Alice in het geheim")
    actions.toggle_reaction(alice, bob_secret, "thanks")
    alice_secret = actions.post_to_group(
        alice,
        secret,
        "Geheime foto van Alice",
        files=[
            uploads.prepare(upload("wond.jpg", content=photo_bytes())),
            uploads.prepare(SimpleUploadedFile("notulen.txt", DOCUMENT)),
        ],
    )
    alice_open = actions.post_to_group(alice, team.group, "Open bericht van Alice #wondzorg")
    actions.edit_post(alice, alice_open, "Open bericht van Alice, bewerkt #wondzorg")
    carol_reply = actions.reply_to_post(carol, alice_open, "Reactie van Carol")
    actions.toggle_reaction(bob, alice_open, "like")
    carol_elsewhere = actions.post_to_group(carol, elsewhere, "Geheim van Carol @alice")
    actions.follow_person(alice, bob)
    actions.follow_person(bob, alice)
    actions.tell_of_new_posts(alice, tag_name="wondzorg")
    return World(
        team=team,
        secret=secret,
        elsewhere=elsewhere,
        closed=closed,
        alice_open=alice_open,
        alice_secret=alice_secret,
        bob_secret=bob_secret,
        carol_elsewhere=carol_elsewhere,
        alice_reply=alice_reply,
        carol_reply=carol_reply,
    )


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)
