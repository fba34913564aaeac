"""The demo's shared knowledge: protocols, regulations and a newsletter as knowledge
pages with their histories (one past its review date), a document library with
#tags and real files (their text is found by search), and upcoming events, one
full with a waiting list. Written in the order it happened, with the clock turned
back (``clock``), like the rest of the demo's history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agenda import actions as agenda_actions
from agenda.models import Event
from communities.models import Group, Membership, Person
from demo import library_files
from documents import actions as document_actions
from documents.models import Document
from knowledge import actions as knowledge_actions
from knowledge.actions import Steward
from knowledge.models import Page

Clock = Callable[[datetime], AbstractContextManager[object]]

# (title, group or None (organisation-wide), owner, deputy, review months,
#  days ago it was last checked or None, versions [(author, days ago, text)], parent)
PAGES: list[tuple[Any, ...]] = [
    (
        "Protocollen",
        None,
        "noah",
        "pieter",
        12,
        None,
        [
            (
                "noah",
                40,
                "Alle protocollen van De Linde op één plek. Kies hieronder het protocol dat "
                "je zoekt, of zoek op een trefwoord.\n\nMis je een protocol? Laat het weten aan "
                "@pieter. #protocol",
            )
        ],
        None,
    ),
    (
        "Protocol decubitus en wondzorg",
        "Kenniskring wondzorg",
        "emma",
        None,  # the deputy is the kenniskring itself
        6,
        None,
        [
            (
                "emma",
                60,
                "## Doel\nDecubitus voorkomen en goed behandelen.\n\n## Stappen\n"
                "1. Beoordeel de huid bij elk zorgmoment.\n2. Wissel de houding om de twee uur.\n"
                "3. Leg de wond vast met een foto volgens het protocol wondfotografie.\n\n"
                "#wondzorg #protocol",
            ),
            (
                "anouk",
                30,
                "## Doel\nDecubitus voorkomen en goed behandelen.\n\n## Stappen\n"
                "1. Beoordeel de huid bij elk zorgmoment met de Braden-schaal.\n"
                "2. Wissel de houding om de twee tot drie uur.\n"
                "3. Leg de wond vast met een foto volgens het protocol wondfotografie.\n"
                "4. Bij veel exsudaat: een schuimverband, en overleg met de "
                "wondverpleegkundige.\n\n#wondzorg #protocol",
            ),
            (
                "emma",
                6,
                "## Doel\nDecubitus voorkomen en goed behandelen.\n\n## Stappen\n"
                "1. Beoordeel de huid bij elk zorgmoment met de Braden-schaal.\n"
                "2. Wissel de houding om de twee tot drie uur, en leg het vast in het dossier.\n"
                "3. Leg de wond vast met een foto volgens het protocol wondfotografie.\n"
                "4. Bij veel exsudaat: een schuimverband, en overleg met de "
                "wondverpleegkundige.\n\n## Meer weten\nHet handboek wondzorg staat bij de "
                "documenten van de kenniskring.\n\n#wondzorg #protocol",
            ),
        ],
        "Protocollen",
    ),
    (
        "Protocol medicatieoverdracht",
        None,
        "julia",
        "anna",
        12,
        10,
        [
            (
                "julia",
                50,
                "Bij elke overdracht van zorg gaat een actueel medicatieoverzicht mee.\n\n"
                "- Controleer het overzicht met de cliënt of de mantelzorger.\n"
                "- Noteer wijzigingen in het dossier.\n\n#protocol #medicatie",
            ),
            (
                "noah",
                20,
                "Vernieuwd per 1 januari. Bij elke overdracht van zorg gaat een actueel "
                "medicatieoverzicht mee.\n\n- Controleer het overzicht met de cliënt of de "
                "mantelzorger.\n- Noteer wijzigingen in het dossier.\n- Insulinepennen: noteer "
                "ook het type pen en de instelling.\n\n#protocol #medicatie",
            ),
        ],
        "Protocollen",
    ),
    (
        # Past its review date: it stays online, with a notice saying so.
        "Regeling thuiswerken",
        None,
        "lieke",
        "noah",
        12,
        None,
        [
            (
                "lieke",
                460,
                "Thuiswerken kan in overleg met je leidinggevende, tot twee dagen per week.\n\n"
                "## Vergoeding\nDe thuiswerkvergoeding is 2,35 euro per dag.\n\n## Arbo\n"
                "Vraag een bureaustoel aan via HR.\n\n#regeling #hr",
            ),
            (
                "noah",
                430,
                "Thuiswerken kan in overleg met je leidinggevende, tot twee dagen per week.\n\n"
                "## Vergoeding\nDe thuiswerkvergoeding is 2,35 euro per dag; je declareert "
                "via het personeelsportaal.\n\n## Arbo\nVraag een bureaustoel of een "
                "beeldscherm aan via HR.\n\n#regeling #hr",
            ),
        ],
        None,
    ),
    (
        "Nieuwsbrief december",
        None,
        "daan",
        "eva",
        6,
        None,
        [
            (
                "daan",
                3,
                "## In deze nieuwsbrief\n- De kwaliteitsdag 2027: schrijf je in via de agenda.\n"
                "- Het vernieuwde protocol medicatieoverdracht.\n- Kerstpakketten: vanaf "
                "18 december bij de receptie.\n\n#nieuwsbrief",
            )
        ],
        None,
    ),
    (
        "Tweestapsverificatie instellen",
        None,
        "thijs",
        "sem",
        24,
        90,
        [
            (
                "thijs",
                120,
                "1. Installeer een authenticator-app.\n2. Ga naar *Instellingen > Beveiliging*.\n"
                "3. Scan de QR-code.\n\nNieuwe telefoon? Zet eerst de app over, en meld het "
                "daarna bij de servicedesk.\n\n#ict #beveiliging",
            )
        ],
        None,
    ),
]

# (title, group or None, uploader, tags, description, file name, maker, content,
#  days ago, days ago of a newer version or None)
DOCUMENTS: list[tuple[Any, ...]] = [
    (
        "Handboek verbandmiddelen 2026",
        "Kenniskring wondzorg",
        "emma",
        ["handboek"],
        "Het handboek van de kenniskring.",
        "handboek-verbandmiddelen.docx",
        library_files.docx,
        [
            "Dit handboek beschrijft de wondzorg in De Linde.",
            "Bij veel exsudaat kies je een schuimverband of een alginaat.",
            "Decubitus voorkom je met wisselligging en huidobservatie.",
        ],
        21,
        5,
    ),
    (
        "Regeling reiskosten",
        None,
        "lieke",
        ["regeling", "hr"],
        "Wat je vergoed krijgt voor woon-werkverkeer en dienstreizen.",
        "regeling-reiskosten.pdf",
        library_files.pdf,
        [
            "Woon-werkverkeer: 0,23 euro per kilometer.",
            "Dienstreizen: 0,23 euro per kilometer, parkeren op declaratie.",
            "Declareren via het personeelsportaal.",
        ],
        35,
        None,
    ),
    (
        "Rooster feestdagen",
        None,
        "eva",
        ["rooster"],
        "Wie werkt wanneer rond de feestdagen.",
        "rooster-feestdagen.xlsx",
        library_files.xlsx,
        [
            ["Datum", "Locatie", "Dienst"],
            ["25-12", "Utrecht", "Vroege dienst"],
            ["26-12", "Amersfoort", "Late dienst"],
            ["31-12", "Zeist", "Nachtdienst"],
        ],
        9,
        None,
    ),
    (
        "Presentatie kwaliteitsdag",
        None,
        "pieter",
        ["kwaliteit"],
        "De dia's van de vorige kwaliteitsdag.",
        "kwaliteitsdag.pptx",
        library_files.pptx,
        [
            "Resultaten: de cliënttevredenheid steeg naar 8,4.",
            "Speerpunten: medicatieveiligheid en wondzorg.",
        ],
        60,
        None,
    ),
    (
        "Nieuwsbrief november",
        None,
        "daan",
        ["nieuwsbrief"],
        "De nieuwsbrief van november, om na te lezen.",
        "nieuwsbrief-november.odt",
        library_files.odt,
        [
            "Welkom aan de nieuwe collega's van Wijkzorg Nieuwegein.",
            "De griepvaccinatie is gestart.",
        ],
        30,
        None,
    ),
]

# (title, group or None, organiser, in days, hour, hours, place, online link, places,
#  going, waiting, description, all day)
EVENTS: list[tuple[Any, ...]] = [
    (
        # Full, with a waiting list.
        "Scholing nieuwe verbandmiddelen",
        "Kenniskring wondzorg",
        "emma",
        6,
        14,
        2,
        "Leslokaal 2, Amersfoort",
        "",
        4,
        ["sanne", "julia", "tess", "anouk"],
        ["bram", "noor"],
        "Een middag oefenen met de nieuwe schuimverbanden en alginaten. #wondzorg",
        False,
    ),
    (
        "Kwaliteitsdag 2027",
        None,
        "pieter",
        20,
        9,
        7,
        "Congrescentrum De Eenhoorn, Amersfoort",
        "",
        120,
        ["noah", "julia", "anouk", "lotte", "milan"],
        [],
        "De jaarlijkse kwaliteitsdag: workshops, de resultaten van het jaar en een lunch.",
        False,
    ),
    (
        "Teamoverleg Wijkzorg",
        "Team Wijkzorg Utrecht",
        "bram",
        2,
        10,
        1,
        "",
        "https://meet.example/wijkzorg",
        None,
        ["anouk", "fatima", "levi"],
        [],
        "De planning van de feestdagen en de overdracht.",
        False,
    ),
    (
        "Kerstmarkt",
        None,
        "eva",
        15,
        0,
        0,
        "Binnentuin, Utrecht",
        "",
        None,
        ["lucas", "daan", "bram"],
        [],
        "De hele dag kraampjes van collega's; de opbrengst gaat naar de voedselbank.",
        True,
    ),
]


def load(people: dict[str, Person], now: datetime, clock: Clock) -> None:
    """Pages, documents and events, unless the demo has them already."""
    if not Page.objects.exists():
        _pages(people, now, clock)
    if not Document.objects.exists():
        _documents(people, now, clock)
    if not Event.objects.exists():
        _events(people, now, clock)


def _group(name: str | None) -> Group | None:
    return None if name is None else Group.objects.get(name=name)


def _members(group: Group | None, names: list[str], people: dict[str, Person]) -> Iterator[Person]:
    """The people named who may take part (in a closed group: its members)."""
    for name in names:
        person = people[name]
        if (
            group is None
            or group.privacy == Group.Privacy.OPEN
            or Membership.objects.filter(group=group, person=person).exists()
        ):
            yield person


def _pages(people: dict[str, Person], now: datetime, clock: Clock) -> None:
    made: dict[str, Page] = {}
    for title, group_name, owner, deputy, months, checked, versions, parent in PAGES:
        group = _group(group_name)
        (author, days, body), *later = versions
        deputy_steward = Steward(person=people[deputy]) if deputy else Steward(group=group)
        at = now - timedelta(days=days)
        with clock(at):
            page = knowledge_actions.create_page(
                people[author],
                title=title,
                body=body,
                group=group,
                parent=made.get(parent or ""),
                owner=Steward(person=people[owner]),
                deputy=deputy_steward,
                review_months=months,
            )
        for author, days, body in later:
            with clock(now - timedelta(days=days)):
                page = knowledge_actions.edit_page(
                    people[author],
                    page,
                    base=page.version,
                    title=title,
                    body=body,
                    parent=page.parent,
                )
        if checked is not None:
            with clock(now - timedelta(days=checked)):
                knowledge_actions.mark_still_correct(people[owner], page)
        made[title] = page


def _documents(people: dict[str, Person], now: datetime, clock: Clock) -> None:
    for row in DOCUMENTS:
        title, group_name, uploader, tags, description, name, maker, content, days, newer = row
        person = people[uploader]
        with clock(now - timedelta(days=days)):
            document = document_actions.add_document(
                person,
                title=title,
                description=description,
                tags=tags,
                group=_group(group_name),
                file=_file(name, maker(title, content)),
            )
        if newer is not None:
            with clock(now - timedelta(days=newer)):
                document_actions.replace_file(
                    person, document, _file(name, maker(title, [*content, "Herzien."]))
                )


def _file(name: str, content: bytes) -> document_actions.CheckedFile:
    return document_actions.check_file(SimpleUploadedFile(name, content))


def _events(people: dict[str, Person], now: datetime, clock: Clock) -> None:
    zone = timezone.get_default_timezone()
    today = timezone.localtime(now, zone).date()
    for row in EVENTS:
        title, group_name, organiser, in_days, hour, hours, place, online, places, *rest = row
        going, waiting, description, all_day = rest
        group = _group(group_name)
        day = today + timedelta(days=in_days)
        start = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
        fields: dict[str, object] = {
            "title": title,
            "place": place,
            "online_url": online,
            "capacity": places,
            "description": description,
        }
        if all_day:
            fields |= {"all_day": True, "start_date": day, "end_date": day}
        else:
            fields |= {"start": start, "end": start + timedelta(hours=hours)}
        # Announced in the last half hour (the newest cards of their feeds), answered since.
        created = now - timedelta(minutes=30 - in_days)
        with clock(created):
            event = agenda_actions.create_event(people[organiser], group, **fields)
        for n, person in enumerate(_members(group, going + waiting, people)):
            with clock(created + timedelta(seconds=20 * (n + 1))):
                agenda_actions.sign_up(person, event)
