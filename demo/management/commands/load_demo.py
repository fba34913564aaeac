"""Load a small demo organisation: people, groups and a few weeks of posts.

Idempotent: people and groups are found by username and address, and a
group's history is written only while it has no posts, so running it twice
changes nothing. Everything is written through the actions (``communities.actions``),
the one write path: what the demo writes is announced as any other write is.
"""

import heapq
import io
import random
import unicodedata
from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from communities import actions
from communities.models import Group, Membership, Person, Post, Reaction
from communities.uploads import prepare, prepare_profile_photo
from demo import incidents as demo_incidents
from demo import insights as demo_insights
from demo import library
from demo import profiles as demo_profiles
from demo.profiles import PROFILES, WITHOUT_PHOTO, demo_portrait
from notices import queries as notice_queries
from notices.actions import mark_read_until, without_emails
from organisation import actions as organisation_actions
from organisation.images import prepare_logo
from people import actions as people_actions
from people.models import Profile

DEMO_PASSWORD = "kring-demo"  # noqa: S105 - printed for the newcomer; demo accounts only
# IT's account for the admin site (/admin/); printed by `make run` too.
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "kring-admin"  # noqa: S105 - demo only
# What each person has not read yet when the demo is loaded: the latest few.
UNREAD_KEPT = (3, 6)

# (username, display name, job title, department, location)
PEOPLE = [
    ("anouk", "Anouk de Vries", "Wijkverpleegkundige", "Wijkzorg", "Utrecht"),
    ("bram", "Bram Jansen", "Teamleider", "Wijkzorg", "Utrecht"),
    ("sanne", "Sanne Bakker", "Verpleegkundige", "Kliniek", "Amersfoort"),
    ("daan", "Daan Visser", "Communicatieadviseur", "Communicatie", "Utrecht"),
    ("fleur", "Fleur Smit", "Maatschappelijk werker", "Jeugd", "Zeist"),
    ("jeroen", "Jeroen van 't Hek", "Directeur", "Directie", "Utrecht"),
    ("lotte", "Lotte Mulder", "Community coach", "HR", "Utrecht"),
    ("thijs", "Thijs de Boer", "Functioneel beheerder", "ICT", "Amersfoort"),
    ("emma", "Emma Meijer", "Wondverpleegkundige", "Kliniek", "Amersfoort"),
    ("ruben", "Ruben de Groot", "Ambulant begeleider", "Jeugd", "Zeist"),
    ("noor", "Noor Bos", "Verzorgende IG", "Wijkzorg", "Nieuwegein"),
    ("lucas", "Lucas Vos", "Kok", "Facilitair", "Utrecht"),
    ("iris", "Iris Peters", "Psycholoog", "GGZ", "Zeist"),
    ("milan", "Milan Hendriks", "Praktijkopleider", "Opleiding", "Utrecht"),
    ("julia", "Julia van Leeuwen", "Verpleegkundig specialist", "Kliniek", "Amersfoort"),
    ("sem", "Sem Dekker", "Servicedeskmedewerker", "ICT", "Amersfoort"),
    ("eva", "Eva Brouwer", "Secretaresse", "Directie", "Utrecht"),
    ("finn", "Finn de Wit", "Activiteitenbegeleider", "Dagbesteding", "Nieuwegein"),
    ("zoë", "Zoë Dijkstra", "Gedragswetenschapper", "Jeugd", "Zeist"),
    ("levi", "Levi Smits", "Wijkverpleegkundige", "Wijkzorg", "Nieuwegein"),
    ("sara", "Sara de Graaf", "Fysiotherapeut", "Revalidatie", "Amersfoort"),
    ("noah", "Noah van der Meer", "Beleidsadviseur", "Kwaliteit", "Utrecht"),
    ("tess", "Tess van den Berg", "Verpleegkundige", "Kliniek", "Amersfoort"),
    ("mees", "Mees Koster", "Teamcoach", "Jeugd", "Zeist"),
    ("lieke", "Lieke Prins", "HR-adviseur", "HR", "Utrecht"),
    ("bas", "Bas van Dijk", "Huismeester", "Facilitair", "Nieuwegein"),
    ("fatima", "Fatima El Amrani", "Wijkverpleegkundige", "Wijkzorg", "Utrecht"),
    ("mohammed", "Mohammed Yilmaz", "Ergotherapeut", "Revalidatie", "Amersfoort"),
    ("anna", "Anna Kuipers", "Diëtist", "Kliniek", "Amersfoort"),
    ("pieter", "Pieter Willems", "Kwaliteitsfunctionaris", "Kwaliteit", "Utrecht"),
]

# (name, description, privacy, owner, member share, things people say)
GROUPS = [
    (
        "Organisatienieuws",
        "Nieuws van de organisatie voor iedereen.",
        Group.Privacy.OPEN,
        "daan",
        1.0,
        [
            "De nieuwe roosters voor december staan klaar in het systeem. #rooster",
            "Vanaf maandag is de parkeergarage aan de achterkant weer open.",
            "Welkom aan de zeven nieuwe collega's die deze maand begonnen!",
            "Het #mto loopt nog tot vrijdag. Doe je mee? Vragen kunnen naar @lieke.",
            "De kerstborrel is dit jaar op donderdag 18 december in Utrecht.",
            "Griepprik: haal hem op de locatie Amersfoort, dinsdag en donderdag.",
        ],
    ),
    (
        "Kenniskring wondzorg",
        "Kenniskring voor iedereen die met wondzorg werkt: vragen, richtlijnen, casuïstiek.",
        Group.Privacy.OPEN,
        "emma",
        0.4,
        [
            "Wie heeft ervaring met het nieuwe alginaatverband? #wondzorg",
            "De landelijke richtlijn #decubitus is bijgewerkt, vooral het stuk "
            "over wisselligging. #wondzorg",
            "Morgen intervisie over een lastige casus met een ulcus cruris, schuif "
            "gerust aan. @julia komt ook.",
            "Handige tip: foto's van wonden altijd met dezelfde afstand en "
            "hetzelfde licht. #wondzorg",
            "Is er iemand die de e-learning negatieve druktherapie al heeft gedaan?",
            "Vandaag een mooie genezing gezien na zes weken consequent zwachtelen.",
        ],
    ),
    (
        "Receptenkring",
        "Voor de lekkere dingen: recepten, lunchtips en traktaties.",
        Group.Privacy.OPEN,
        "lucas",
        0.5,
        [
            "Recept voor de #pompoensoep van vandaag: pompoen, ui, gember, "
            "kokosmelk. Simpel! #recept",
            "Wie heeft een goed recept voor een glutenvrije verjaardagstaart?",
            "Vandaag appeltaart in de kantine in Utrecht, op = op.",
            "Mijn favoriete snelle lunch: volkoren wrap met hummus en geroosterde groenten.",
            "Tip: bananenbrood bakken met overrijpe bananen, geen suiker nodig. #recept",
            "Wie doet er mee met de receptenwedstrijd voor de kerstlunch?",
        ],
    ),
    (
        "Team Wijkzorg Utrecht",
        "Het team Wijkzorg Utrecht: overdracht, planning en wat er speelt.",
        Group.Privacy.CLOSED,
        "bram",
        0.3,
        [
            "Kan iemand vrijdagavond mijn dienst overnemen? Ik ruil graag terug.",
            "Overleg over de nieuwe cliënten is verplaatst naar woensdag 10 uur.",
            "De auto met kenteken eindigend op 42 moet naar de garage, graag melden bij gebruik.",
            "Dank allemaal voor de flexibiliteit tijdens de griepgolf! #griep",
        ],
    ),
    (
        "Vertrouwenspersonen",
        "Voor de vertrouwenspersonen: casuïstiek en afstemming. Geheim: alleen "
        "leden zien deze groep.",
        Group.Privacy.SECRET,
        "lotte",
        0.1,
        [
            "Afstemming over de melding van vorige week: ik bel je morgen even.",
            "Nieuwe folder over de klachtenregeling is bijna klaar. #vertrouwenspersoon",
            "Denk aan de intervisie op donderdag, @anouk schuift ook aan.",
        ],
    ),
    (
        "ICT-meldingen",
        "Storingen en onderhoud aan systemen, van de servicedesk.",
        Group.Privacy.OPEN,
        "thijs",
        0.6,
        [
            "Gepland onderhoud aan het ECD zaterdag van 07:00 tot 09:00.",
            "Het wifi-netwerk in Amersfoort is weer stabiel, dank voor het melden.",
            "Let op: #phishing mail in omloop over 'uw salarisstrook'. Niet "
            "klikken! Twijfel? Bel @sem.",
            "Nieuwe versie van het roosterprogramma staat live, zie de korte handleiding.",
        ],
    ),
    (
        "Blog van de directeur",
        "Jeroen schrijft over wat hem bezighoudt. Reageren mag altijd.",
        Group.Privacy.OPEN,
        "jeroen",
        0.7,
        [
            "Deze week was ik op bezoek bij het team in Zeist. Wat een energie!",
            "Over de begroting: we investeren volgend jaar in opleiding en minder in vergaderen.",
            "Dank voor alle reacties op mijn vorige stuk. Ik neem ze mee naar het MT.",
            "Een intranet zonder gedeelde schijf: we zijn er bijna. Dank aan de "
            "ambassadeurs, en aan @lotte. #kring",
        ],
    ),
]

POSTS_PER_GROUP = 50
HISTORY_DAYS = 28
NEWS_GROUP = "Organisatienieuws"
BLOG = "Blog van de directeur"  # only the director writes here; others may join and read
NEWS_EDITORS = ["daan", "jeroen", "eva"]
# Someone waits for a manager of a closed group to let them in.
PENDING_REQUEST = ("Team Wijkzorg Utrecht", "sem")
# Follows that make the home timelines interesting; everyone also follows a few colleagues.
COACHES = ["lotte"]
ARTICLES = [
    (
        "Koers 2027: minder vergaderen, meer leren",
        "Volgend jaar investeren we in **opleiding** en in tijd voor elkaar.\n\n"
        "- Elke medewerker krijgt een eigen opleidingsbudget.\n"
        "- Overleggen duren standaard 25 minuten.\n"
        "- Kenniskringen krijgen een vaste plek in het rooster.\n\n"
        "Ik hoor graag wat jullie ervan vinden. #koers",
    ),
    (
        "Wat ik leerde op de nachtdienst",
        "Vorige week liep ik een nacht mee met het team in Amersfoort. "
        "Wat me het meest raakte: hoe vanzelfsprekend collega's elkaar opvangen.\n\n"
        "> Zonder elkaar redden we het niet.\n\n"
        "Dank aan @sanne en @tess voor de gastvrijheid.",
    ),
]
ANNOUNCEMENT = (
    "Nieuwe parkeerregels vanaf 1 december",
    "Vanaf 1 december parkeren bezoekers aan de voorkant en medewerkers aan de achterkant. "
    "Zie het bijgevoegde overzicht.",
)
REPLIES = [
    "Dank je, goed om te weten!",
    "Mooi, ik neem het mee in ons teamoverleg.",
    "Goede vraag, ik zoek het uit.",
    "Helemaal mee eens.",
    "Kun je de link nog eens delen?",
    "Top, dank voor het delen. @anouk, iets voor ons?",
]
# Questions a colleague answered: what search is for ("who knew that again?"). Each
# (group, days ago, asker, question, answerer, answer), written once.
THREADS = [
    (
        "Kenniskring wondzorg",
        6,
        "anouk",
        "Welk verband gebruiken jullie bij een geïnfecteerde wond met veel exsudaat? #wondzorg",
        "emma",
        "Bij veel exsudaat en infectie een zilverhoudend alginaat, en vraag de "
        "wondverpleegkundige mee te kijken als het na een week niet beter gaat.",
    ),
    (
        "Team Wijkzorg Utrecht",
        5,
        "anouk",
        "Wie weet hoe de nieuwe insulinepennen van de apotheek worden ingesteld?",
        "julia",
        "De instructiekaart zit in de doos; de diabetesverpleegkundige geeft donderdag uitleg "
        "aan alle verpleegkundigen van het team.",
    ),
    (
        "Organisatienieuws",
        8,
        "daan",
        "Het protocol medicatieoverdracht is vernieuwd. Lees het voor 1 januari. #protocol",
        "julia",
        "Staat de dubbele controle bij opiaten er ook in? Dat vragen de verpleegkundigen vaak.",
    ),
    (
        "ICT-meldingen",
        3,
        "bram",
        "Hoe zet ik de tweestapsverificatie over naar mijn nieuwe telefoon?",
        "thijs",
        "Meld je af op de oude telefoon, bel de servicedesk en scan daarna de nieuwe QR-code.",
    ),
    (
        "Vertrouwenspersonen",
        4,
        "lotte",
        "Het jaarverslag vertrouwenszaken staat in concept klaar; graag jullie reactie.",
        "anouk",
        "Gelezen: bij de meldingen over werkdruk mag de toelichting wat uitgebreider.",
    ),
]
TAG_FOLLOWS = {"anouk": ["wondzorg"], "bram": ["recept", "phishing"], "emma": ["wondzorg"]}


class Command(BaseCommand):
    help = "Load a small demo organisation (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if anyone already has an account (used by `make run`).",
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="Where Kring will be served."
        )

    def handle(self, *args, if_empty: bool = False, url: str = "", **options) -> None:
        if if_empty and Person.objects.exists():
            self.stdout.write("Database has people already; demo not loaded.")
            demo = list(Person.objects.filter(username__in=[PEOPLE[0][0], PEOPLE[1][0]]))
            if len(demo) == 2:
                self.stdout.write(self.style.SUCCESS(self._login_help(demo, url)))
            return
        rng = random.Random(2026)  # the same organisation every time
        # Hashing is slow on purpose; the demo accounts share one password, so hash it once.
        self.password = make_password(DEMO_PASSWORD)
        # The history notifies people (the bells show it) but emails no one.
        now = timezone.now()
        start = now - timedelta(days=HISTORY_DAYS + 1)
        # Everything is stamped with the moment it happens in the story: people and
        # groups before the history, then posts, replies and reactions in the order
        # they were made over the past weeks. Each step commits on its own, so what
        # it announces after commit (notifications) carries its moment too.
        with without_emails():
            with clock(start), transaction.atomic():
                people = [self._person(*row) for row in PEOPLE]
                self._admin()
                self._organisation()
                for person in people:
                    self._profile(person)
                histories = [self._group(rng, people, *row) for row in GROUPS]
                self._follows(rng, people)
                for coach in Person.objects.filter(username__in=COACHES):
                    actions.make_coach(coach, by=None)
            self._history(rng, [h for h in histories if h is not None], now)
            self._articles_announcements_and_files(people, now)
            # Knowledge pages, the document library and the agenda.
            library.load({p.username: p for p in Person.objects.all()}, now, clock)
            group_name, username = PENDING_REQUEST
            group = Group.objects.get(name=group_name)
            person = Person.objects.get(username=username)
            if not group.memberships.filter(person=person).exists():
                with clock(now - timedelta(hours=20)):
                    actions.request_to_join(person, group)
            self._read_most_notices(rng, people)
            # What the coach sees: use, searches, a past nudge, the roll-ups.
            demo_insights.load({p.username: p for p in people}, now, clock)
            # The service desk's major incidents on the home page.
            demo_incidents.load({p.username: p for p in people}, now, clock)
        self.stdout.write(self.style.SUCCESS(self._login_help(people, url)))

    def _person(self, username, display_name, job_title, department, location) -> Person:
        found = Person.objects.filter(username=username).first()
        if found is not None:
            return found
        return actions.add_person(
            username,
            display_name=display_name,
            # An address takes no accents (zoë is zoe@).
            email=unicodedata.normalize("NFKD", username).encode("ascii", "ignore").decode()
            + "@kring.example",
            password=self.password,
            job_title=job_title,
            department=department,
            location=location,
        )

    def _organisation(self) -> None:
        """The demo organisation's own style, set as an administrator would."""
        logo = SimpleUploadedFile("de-linde.png", demo_profiles.demo_logo(), "image/png")
        organisation_actions.update_style(
            name=demo_profiles.ORGANISATION_NAME,
            short_name=demo_profiles.ORGANISATION_SHORT_NAME,
            accent=demo_profiles.ORGANISATION_ACCENT,
            logo=prepare_logo(logo),
        )

    def _admin(self) -> None:
        if Person.objects.filter(username=ADMIN_USERNAME).exists():
            return
        admin = actions.add_person(
            ADMIN_USERNAME,
            display_name="Beheer Kring",
            email="beheer@kring.example",
            password=make_password(ADMIN_PASSWORD),
            job_title="Applicatiebeheerder",
            department="ICT",
            location="Amersfoort",
        )
        actions.make_administrator(admin)

    def _profile(self, person) -> None:
        if person.username not in PROFILES or Profile.objects.filter(person=person).exists():
            return
        phone, expertise, bio = PROFILES[person.username]
        photo = None
        if person.username not in WITHOUT_PHOTO:
            photo = prepare_profile_photo(
                SimpleUploadedFile(f"{person.username}.png", demo_portrait(person.username))
            )
        people_actions.edit_profile(
            person,
            job_title=person.job_title,
            department=person.department,
            location=person.location,
            phone=phone,
            bio=bio,
            expertise=expertise,
            photo=photo,
        )

    def _group(self, rng, people, name, description, privacy, owner_name, share, lines):
        """The group and its members; returns what its history needs, or None when it
        has one already."""
        owner = next(p for p in people if p.username == owner_name)
        group = Group.objects.filter(name=name).first()
        if group is None:
            group = actions.create_group(
                owner,
                name=name,
                description=description,
                privacy=privacy,
                is_news=name == NEWS_GROUP,
            )
        others = [p for p in people if p != owner]
        members = [owner, *rng.sample(others, round(len(others) * share))]
        # The two demo accounts printed below belong to every group but the
        # secret one, which only the first sees: log in as both to watch posts
        # arrive, and to see that a secret group stays secret.
        demo = people[:1] if privacy == Group.Privacy.SECRET else people[:2]
        members += [p for p in demo if p not in members]
        members = [p for p in members if (name, p.username) != PENDING_REQUEST]
        for person in members:
            if person != owner:
                self._bring_in(owner, group, person)
        authors = [owner] if name == BLOG else members
        if group.is_news:
            editors = [p for p in people if p.username in NEWS_EDITORS]
            for editor in editors:
                self._bring_in(owner, group, editor)
                if editor != owner:
                    actions.change_role(owner, group, editor, Membership.Role.MANAGER)
            authors = editors
        if group.posts.exists():
            return None
        return group, owner, authors, members, lines

    def _history(self, rng, histories, now: datetime) -> None:
        """Four weeks of posts in every group, with their replies and reactions a
        little later, written in the order they happened (so the newest is the
        last written, as in real life)."""
        events: list[tuple[datetime, int, tuple]] = []
        for group, owner, authors, members, lines in histories:
            for _ in range(POSTS_PER_GROUP):
                moment = now - timedelta(minutes=rng.randint(30, HISTORY_DAYS * 24 * 60))
                author = owner if rng.random() < 0.3 or len(authors) == 1 else rng.choice(authors)
                heapq.heappush(
                    events,
                    (moment, len(events), ("post", group, author, rng.choice(lines), members)),
                )
        fresh = {group.name: group for group, *_rest in histories}
        for group_name, days, asker, question, answerer, answer in THREADS:
            if group_name not in fresh:
                continue  # its history was written before
            heapq.heappush(
                events,
                (
                    now - timedelta(days=days, hours=1),
                    len(events),
                    (
                        "thread",
                        Group.objects.get(name=group_name),
                        asker,
                        question,
                        answerer,
                        answer,
                    ),
                ),
            )
        order = len(events)
        while events:
            moment, _n, event = heapq.heappop(events)
            with clock(moment):
                if event[0] == "post":
                    _kind, group, author, text, members = event
                    post = actions.post_to_group(author, group, text, created_at=moment)
                    for later in self._conversation(rng, post, members, moment):
                        order += 1
                        heapq.heappush(events, (later[0], order, later[1]))
                elif event[0] == "reply":
                    actions.reply_to_post(event[1], event[2], rng.choice(REPLIES))
                elif event[0] == "thread":
                    # A question, and an hour later the colleague who knew.
                    _kind, group, asker, question, answerer, answer = event
                    asked = actions.post_to_group(
                        Person.objects.get(username=asker), group, question, created_at=moment
                    )
                    order += 1
                    answering = Person.objects.get(username=answerer)
                    heapq.heappush(
                        events,
                        (moment + timedelta(hours=1), order, ("answer", answering, asked, answer)),
                    )
                elif event[0] == "answer":
                    actions.reply_to_post(event[1], event[2], event[3])
                else:
                    actions.toggle_reaction(event[1], event[2], event[3])

    @staticmethod
    def _bring_in(owner, group, person) -> None:
        """Into an open group people join themselves; into others the owner adds them."""
        if group.privacy == Group.Privacy.OPEN:
            actions.join_group(person, group)
        else:
            actions.add_member(owner, group, person)

    @staticmethod
    def _conversation(rng, post, members, moment: datetime) -> list:
        """A few replies and reactions, as people leave them in the minutes after."""
        later: list[tuple[datetime, tuple]] = []
        for replier in rng.sample(members, min(len(members), rng.choice([0, 0, 1, 1, 2, 3]))):
            at = moment + timedelta(minutes=rng.randint(2, 25))
            later.append((at, ("reply", replier, post)))
        for reactor in rng.sample(members, min(len(members), rng.randint(0, 6))):
            at = moment + timedelta(minutes=rng.randint(1, 25))
            later.append((at, ("react", reactor, post, rng.choice(Reaction.Kind.values))))
        return later

    @staticmethod
    def _read_most_notices(rng, people) -> None:
        """People read their notifications now and then: each has only the latest
        few unread, not four weeks of them."""
        for person in people:
            keep = rng.randint(*UNREAD_KEPT)
            rows = notice_queries.visible_rows(person).order_by("-timestamp", "-id")
            older = rows[keep : keep + 1].first()
            if older is not None:
                mark_read_until(person, older.timestamp)

    def _articles_announcements_and_files(self, people, now: datetime) -> None:
        """The director's articles, a pinned announcement, and some photos and
        documents, all made here (no downloads), in the last few days."""
        by_name = {p.username: p for p in people}
        blog = Group.objects.get(name=BLOG)
        if blog.posts.filter(kind=Post.Kind.ARTICLE).exists():
            return
        for days, (title, body) in zip([9, 3], ARTICLES, strict=True):
            at = now - timedelta(days=days, hours=2)
            with clock(at):
                actions.post_to_group(
                    by_name["jeroen"], blog, body, kind="article", title=title, created_at=at
                )
        news = Group.objects.get(name=NEWS_GROUP)
        title, body = ANNOUNCEMENT
        at = now - timedelta(days=2, hours=5)
        with clock(at):
            self._announce(by_name, news, title, body, at)
        recipes = Group.objects.get(name="Receptenkring")
        at = now - timedelta(hours=26)
        with clock(at):
            actions.post_to_group(
                by_name["lucas"],
                recipes,
                "Zo zag de pompoensoep eruit vandaag! #recept",
                files=[demo_file("pompoensoep.png", demo_photo((236, 140, 40)))],
                created_at=at,
            )
        wound_care = Group.objects.get(name="Kenniskring wondzorg")
        at = now - timedelta(days=4, hours=3)
        with clock(at):
            actions.post_to_group(
                by_name["emma"],
                wound_care,
                "Het protocol wondfotografie, zoals besproken. #wondzorg",
                files=[
                    demo_file("protocol-wondfotografie.pdf", demo_pdf("Protocol wondfotografie")),
                    demo_file("checklist.txt", b"Afstand 30 cm\nDaglicht\nLiniaal erbij\n"),
                ],
                created_at=at,
            )

    @staticmethod
    def _announce(by_name, news, title, body, at) -> None:
        announcement = actions.post_to_group(
            by_name["daan"],
            news,
            body,
            kind="announcement",
            title=title,
            files=[demo_file("parkeren.pdf", demo_pdf(title))],
            created_at=at,
        )
        actions.pin_announcement(by_name["daan"], announcement)

    def _follows(self, rng, people) -> None:
        for person in people:
            for other in rng.sample([p for p in people if p != person], 4):
                actions.follow_person(person, other)
            for tag in TAG_FOLLOWS.get(person.username, []):
                actions.follow_tag(person, tag)

    def _login_help(self, people, url: str) -> str:
        first, second = people[0], people[1]
        return (
            f"Demo organisation: {len(PEOPLE)} people, {len(GROUPS)} groups.\n"
            f"Open {url} and log in as '{first.username}' ({first}),\n"
            f"and in a second browser (or a private window) as '{second.username}' ({second}).\n"
            f"Every demo account uses the password '{DEMO_PASSWORD}'.\n"
            f"'{first.username}' is in the secret group 'Vertrouwenspersonen'; "
            f"'{second.username}' does not see it exists.\n"
            f"The administrator logs in as '{ADMIN_USERNAME}' with the password "
            f"'{ADMIN_PASSWORD}' (also at {url.rstrip('/')}/admin/)."
        )


@contextmanager
def clock(moment: datetime):
    """Turn the clock back while writing a piece of the demo's history: the actions
    stamp what they write with ``timezone.now()`` (replies, notifications), and a
    history all stamped with the minute it was loaded reads as no history at all."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def demo_photo(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    for n in range(8):
        draw.ellipse((100 + n * 120, 250, 200 + n * 120, 350), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with a title, written by Pillow."""
    image = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(image).text((120, 160), title, fill="black")
    out = io.BytesIO()
    image.save(out, "PDF")
    return out.getvalue()


def demo_file(name: str, content: bytes):
    return prepare(SimpleUploadedFile(name, content))
