"""The people of the load test, for locust: ``bench.load`` runs it and reads its figures.

Each virtual user is one seeded person, logged in through a session cookie
``bench.load`` made, on one of the two Daphne processes. Between pauses they
read their home timeline and their groups' pages, scroll to older posts
(the cursor URL of a page's "Show older posts" button, over htmx), open a
post, post into one of their groups with the idempotency key of the compose
form they were shown, reply and react, sending what the page's htmx
sends: the ``HX-Request`` header and the CSRF token matching the cookie.

Read from the environment: ``KRING_LOAD_PEOPLE`` (the JSON file of people
``bench.load`` seeded), ``KRING_LOAD_HOSTS`` (the servers' base URLs,
space-separated) and ``KRING_LOAD_FIGURES`` (where the final figures go, as
JSON, when locust quits).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import secrets
from collections import deque
from pathlib import Path

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from requests.cookies import create_cookie

PEOPLE = json.loads(Path(os.environ["KRING_LOAD_PEOPLE"]).read_text())
HOSTS = os.environ["KRING_LOAD_HOSTS"].split()
_numbers = itertools.count()

POST_IDS = re.compile(r'data-post-id="(\d+)"')
OLDER = re.compile(r'hx-get="([^"]*\?before=(\d+))"')
IDEMPOTENCY_KEY = re.compile(r'name="idempotency_key" value="([0-9a-f-]+)"')
NEW_POST = 'hx-swap-oob="afterbegin:#feed-posts"'
REACTIONS = ("like", "thanks", "celebrate", "insightful", "support")
TAGS = ("roster", "canteen", "training", "safety", "parking")
SAYINGS = (
    "Who can take over the late shift on Thursday?",
    "The new coffee machine on the second floor works again.",
    "Reminder: the fire drill is tomorrow at ten.",
    "Thanks to everyone who helped with the move last week!",
    "Slides of this morning's session are in the shared folder.",
    "Does anyone know where the spare keys of room 4.12 are?",
    "Lunch walk at half past twelve, everyone welcome.",
)
REPLIES = ("Thanks!", "I can do it.", "Good to know.", "Count me in.", "Great work, team.")
HTMX = {"HX-Request": "true"}


@events.init.add_listener
def on_init(environment, **_kwargs) -> None:
    environment.events.quit.add_listener(lambda **_: save_figures(environment))


def save_figures(environment) -> None:
    """Per endpoint and overall, once every request has ended (locust's CSV
    files are written on a timer and may miss the last ones)."""
    stats = environment.stats

    def figures(entry) -> dict:
        return {
            "count": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.50),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }

    Path(os.environ["KRING_LOAD_FIGURES"]).write_text(
        json.dumps(
            {
                "endpoints": {
                    f"{entry.method} {entry.name}": figures(entry)
                    for entry in stats.entries.values()
                },
                "overall": {**figures(stats.total), "per_s": round(stats.total.total_rps, 1)},
                "failures": [
                    f"{error.method} {error.name}: {error.error} (x{error.occurrences})"
                    for error in stats.errors.values()
                ],
            }
        )
    )


class Colleague(FastHttpUser):
    """One person of the organisation, reading and writing at a human pace."""

    wait_time = between(1, 4)
    max_redirects = 0  # a redirect (to the login page, say) is a failure, never followed

    def __init__(self, environment) -> None:
        number = next(_numbers)
        self.person = PEOPLE[number % len(PEOPLE)]
        self.random = random.Random(number)  # noqa: S311 - choices of a simulated person
        self.host = HOSTS[number % len(HOSTS)]
        super().__init__(environment)
        self.csrf_token = secrets.token_hex(16)  # a CSRF secret: cookie and header match
        self.client.cookiejar.set_cookie(
            create_cookie(self.person["cookie_name"], self.person["session_key"])
        )
        self.client.cookiejar.set_cookie(create_cookie("csrftoken", self.csrf_token))
        self.seen: deque[int] = deque(maxlen=60)  # posts on pages read lately
        self.older: tuple[str, str] | None = None  # the last page's older-posts URL and name
        self.keys: dict[str, str] = {}  # group slug -> idempotency key of its compose form

    # Reading -----------------------------------------------------------------------

    def read(self, url: str, name: str, *, htmx: bool = False) -> str | None:
        """GET a page or fragment, remember its posts and its older-posts link."""
        headers = HTMX if htmx else None
        with self.client.get(url, name=name, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return None
            text = response.text
            if not htmx and 'id="feed-posts"' not in text:
                response.failure("no feed on the page")
                return None
        self.seen.extend(int(found) for found in POST_IDS.findall(text))
        older = OLDER.search(text)
        if older:
            path = older.group(1).split("?", 1)[0]
            self.older = (older.group(1), f"{self.page_name(path)}?before=[id] (older, htmx)")
        else:
            self.older = None
        return text

    @staticmethod
    def page_name(path: str) -> str:
        return "/ (home)" if path == "/" else "/groups/[slug]/"

    @task(8)
    def home(self) -> None:
        self.read("/", "/ (home)")

    @task(5)
    def group_page(self) -> None:
        self.group(self.random.choice(self.person["reads"]))

    def group(self, slug: str) -> None:
        text = self.read(f"/groups/{slug}/", "/groups/[slug]/")
        key = IDEMPOTENCY_KEY.search(text or "")
        if key:
            self.keys[slug] = key.group(1)

    @task(4)
    def scroll(self) -> None:
        if self.older is None:
            self.home()
            return
        url, name = self.older
        self.read(url, name, htmx=True)

    @task(2)
    def open_post(self) -> None:
        if not self.seen:
            self.home()
            return
        post_id = self.random.choice(self.seen)
        with self.client.get(
            f"/posts/{post_id}/", name="/posts/[id]/", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    # Writing -----------------------------------------------------------------------

    def send(self, url: str, name: str, data: dict, expect: str) -> str | None:
        """POST as htmx does; the response must hold ``expect``."""
        headers = {**HTMX, "X-CSRFToken": self.csrf_token}
        with self.client.post(
            url, name=name, data=data, headers=headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}: {response.text[:200]}")
                return None
            if expect not in response.text:
                response.failure(f"response lacks {expect!r}")
                return None
            return response.text

    @task(1)
    def post(self) -> None:
        """Post in one of their groups with the key of the compose form they were shown."""
        slug = self.random.choice(self.person["posts_in"])
        if slug not in self.keys:
            self.group(slug)
            if slug not in self.keys:
                return
        body = self.random.choice(SAYINGS)
        if self.random.random() < 0.3:
            body += f" #{self.random.choice(TAGS)}"
        if self.random.random() < 0.1:
            body += f" @{self.random.choice(PEOPLE)['username']}"
        text = self.send(
            f"/groups/{slug}/posts/",
            "/groups/[slug]/posts/",
            {"kind": "update", "title": "", "idempotency_key": self.keys.pop(slug), "body": body},
            NEW_POST,
        )
        if text:
            key = IDEMPOTENCY_KEY.search(text)  # the fresh form in the response
            if key:
                self.keys[slug] = key.group(1)
            self.seen.extend(int(found) for found in POST_IDS.findall(text))

    @task(2)
    def reply(self) -> None:
        if not self.seen:
            return
        post_id = self.random.choice(self.seen)
        self.send(
            f"/posts/{post_id}/reply/",
            "/posts/[id]/reply/",
            {"body": self.random.choice(REPLIES)},
            f"#post-{post_id}-reply-list",
        )

    @task(3)
    def react(self) -> None:
        if not self.seen:
            return
        post_id = self.random.choice(self.seen)
        self.send(
            f"/posts/{post_id}/react/",
            "/posts/[id]/react/",
            {"kind": self.random.choice(REACTIONS)},
            f'id="post-{post_id}-reactions"',
        )
