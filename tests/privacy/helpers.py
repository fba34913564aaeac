"""A world for the privacy tests: Alice has something of everything, in an open and
a secret group; Bob and Carol write things of their own, some where Alice may not
read them."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from agenda import actions as agenda_actions
from agenda.models import Event
from communities import actions, uploads
from communities.models import Group, Membership, Post, Reply
from documents import actions as document_actions
from documents.models import Document
from knowledge import actions as knowledge_actions
from knowledge.models import Page
from people import actions as people_actions
from tests.agenda.helpers import make_event
from tests.conftest import Team, build_team
from tests.documents.files import docx_bytes
from tests.documents.helpers import add, checked
from tests.knowledge.helpers import edit, make_page
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


@dataclass
class Shelf:
    """What Alice and the others did in knowledge pages, the document library and the
    agenda, on top of the world."""

    alice_page: Page  # Alice's page in the team's group, Bob her deputy
    bob_page: Page  # Bob's organisation-wide page, which Alice and Carol edited
    carol_page: Page  # Carol's page in the team's group, Alice its deputy
    mention_page: Page  # Bob's page that mentions Alice
    carol_secret_page: Page  # Carol's page in her secret group, without Alice
    alice_document: Document
    bob_document: Document  # in the team's group; Alice (a manager) uploaded version 2
    carol_secret_document: Document
    full_event: Event  # Bob's, one place: Alice goes, Carol waits
    alice_event: Event  # organised by Alice, Bob goes
    declined_event: Event  # Carol's, Alice is not going
    carol_secret_event: Event


def build_shelf(world: World) -> Shelf:
    alice, bob, carol = world.team.people
    group = world.team.group
    alice_page = make_page(
        alice,
        title="Wondverband kiezen",
        body="Kies het verband bij #wondzorg",
        group=group,
        deputy=knowledge_actions.Steward(person=bob),
    )
    bob_page = make_page(bob, title="Parkeerbeleid", body="Parkeren achter het gebouw.")
    edit(alice, bob_page, "Parkeren achter het gebouw, vak 3.", note="vak erbij")
    edit(carol, bob_page, "Parkeren achter het gebouw, vak 3 of 4.", note="aanvulling van Carol")
    carol_page = make_page(
        carol,
        title="Roosters",
        body="Het rooster staat op de site.",
        group=group,
        deputy=knowledge_actions.Steward(person=alice),
    )
    mention_page = make_page(bob, title="Wie weet wat", body="Over wonden: vraag het @alice.")
    carol_secret_page = make_page(
        carol, title="Geheime pagina van Carol", body="Alleen voor Anders.", group=world.elsewhere
    )
    alice_document = add(alice, title="Handboek verbandkeuze", name="handboek.docx")
    # Alice manages the team's group: she may put a new version of Bob's document.
    Membership.objects.filter(group=group, person=alice).update(role=Membership.Role.MANAGER)
    bob_document = add(bob, title="Protocol van Bob", group=group, name="protocol.docx")
    document_actions.replace_file(
        alice, bob_document, checked("protocol-v2.docx", docx_bytes("versie van Alice"))
    )
    carol_secret_document = add(
        carol, title="Geheim document van Carol", group=world.elsewhere, name="geheim.docx"
    )
    full_event = make_event(bob, group, title="Teamuitje", capacity=1)
    agenda_actions.sign_up(alice, full_event)
    agenda_actions.sign_up(carol, full_event)
    alice_event = make_event(alice, None, title="Intervisie verbandkeuze", days=5)
    agenda_actions.sign_up(bob, alice_event)
    declined_event = make_event(carol, group, title="Scholing tillen", days=7)
    agenda_actions.decline(alice, declined_event)
    carol_secret_event = make_event(carol, world.elsewhere, title="Geheim overleg van Carol")
    agenda_actions.sign_up(carol, carol_secret_event)
    agenda_actions.new_calendar_link(alice)
    return Shelf(
        alice_page=alice_page,
        bob_page=bob_page,
        carol_page=carol_page,
        mention_page=mention_page,
        carol_secret_page=carol_secret_page,
        alice_document=alice_document,
        bob_document=bob_document,
        carol_secret_document=carol_secret_document,
        full_event=full_event,
        alice_event=alice_event,
        declined_event=declined_event,
        carol_secret_event=carol_secret_event,
    )
