"""An organisation at scale in its own PostgreSQL database, for the page benchmarks.

    python -m bench.dataset            # build it, or reuse the one already there
    python -m bench.dataset --force    # build it again

Builds, in the database ``kring_scale`` (``BENCH_SCALE_DATABASE_URL``), what
a large care organisation holds after two years of Kring: 10,000 people, 300
groups (organisation news; a few groups of thousands, many teams and circles
of 10 to 60; mostly open, some closed, a few secret), five or six memberships
per person, 1,000,000 posts by members over two years (a few deleted, a few
articles, a pinned announcement in news and in the biggest group), 3,000
#tags on a fifth of the posts, about 200 follows per person (people, tags,
groups), replies and reactions on the most recent posts, and some requests
to join closed groups. Then ``bench.usage`` adds how people used it (active
days, page views, searches, reads of articles) and rolls the days up, for the
coach's dashboard.

It is fast because it writes with PostgreSQL's COPY, never through the ORM
one row at a time: rows are generated in memory from a seeded random
generator (the same organisation every time) and streamed while PostgreSQL
stores them. Every account's password is ``kring-bench``, hashed once.

A finished build leaves a marker (a comment on the database, with the
dataset's version and counts); a later run that finds the same marker only
applies new migrations and keeps the data, and adds the use of
``bench.usage`` if the marker has none of its version yet.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import secrets
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from bench import usage

SCALE_DATABASE_URL = os.environ.get(
    "BENCH_SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kring_scale"
)
DATABASE_NAME = SCALE_DATABASE_URL.rsplit("/", 1)[1]
PASSWORD = "kring-bench"  # noqa: S105 - every account of the benchmark organisation
SEED = 2026
# Bump when what is generated changes, so an old dataset is rebuilt.
VERSION = 1

PEOPLE = 10_000
GROUPS = 300
POSTS = 1_000_000
HISTORY_DAYS = 730
TAGS = 3_000
TAGGED_SHARE = 0.2
NEWS_SHARE = 0.003
FOLLOWS_PER_PERSON = 200
# Replies and reactions go to the most recent posts, where conversation happens.
RECENT_POSTS = 50_000

FIRST_NAMES = [
    "Anouk", "Bram", "Sanne", "Daan", "Fleur", "Jeroen", "Lotte", "Thijs", "Emma", "Ruben", "Noor",
    "Lucas", "Iris", "Milan", "Julia", "Sem", "Eva", "Finn", "Zoë", "Levi", "Sara", "Noah", "Tess",
    "Mees", "Lieke", "Bas", "Fatima", "Mohammed", "Anna", "Pieter", "Sophie", "Tim", "Lisa",
    "Jesse", "Femke", "Koen", "Maud", "Lars", "Esther", "Joris", "Ilse", "Wouter", "Marieke",
    "Stijn", "Karin", "Hugo", "Nina", "Gijs", "Yara", "Olivier", "Amira", "Niels", "Roos", "Sven",
    "Ayşe", "Rik", "Hanna", "Tom", "Linda", "Kevin", "Mirjam", "Dennis", "Petra", "Youssef",
    "Ingrid", "Mark", "Hatice", "Erik", "Mila", "Arjen", "Elif"
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
    "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
    "Smits", "de Graaf", "van der Meer", "van den Berg", "Koster", "Prins", "van Dijk",
    "El Amrani", "Yilmaz", "Kuipers", "Willems", "Hoekstra", "Verhoeven", "Jacobs",
    "van der Linden", "Schouten", "Postma", "Kok", "Maas", "Vermeulen", "Huisman", "Kaya",
    "Bouzid", "Wijnands", "Verbeek", "Lammers", "Hermans", "Claassen", "Timmermans", "Molenaar"
]  # fmt: skip
DEPARTMENTS = {
    "Wijkzorg": ["Wijkverpleegkundige", "Verzorgende IG", "Teamleider", "Helpende"],
    "Kliniek": ["Verpleegkundige", "Verpleegkundig specialist", "Wondverpleegkundige"],
    "Jeugd": ["Ambulant begeleider", "Gedragswetenschapper", "Teamcoach"],
    "GGZ": ["Psycholoog", "Psychiater", "Sociaal psychiatrisch verpleegkundige"],
    "Revalidatie": ["Fysiotherapeut", "Ergotherapeut", "Logopedist"],
    "Dagbesteding": ["Activiteitenbegeleider", "Begeleider"],
    "Facilitair": ["Kok", "Huismeester", "Schoonmaker", "Receptionist"],
    "ICT": ["Functioneel beheerder", "Servicedeskmedewerker", "Architect"],
    "HR": ["HR-adviseur", "Recruiter", "Community coach"],
    "Kwaliteit": ["Kwaliteitsfunctionaris", "Beleidsadviseur"],
    "Communicatie": ["Communicatieadviseur", "Redacteur"],
    "Opleiding": ["Praktijkopleider", "Docent"],
    "Financiën": ["Controller", "Administrateur"],
    "Directie": ["Directeur", "Secretaresse", "Bestuurssecretaris"],
}
LOCATIONS = [
    "Utrecht", "Amersfoort", "Zeist", "Nieuwegein", "Houten", "Veenendaal", "Woerden", "Doorn"
]  # fmt: skip
TOPICS = [
    "wondzorg", "decubitus", "rooster", "griep", "mto", "phishing", "recept", "kerst",
    "valpreventie", "medicatie", "dementie", "palliatief", "mantelzorg", "hygiene", "ecd",
    "privacy", "scholing", "intervisie", "vakantie", "parkeren", "duurzaamheid", "fiets", "lunch",
    "verhuizing", "werkdruk", "vitaliteit", "stage", "innovatie", "domotica", "wifi", "telefonie",
    "veiligheid", "brandoefening", "bhv", "agressie", "voeding", "diabetes", "copd", "hartfalen",
    "revalidatie", "fysio", "ergo", "logopedie", "jeugdzorg", "ggz", "zelfzorg", "leefstijl",
    "beweging", "slaap", "rouw", "welkom", "afscheid", "jubileum", "congres"
]  # fmt: skip
QUALIFIERS = [
    "nieuws", "tips", "vragen", "richtlijn", "team", "utrecht", "amersfoort", "zeist",
    "nieuwegein", "houten", "veenendaal", "woerden", "doorn", "2025", "2026", "project", "pilot",
    "werkgroep", "training", "casus", "update", "overleg", "actie", "evaluatie", "planning",
    "onderzoek", "ervaring", "idee", "protocol", "handleiding", "app", "week", "dag", "maand",
    "avond", "nacht", "weekend", "kwartaal", "jaar", "plan", "wijk", "kliniek"
]  # fmt: skip
SENTENCES = [
    "Kan iemand vrijdagavond mijn dienst overnemen? Ik ruil graag terug.",
    "Het overleg over de nieuwe cliënten is verplaatst naar woensdag 10 uur.",
    "Dank allemaal voor de flexibiliteit tijdens de drukke weken!",
    "Wie heeft ervaring met het nieuwe alginaatverband?",
    "De landelijke richtlijn is bijgewerkt, vooral het stuk over wisselligging.",
    "Morgen intervisie over een lastige casus, schuif gerust aan.",
    "Handige tip: foto's van wonden altijd met dezelfde afstand en hetzelfde licht.",
    "Is er iemand die de e-learning al heeft gedaan?",
    "Vandaag appeltaart in de kantine, op = op.",
    "Wie heeft een goed recept voor een glutenvrije verjaardagstaart?",
    "Gepland onderhoud aan het ECD zaterdag van 07:00 tot 09:00.",
    "Het wifi-netwerk is weer stabiel, dank voor het melden.",
    "Let op: er gaat een verdachte mail rond over 'uw salarisstrook'. Niet klikken!",
    "Nieuwe versie van het roosterprogramma staat live, zie de korte handleiding.",
    "Deze week was ik op bezoek bij het team in Zeist. Wat een energie!",
    "De nieuwe roosters voor volgende maand staan klaar in het systeem.",
    "Welkom aan de nieuwe collega's die deze maand begonnen!",
    "De parkeergarage aan de achterkant is vanaf maandag weer open.",
    "Wie gaat er mee naar het congres in november?",
    "Vergeet niet je uren voor het einde van de maand in te vullen.",
    "Mooie genezing gezien na zes weken consequent zwachtelen.",
    "We zoeken nog twee collega's voor de werkgroep valpreventie.",
    "De scholing reanimatie is verplaatst naar de grote zaal.",
    "Heeft iemand de oplader van de dienstlaptop gezien?",
    "Vanaf volgende week werken we met de nieuwe overdrachtslijst.",
    "Fijn weekend allemaal, en succes aan wie dienst heeft.",
    "De evaluatie van de pilot is klaar; de resultaten zijn bemoedigend.",
    "Wie wil er meedenken over de inrichting van de nieuwe huiskamer?",
    "Graag even melden als je de auto meeneemt naar huis.",
    "De griepprik kun je dinsdag en donderdag halen op de locatie.",
    "Bedankt voor alle reacties, ik neem ze mee naar het MT.",
    "Onze cliënt van kamer 12 is vandaag jarig, kom je even langs?",
    "Er staat een nieuwe versie van het protocol op de kennisbank.",
    "Kunnen we de teamvergadering dit keer online doen?",
    "Wat een mooie dag was het gisteren op de heidag.",
    "Ik ben volgende week met vakantie, vragen kunnen naar mijn collega's.",
    "De lift in gebouw B is weer gerepareerd.",
    "Tip: de **nieuwe app** werkt ook op je eigen telefoon.",
    "Wie heeft er zin om mee te doen met de fietsuitdaging?",
    "De cijfers van het kwartaal staan op de teamsite.",
]
ARTICLE_PARAGRAPHS = [
    "Volgend jaar investeren we in **opleiding** en in tijd voor elkaar.",
    "- Elke medewerker krijgt een eigen opleidingsbudget.\n"
    "- Overleggen duren standaard 25 minuten.\n"
    "- Kenniskringen krijgen een vaste plek in het rooster.",
    "> Zonder elkaar redden we het niet.",
    "Wat me het meest raakte: hoe vanzelfsprekend collega's elkaar opvangen.",
    "De komende maanden testen we de nieuwe werkwijze in drie teams.",
    "Ik hoor graag wat jullie ervan vinden. Reageer hieronder of kom langs.",
]
TITLES = [
    "Koers voor het komende jaar",
    "Wat ik leerde op de nachtdienst",
    "Terugblik op de heidag",
    "Zo werken we straks samen",
    "Vijf vragen over het nieuwe rooster",
    "Een jaar kenniskringen",
]
REPLIES = [
    "Dank je, goed om te weten!",
    "Mooi, ik neem het mee in ons teamoverleg.",
    "Goede vraag, ik zoek het uit.",
    "Helemaal mee eens.",
    "Kun je de link nog eens delen?",
    "Top, dank voor het delen.",
    "Ik kan vrijdag wel, stuur me even een bericht.",
    "Wat goed om te horen!",
]
REACTION_KINDS = ["like", "thanks", "celebrate", "insightful", "support"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args()
    marker = ensure(force=args.force, log=lambda text: print(text, file=sys.stderr))
    print(json.dumps(marker))


def ensure(*, force: bool = False, log=lambda text: None) -> dict:
    """The dataset's marker, after building it if it is missing, outdated or ``force``d.

    Django must not have connected to the database yet: a rebuild drops it.
    """
    setup_django()
    wanted = {"dataset": "kring-bench", "version": VERSION, "seed": SEED}
    found = read_marker()
    if not force and found and all(found.get(k) == v for k, v in wanted.items()):
        log(f"{DATABASE_NAME} holds dataset version {VERSION} already; migrating only")
        migrate()
        return usage.ensure(found, log)
    started = time.perf_counter()
    recreate_database()
    migrate()
    log(f"database created and migrated in {time.perf_counter() - started:.1f} s")
    counts = Organisation(random.Random(SEED)).load(log)  # noqa: S311 - not for secrets
    marker = {**wanted, **counts, "seconds": round(time.perf_counter() - started, 1)}
    write_marker(marker)
    log(f"dataset ready in {marker['seconds']} s: {counts}")
    # How the organisation used Kring (bench.usage): filled in a step of its own, so
    # a dataset built before it is extended rather than built again.
    return usage.ensure(marker, log)


def write_marker(marker: dict) -> None:
    with psycopg.connect(SCALE_DATABASE_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(DATABASE_NAME), sql.Literal(json.dumps(marker))
            )
        )


def setup_django() -> None:
    """Django configured for the scale database (settings read the environment once)."""
    os.environ["DATABASE_URL"] = SCALE_DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    import django

    django.setup()


def read_marker() -> dict | None:
    with psycopg.connect(maintenance_url(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [DATABASE_NAME],
        ).fetchone()
    if not row or not row[0]:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None


def maintenance_url() -> str:
    return SCALE_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"


def recreate_database() -> None:
    name = sql.Identifier(DATABASE_NAME)
    with psycopg.connect(maintenance_url(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def migrate() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    connection.close()


# Generating -----------------------------------------------------------------------


@dataclass
class GroupPlan:
    id: int
    name: str
    slug: str
    privacy: str
    size: int
    is_news: bool = False
    members: list[int] = field(default_factory=list)  # person ids, owner and managers first
    managers: int = 1  # how many of members[:n] manage (members[0] owns)


class Organisation:
    """Generates the organisation from one random generator and COPYs it in."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.counts: dict[str, int] = {}

    def load(self, log) -> dict[str, int]:
        from django.contrib.auth.hashers import make_password

        self.password = make_password(PASSWORD)  # slow on purpose, so once for everyone
        with psycopg.connect(SCALE_DATABASE_URL) as conn:
            # No foreign-key triggers: the rows are consistent by construction,
            # and PostgreSQL would queue a check for each of millions of rows.
            conn.execute("SET session_replication_role = replica")
            conn.execute("SET synchronous_commit = off")
            steps = [
                ("people", self.people),
                ("groups", self.groups),
                ("memberships", self.memberships),
                ("tags", self.tags),
                ("posts", self.posts),
                ("replies and reactions", self.conversation),
                ("follows", self.follows),
                ("join requests", self.join_requests),
            ]
            for title, step in steps:
                started = time.perf_counter()
                step(conn)
                log(f"{title}: {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            reset_sequences(conn)
            conn.commit()
        with psycopg.connect(SCALE_DATABASE_URL, autocommit=True) as conn:
            # VACUUM sets the visibility map, as autovacuum would on a live
            # database, so index-only scans behave as in production.
            conn.execute("VACUUM (ANALYZE)")
        log(f"sequences, vacuum and analyze: {time.perf_counter() - started:.1f} s")
        return self.counts

    # People and groups ----------------------------------------------------------------

    def people(self, conn) -> None:
        rng = self.rng
        departments = list(DEPARTMENTS)
        taken: set[str] = set()
        self.active: list[int] = []
        rows = []
        for pk in range(1, PEOPLE + 1):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            base = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
            username = base
            for n in itertools.count(2):
                if username not in taken:
                    break
                username = f"{base}{n}"
            taken.add(username)
            department = rng.choice(departments)
            # A few have left: their posts and memberships stay, they no longer log in.
            is_active = rng.random() > 0.01
            if is_active:
                self.active.append(pk)
            rows.append(
                (
                    pk,
                    self.password,
                    username,
                    first,
                    last,
                    f"{username}@kring.example",
                    f"{first} {last}",
                    rng.choice(DEPARTMENTS[department]),
                    department,
                    rng.choice(LOCATIONS),
                    "t" if is_active else "f",
                    "t" if rng.random() < 0.005 else "f",
                    self.moment(days_ago=rng.uniform(HISTORY_DAYS, HISTORY_DAYS + 3650)),
                )
            )
        copy_rows(
            conn,
            "communities_person",
            "id password username first_name last_name email display_name job_title "
            "department location is_active is_coach date_joined",
            rows,
            # No photos: the columns (communities 0014) hold "" for none.
            defaults={
                "is_superuser": "f",
                "is_staff": "f",
                "is_integration": "f",
                "photo": "",
                "photo_thumbnail": "",
            },
        )
        self.counts["people"] = PEOPLE

    def groups(self, conn) -> None:
        """Organisation news, a few groups of thousands, tens of hundreds, many small ones."""
        rng = self.rng
        plans = [GroupPlan(1, "Organisatienieuws", "organisatienieuws", "open", 13, True)]
        # Everyone at a location; knowledge circles; teams (closed, some secret) and circles.
        kinds = [(f"Locatie {place}", "open", rng.randint(2_000, 4_500)) for place in LOCATIONS[:7]]
        for topic in TOPICS[:40]:
            privacy = "closed" if rng.random() < 0.2 else "open"
            kinds.append((f"Kenniskring {topic}", privacy, rng.randint(200, 900)))
        while len(kinds) < GROUPS - 1:
            roll = rng.random()
            privacy = "open" if roll < 0.6 else "closed" if roll < 0.93 else "secret"
            name = (
                f"Team {rng.choice(list(DEPARTMENTS))} {rng.choice(LOCATIONS)}"
                if privacy != "open"
                else f"{rng.choice(TOPICS).capitalize()} {rng.choice(QUALIFIERS)}"
            )
            kinds.append((name, privacy, rng.randint(10, 60)))
        slugs = {"organisatienieuws"}
        for pk, (name, privacy, size) in enumerate(kinds, start=2):
            slug = slugify(name)
            for n in itertools.count(2):
                if slug not in slugs:
                    break
                slug = f"{slugify(name)}-{n}"
            slugs.add(slug)
            plans.append(GroupPlan(pk, name, slug, privacy, size))
        for plan in plans:
            plan.members = rng.sample(range(1, PEOPLE + 1), plan.size)
            plan.managers = 13 if plan.is_news else min(10, max(1, plan.size // 150))
        self.ensure_everyone_belongs(plans)
        self.plans = plans
        rows = [
            (
                p.id,
                p.name,
                p.slug,
                f"Voor iedereen die met {p.name.lower()} te maken heeft.",
                p.privacy,
                self.moment(days_ago=rng.uniform(HISTORY_DAYS, HISTORY_DAYS + 365)),
                p.members[0],
                "t" if p.is_news else "f",
            )
            for p in plans
        ]
        copy_rows(
            conn,
            "communities_group",
            "id name slug description privacy created_at created_by_id is_news",
            rows,
        )
        self.counts["groups"] = len(plans)

    def ensure_everyone_belongs(self, plans: list[GroupPlan]) -> None:
        """Everyone is in at least three groups besides news, as in a real organisation."""
        counted: dict[int, int] = dict.fromkeys(range(1, PEOPLE + 1), 0)
        member_sets = [set(p.members) for p in plans]
        for plan in plans[1:]:
            for pk in plan.members:
                counted[pk] += 1
        open_groups = [i for i, p in enumerate(plans) if p.privacy == "open" and not p.is_news]
        for pk, count in counted.items():
            while count < 3:
                index = self.rng.choice(open_groups)
                if pk not in member_sets[index]:
                    member_sets[index].add(pk)
                    plans[index].members.append(pk)
                    count += 1

    def memberships(self, conn) -> None:
        rows = []
        pk = 0
        for plan in self.plans:
            for position, person in enumerate(plan.members):
                pk += 1
                role = "owner" if position == 0 else "manager" if position < plan.managers else ""
                rows.append(
                    (
                        pk,
                        role or "member",
                        self.moment(days_ago=self.rng.uniform(HISTORY_DAYS / 2, HISTORY_DAYS)),
                        plan.id,
                        person,
                    )
                )
        copy_rows(conn, "communities_membership", "id role joined_at group_id person_id", rows)
        self.counts["memberships"] = pk

    def tags(self, conn) -> None:
        """Tags named topic or topic-qualifier; a few are used a lot, most rarely (Zipf)."""
        names = list(TOPICS) + [
            name for t in TOPICS for q in QUALIFIERS for name in (f"{t}-{q}", f"{q}-{t}")
        ]
        self.rng.shuffle(names)
        self.tag_names = names[:TAGS]
        # Popular tags first: tag i is used about 1/(i+1) as often as the first.
        self.tag_weights = list(itertools.accumulate(1 / (i + 1) for i in range(TAGS)))
        copy_rows(
            conn,
            "communities_tag",
            "id name",
            ((i + 1, name) for i, name in enumerate(self.tag_names)),
        )
        self.counts["tags"] = TAGS

    # Posts ------------------------------------------------------------------------

    def posts(self, conn) -> None:
        """A million posts, in time order so newer posts have higher ids, as Kring writes them.

        Busy groups post more (weight ~ size^0.8); in a group, owners and
        managers (first in the member list) write more than the rest.
        """
        rng = self.rng
        plans = self.plans
        weights = [0.0 if p.is_news else p.size**0.8 * rng.uniform(0.3, 1.7) for p in plans]
        weights[0] = sum(weights) * NEWS_SHARE / (1 - NEWS_SHARE)  # a few news items a day
        cumulative = list(itertools.accumulate(weights))
        post_groups = rng.choices(range(len(plans)), cum_weights=cumulative, k=POSTS)
        span = HISTORY_DAYS * 86_400
        start = self.now.timestamp() - span
        moments = sorted(start + rng.random() * span for _ in range(POSTS))
        bodies = [render_pair(rng) for _ in range(2_000)]
        articles = [render_article(rng) for _ in range(50)]
        tag_links = [tag_link(name) for name in self.tag_names]
        self.post_group = post_groups
        self.post_moment = moments
        self.replies_per_post = self.plan_replies()
        tag_rows: list[tuple[int, int, int]] = []
        pinned = self.pinned_posts()

        def rows() -> Iterator[tuple]:
            for index in range(POSTS):
                pk = index + 1
                plan = plans[post_groups[index]]
                authors = plan.members[: plan.managers] if plan.is_news else plan.members
                author = authors[int(len(authors) * rng.random() ** 2)]
                kind, title, pinned_at, deleted = "update", "", None, rng.random() < 0.003
                if pk in pinned:
                    kind, title, pinned_at = "announcement", rng.choice(TITLES), moments[index]
                    author, deleted = plan.members[0], False
                elif rng.random() < 0.01:
                    kind, title = "article", rng.choice(TITLES)
                if kind == "article":
                    body, html = rng.choice(articles)
                else:
                    body, html = bodies[int(len(bodies) * rng.random())]
                    if rng.random() < TAGGED_SHARE:
                        picked = rng.choices(range(TAGS), cum_weights=self.tag_weights, k=3)
                        picked = list(dict.fromkeys(picked[: rng.choice((1, 1, 1, 2, 2, 3))]))
                        body += " " + " ".join("#" + self.tag_names[t] for t in picked)
                        html = html[:-4] + " " + " ".join(tag_links[t] for t in picked) + "</p>"
                        if len(tag_rows) < 100:  # a sample proves the HTML is the parser's
                            assert html == render_markdown(body), (body, html)
                        for t in picked:
                            tag_rows.append((len(tag_rows) + 1, pk, t + 1))
                yield (
                    pk,
                    plan.id,
                    author,
                    kind,
                    title,
                    body,
                    html,
                    timestamp(moments[index]),
                    timestamp(pinned_at) if pinned_at else None,
                    self.replies_per_post.get(pk, 0),
                    timestamp(moments[index] + 3600) if deleted else None,
                    author if deleted else None,
                )

        copy_rows(
            conn,
            "communities_post",
            "id group_id author_id kind title body body_html created_at pinned_at "
            "reply_count deleted_at deleted_by_id",
            rows(),
            defaults={"removal_reason": ""},
        )
        copy_rows(conn, "communities_post_tags", "id post_id tag_id", tag_rows)
        self.counts["posts"] = POSTS
        self.counts["post_tags"] = len(tag_rows)

    def pinned_posts(self) -> set[int]:
        """Ids of the newest post of news and of the biggest group: pinned announcements."""
        biggest = max(range(1, len(self.plans)), key=lambda i: self.plans[i].size)
        pinned = set()
        for group_index in (0, biggest):
            newest = max(
                i
                for i in range(POSTS - 1, POSTS - 200_000, -1)
                if self.post_group[i] == group_index
            )
            pinned.add(newest + 1)
        return pinned

    def plan_replies(self) -> dict[int, int]:
        """How many (undeleted) replies each recent post gets: most none, some a few."""
        rng = self.rng
        counts = {}
        for pk in range(POSTS - RECENT_POSTS + 1, POSTS + 1):
            if rng.random() < 0.3:
                counts[pk] = rng.choice((1, 1, 1, 2, 2, 3, 4, 6))
        return counts

    def conversation(self, conn) -> None:
        """Replies (as planned in the posts' counts) and reactions by readers of the group."""
        rng = self.rng
        replies = [(text, render_markdown(text)) for text in REPLIES]
        reply_rows = []
        reaction_rows = []
        for pk in range(POSTS - RECENT_POSTS + 1, POSTS + 1):
            plan = self.plans[self.post_group[pk - 1]]
            posted = self.post_moment[pk - 1]
            for _ in range(self.replies_per_post.get(pk, 0)):
                text, html = rng.choice(replies)
                moment = min(posted + rng.uniform(60, 86_400), self.now.timestamp())
                reply_rows.append(
                    (
                        len(reply_rows) + 1,
                        text,
                        html,
                        timestamp(moment),
                        None,
                        rng.choice(plan.members),
                        pk,
                    )
                )
            if rng.random() < 0.45:
                people = rng.sample(plan.members, min(len(plan.members), rng.randint(1, 8)))
                for person in people:
                    moment = min(posted + rng.uniform(60, 86_400), self.now.timestamp())
                    reaction_rows.append(
                        (
                            len(reaction_rows) + 1,
                            rng.choice(REACTION_KINDS),
                            timestamp(moment),
                            person,
                            pk,
                        )
                    )
        copy_rows(
            conn,
            "communities_reply",
            "id body body_html created_at deleted_at author_id post_id",
            reply_rows,
        )
        copy_rows(
            conn, "communities_reaction", "id kind created_at person_id post_id", reaction_rows
        )
        self.counts["replies"] = len(reply_rows)
        self.counts["reactions"] = len(reaction_rows)

    # Follows --------------------------------------------------------------------------

    def follows(self, conn) -> None:
        """About 200 follows each: mostly people (some far more followed than others),
        a few #tags (popular ones more often) and a few open groups one is not in."""
        rng = self.rng
        popular = list(self.active)
        rng.shuffle(popular)
        person_weights = list(
            itertools.accumulate(1 / (i + 20) ** 0.7 for i in range(len(popular)))
        )
        open_groups = [p for p in self.plans if p.privacy == "open" and not p.is_news]
        group_weights = list(itertools.accumulate(p.size for p in open_groups))
        memberships: dict[int, set[int]] = {}
        for plan in self.plans:
            for person in plan.members:
                memberships.setdefault(person, set()).add(plan.id)
        span = HISTORY_DAYS * 86_400
        start = self.now.timestamp() - span

        def rows() -> Iterator[tuple]:
            pk = 0
            for follower in range(1, PEOPLE + 1):
                wanted = rng.randint(FOLLOWS_PER_PERSON - 60, FOLLOWS_PER_PERSON + 20)
                people = dict.fromkeys(
                    rng.choices(popular, cum_weights=person_weights, k=wanted + wanted // 4)
                )
                people.pop(follower, None)
                tags = set(
                    rng.choices(range(TAGS), cum_weights=self.tag_weights, k=rng.randint(2, 12))
                )
                groups = {
                    g.id
                    for g in rng.choices(
                        open_groups, cum_weights=group_weights, k=rng.randint(0, 6)
                    )
                } - memberships.get(follower, set())
                # Columns: id, created_at, follower, group, person, tag, notify_posts.
                for target in itertools.islice(people, wanted):
                    pk += 1
                    at = timestamp(start + rng.random() * span)
                    yield pk, at, follower, None, target, None, False
                for tag in tags:
                    pk += 1
                    at = timestamp(start + rng.random() * span)
                    yield pk, at, follower, None, None, tag + 1, False
                for group in groups:
                    pk += 1
                    at = timestamp(start + rng.random() * span)
                    yield pk, at, follower, group, None, None, False
            self.counts["follows"] = pk

        copy_rows(
            conn,
            "communities_follow",
            "id created_at follower_id group_id person_id tag_id notify_posts",
            rows(),
        )

    def join_requests(self, conn) -> None:
        """Some people wait to be let into closed groups."""
        rng = self.rng
        closed = [p for p in self.plans if p.privacy == "closed"]
        rows = []
        asked: set[tuple[int, int]] = set()
        while len(rows) < 300:
            plan = rng.choice(closed)
            person = rng.choice(self.active)
            if person in plan.members or (plan.id, person) in asked:
                continue
            asked.add((plan.id, person))
            rows.append(
                (
                    len(rows) + 1,
                    plan.id,
                    person,
                    "pending",
                    self.moment(days_ago=rng.uniform(0, 10)),
                )
            )
        copy_rows(conn, "communities_joinrequest", "id group_id person_id status created_at", rows)
        self.counts["join_requests"] = len(rows)

    def moment(self, *, days_ago: float) -> str:
        return timestamp(self.now.timestamp() - days_ago * 86_400)


# Text ------------------------------------------------------------------------------


def render_markdown(body: str) -> str:
    """Exactly what Kring stores as body_html for a post without mentions."""
    from communities import parsing

    return parsing.render_body(body, {})


def render_pair(rng: random.Random) -> tuple[str, str]:
    """A short update of one or two sentences, and its HTML (one paragraph)."""
    body = " ".join(rng.sample(SENTENCES, rng.choice((1, 1, 2))))
    return body, render_markdown(body)


def render_article(rng: random.Random) -> tuple[str, str]:
    body = "\n\n".join(rng.sample(ARTICLE_PARAGRAPHS, 3))
    return body, render_markdown(body)


def tag_link(name: str) -> str:
    """A #tag as the parser links it (``Organisation.posts`` checks a sample against it)."""
    return f'<a href="/tags/{name}/" class="tag" rel="noopener noreferrer nofollow">#{name}</a>'


def slugify(text: str) -> str:
    from django.utils.text import slugify as django_slugify

    return django_slugify(text)


def timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


# COPY ------------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def copy_rows(
    conn, table: str, columns: str, rows: Iterable[Sequence], *, defaults: dict | None = None
) -> None:
    """COPY ``rows`` (tuples in the order of ``columns``) into ``table``, in COPY's text
    format, in large chunks; ``defaults`` fills NOT NULL columns with the same value."""
    defaults = defaults or {}
    names = columns.split() + list(defaults)
    fixed = "".join("\t" + copy_value(v) for v in defaults.values())
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        lines = []
        for row in rows:
            lines.append("\t".join(map(copy_value, row)) + fixed + "\n")
            if len(lines) == 20_000:
                copy.write("".join(lines))
                lines.clear()
        copy.write("".join(lines))


def reset_sequences(conn) -> None:
    """Identity columns continue after the ids written here."""
    tables = [
        "communities_person",
        "communities_group",
        "communities_membership",
        "communities_tag",
        "communities_post",
        "communities_post_tags",
        "communities_reply",
        "communities_reaction",
        "communities_follow",
        "communities_joinrequest",
    ]
    for table in tables:
        conn.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence({name}, 'id'), "
                "(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            ).format(name=sql.Literal(table), table=sql.Identifier(table))
        )


if __name__ == "__main__":
    main()
