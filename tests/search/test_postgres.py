"""Search on PostgreSQL (scaled out): the behaviour the embedded tests prove on
SQLite's FTS5, proved again on the stored tsvector and its GIN index; and the
index built as designed (GIN, fastupdate off) and used as designed (a term that
is nowhere is answered from the index, never by walking the date index)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from communities import actions
from search import backends, text
from search.models import Entry
from tests.search import test_search as embedded
from tests.search.test_search import found, team  # noqa: F401 - a fixture

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

test_dutch_stemming = embedded.test_dutch_stemming_finds_plural_and_inflected_forms
test_compounds = embedded.test_the_start_of_a_word_finds_a_compound
test_grouped_and_highlighted = (
    embedded.test_the_page_groups_posts_replies_people_and_groups_and_highlights_the_words
)
test_follows_changes = embedded.test_the_index_follows_edits_and_removals_after_commit
test_rollback = embedded.test_a_write_that_rolls_back_leaves_nothing_in_the_index
test_who_may_see = embedded.test_who_may_see_what_changes_what_is_found_at_once
test_filters = embedded.test_filters_narrow_what_is_found
test_title_ranks_first = embedded.test_a_title_ranks_above_the_body
test_paging = embedded.test_results_page_by_cursor_without_repeating_a_hit
test_common_term = embedded.test_a_common_term_ranks_its_newest_matches_and_pages_on_by_date
test_suggestions = embedded.test_suggestions_offer_people_and_groups_first
test_rebuild = embedded.test_the_rebuild_command_indexes_everything_again
test_query_count = embedded.test_a_results_page_costs_the_same_queries_whatever_its_length
test_suggestion_queries = embedded.test_suggestions_cost_the_same_few_queries_whatever_is_found


def test_english_words_are_stemmed_too(team):  # noqa: F811
    actions.post_to_group(team.alice, team.group, "Training for new nurses on Monday")
    assert found(team.bob, "nursing trainings") == ["post:Training for new nurses on Monday"]


def test_a_quoted_phrase_finds_its_words_in_that_order(team):  # noqa: F811
    actions.post_to_group(team.alice, team.group, "De avond dienst is druk")
    actions.post_to_group(team.alice, team.group, "Druk in de dienst, rustige avond")
    assert found(team.bob, '"avond dienst"') == ["post:De avond dienst is druk"]
    assert len(found(team.bob, "avond dienst")) == 2


def test_the_index_is_gin_with_fastupdate_off_and_answers_a_term_found_nowhere(team):  # noqa: F811
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector'")
        (definition,) = cursor.fetchone()
    assert "USING gin (vector)" in definition and "fastupdate=off" in definition
    # Enough entries that the planner has a choice to make (10,000 rows).
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_entry (kind, object_id, title, body, title_stems, body_stems,"
            " audience, created_at, suggested, indexed_at) SELECT 'post', g, '', 'Bericht ' ||"
            " g || ' over de dienst', '', '', 'everyone', now() - g * interval '1 minute',"
            " false, now()"
            " FROM generate_series(1, 10000) AS g"
        )
        cursor.execute("ANALYZE search_entry")
    sql, params = backends.tsquery(text.parse("nergenswoordx"))
    matching = RawSQL(f"search_entry.vector @@ {sql}", params, output_field=BooleanField())  # noqa: S611
    plan = Entry.objects.filter(matching).order_by().values_list("id")[:1001].explain()
    assert "search_entry_vector" in plan and "search_entry_newest" not in plan
