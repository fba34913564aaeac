"""On PostgreSQL (scaled out): pages found through the stored tsvector with Dutch
stemming, and the conflict check holding when two edits of one version really run
at the same time."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from knowledge.actions import EditConflict
from knowledge.models import Page
from tests.knowledge import test_actions
from tests.knowledge import test_search_and_live as embedded
from tests.knowledge.helpers import edit, make_page

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

test_found_by_a_word = embedded.test_a_page_is_found_by_a_word_in_its_text_and_comes_before_posts
test_found_after_edit = embedded.test_an_edit_is_found_and_a_page_past_review_still_is
# Row locks over joins are PostgreSQL's to refuse: the hand-over and the edits again.
test_handover = test_actions.test_a_closed_accounts_pages_pass_to_the_deputy_and_managers_are_told
test_versions = test_actions.test_every_save_is_a_new_version_and_restoring_makes_another
test_conflict = test_actions.test_a_second_edit_of_the_same_version_is_refused_and_writes_nothing
test_still_correct = test_actions.test_still_correct_records_who_checked_and_moves_the_review_date


def test_dutch_stemming_finds_a_page_by_another_form_of_a_word(team):
    make_page(team.alice, title="Wondzorg thuis", body="De verpleegkundigen spoelen de wonden")
    assert embedded.found(team.bob, "wondzorg", section="knowledge") == ["page:Wondzorg thuis"]
    assert embedded.found(team.bob, "wond", section="knowledge") == ["page:Wondzorg thuis"]
    assert embedded.found(team.bob, "verpleegkundige", section="knowledge") == [
        "page:Wondzorg thuis"
    ]


def test_two_edits_of_one_version_at_the_same_time_save_one(team):
    page = make_page(team.alice, body="Begin")
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save(person, text):
        try:
            start.wait()
            edit(person, Page.objects.get(pk=page.pk), text, base=1)
            outcome[person.username] = "saved"
        except EditConflict:
            outcome[person.username] = "conflict"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(team.bob, "Bob")),
        threading.Thread(target=save, args=(team.carol, "Carol")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome.values()) == ["conflict", "saved"]
    page.refresh_from_db()
    assert page.version == 2 and page.versions.count() == 2


def test_two_reminder_runs_at_the_same_time_send_each_reminder_once(team):
    """A redelivered beat task running beside the first: the unique reminder row lets
    one of them send (the other waits for it, then is refused)."""
    from knowledge.actions import PAGE_REVIEW_DUE, send_review_reminders
    from notices import queries as notice_queries
    from tests.knowledge.test_review_reminders import before

    pages = [make_page(team.alice, title=f"Pagina {i}") for i in range(5)]
    now = before(pages[0], 14)
    start = threading.Barrier(2)
    sent: list[int] = []

    def run():
        try:
            start.wait()
            sent.append(send_review_reminders(now))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(sent) == 5
    kinds = [n.kind for n in notice_queries.latest(team.alice, limit=20)]
    assert kinds.count(PAGE_REVIEW_DUE) == 5
