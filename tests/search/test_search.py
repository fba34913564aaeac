"""Search as a colleague uses it: Dutch words found in their other forms, the start
of a word finding a compound, results grouped and highlighted, filters, paging,
suggestions, and an index that follows every change after it commits.

These tests commit (``transaction=True``): the index is fed after each commit.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import actions
from communities.models import Group, Post
from search import queries
from search.models import Entry
from tests.conftest import build_team
from tests.factories import PersonFactory
from tests.search.helpers import make_carol_the_expert

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team():
    return build_team()


def found(viewer, typed, **filters) -> list[str]:
    """What ``viewer`` finds for ``typed``, as "kind:text" of every hit on the page."""
    results = queries.search(viewer, typed, queries.Filters(**filters))
    return [
        f"{hit.kind}:{re.sub('<[^>]+>', '', hit.title or hit.snippet)}"
        for section in results.sections
        for hit in section.hits
    ]


def test_dutch_stemming_finds_plural_and_inflected_forms(team):
    actions.post_to_group(team.alice, team.group, "Wie is de verpleegkundige van dienst?")
    actions.post_to_group(team.alice, team.group, "De wonden genezen goed")
    assert found(team.bob, "verpleegkundigen", section="posts") == [
        "post:Wie is de verpleegkundige van dienst?"
    ]
    # Everyone in the team is a "Verpleegkundige" by job title.
    assert len(found(team.bob, "verpleegkundigen", section="people")) == 3
    assert found(team.bob, "wond") == ["group:Kenniskring wondzorg", "post:De wonden genezen goed"]


def test_the_start_of_a_word_finds_a_compound(team):
    """Stemmers leave compounds whole ("wondzorg"): a prefix finds them."""
    actions.post_to_group(team.alice, team.group, "Nieuwe richtlijn voor wondzorg thuis")
    assert "post:Nieuwe richtlijn voor wondzorg thuis" in found(team.bob, "wond")
    assert found(team.bob, "richtl") == ["post:Nieuwe richtlijn voor wondzorg thuis"]
    assert found(team.bob, "zorg") == []  # the middle of a word is not its start


def test_the_page_groups_posts_replies_people_and_groups_and_highlights_the_words(team, client_for):
    make_carol_the_expert(team)
    post = actions.post_to_group(team.alice, team.group, "Vraag over wondzorg bij decubitus")
    actions.reply_to_post(team.bob, post, "Vraag het Carol, zij weet alles van decubitus")
    page = client_for(team.bob).get("/search/", {"q": "decubitus"}).content.decode()
    headings = re.findall(r'<h2 id="results-(\w+)">', page)
    assert headings == ["people", "posts"]
    assert "3 results for “decubitus”" in page
    assert "<mark>decubitus</mark>" in page
    assert "Carol Smit" in page and "Reply by Bob Jansen to Alice de Vries" in page
    # The header's box keeps the term on the results page.
    assert 'id="site-search-q" value="decubitus"' in page


def test_the_index_follows_edits_and_removals_after_commit(team):
    post = actions.post_to_group(team.alice, team.group, "Het rooster voor januari")
    reply = actions.reply_to_post(team.bob, post, "Ik ruil graag een nachtdienst")
    other = actions.reply_to_post(team.carol, post, "Kerstdienst is al vol")
    assert found(team.bob, "januari") == ["post:Het rooster voor januari"]
    actions.edit_post(team.alice, post, "Het rooster voor februari")
    assert found(team.bob, "januari") == []
    assert found(team.bob, "februari") == ["post:Het rooster voor februari"]
    actions.delete_reply(team.bob, reply)
    assert found(team.bob, "nachtdienst") == []
    assert len(found(team.bob, "kerstdienst")) == 1
    actions.delete_post(team.alice, post)
    assert found(team.bob, "februari") == [] and found(team.bob, "kerstdienst") == []
    assert not Entry.objects.filter(kind="reply", object_id=other.pk).exists()


def test_a_write_that_rolls_back_leaves_nothing_in_the_index(team):
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.post_to_group(team.alice, team.group, "Dit wordt nooit gepost")
        raise RuntimeError
    assert found(team.bob, "gepost") == []
    assert not Entry.objects.filter(kind="post").exists()


def test_who_may_see_what_changes_what_is_found_at_once(team):
    """Nothing is re-indexed when someone leaves a group or a group turns closed or
    secret: the rule is asked about the person at every search."""
    dave = PersonFactory(username="dave")
    actions.post_to_group(team.alice, team.group, "Overdracht van de avonddienst")
    assert len(found(dave, "avonddienst")) == 1  # an open group: anyone reads it
    team.group.privacy = Group.Privacy.CLOSED
    team.group.save()
    assert found(dave, "avonddienst") == []
    assert found(dave, "wondzorg") == ["group:Kenniskring wondzorg"]  # a closed group is known
    assert len(found(team.bob, "avonddienst")) == 1
    actions.leave_group(team.bob, team.group)
    assert found(team.bob, "avonddienst") == []
    team.group.privacy = Group.Privacy.SECRET
    team.group.save()
    assert found(dave, "wondzorg") == []
    assert found(team.carol, "wondzorg") == ["group:Kenniskring wondzorg"]


def test_people_who_left_are_not_found(team, client_for):
    admin = PersonFactory(username="admin", is_staff=True, is_superuser=True)
    assert found(team.bob, "carol") == ["person:Carol Smit"]
    actions.deactivate_person(admin, team.carol)
    assert found(team.bob, "carol") == []
    assert found(team.bob, "alice") == ["person:Alice de Vries"]
    actions.forget_person(team.alice, keep_contributions=True, by=admin)
    assert found(team.bob, "alice") == [] and found(team.bob, "vries") == []


def test_filters_narrow_what_is_found(team):
    other = Group.objects.create(name="Team Noord", slug="noord")
    actions.join_group(team.bob, other)
    actions.join_group(team.alice, other)
    old = actions.post_to_group(team.alice, team.group, "Scholing reanimatie in het voorjaar")
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    call_command("rebuild_search_index", verbosity=0)
    actions.post_to_group(team.bob, other, "Scholing reanimatie vandaag")
    everything = found(team.bob, "reanimatie")
    assert len(everything) == 2
    assert found(team.bob, "reanimatie", group=other) == ["post:Scholing reanimatie vandaag"]
    assert found(team.bob, "reanimatie", person=team.alice) == [
        "post:Scholing reanimatie in het voorjaar"
    ]
    since = (timezone.now() - timedelta(days=7)).date()
    assert found(team.bob, "reanimatie", since=since) == ["post:Scholing reanimatie vandaag"]
    assert found(team.bob, "reanimatie", until=since) == [
        "post:Scholing reanimatie in het voorjaar"
    ]
    assert found(team.bob, "reanimatie", section="people") == []
    assert found(team.bob, "reanimatie", section="posts", order="newest") == [
        "post:Scholing reanimatie vandaag",
        "post:Scholing reanimatie in het voorjaar",
    ]


def test_a_title_ranks_above_the_body(team):
    actions.post_to_group(
        team.alice, team.group, "Een artikel", kind=Post.Kind.ARTICLE, title="Valpreventie"
    )
    actions.post_to_group(team.alice, team.group, "Ook iets over valpreventie, later")
    hits = found(team.bob, "valpreventie", section="posts")
    assert hits == ["post:Valpreventie", "post:Ook iets over valpreventie, later"]


def test_a_bad_filter_is_told_and_keeps_what_was_typed(team, client_for):
    response = client_for(team.bob).get("/search/", {"q": "rooster", "person": "niemand"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nobody of that name or username." in page
    assert 'value="rooster"' in page and 'value="niemand"' in page


def test_results_page_by_cursor_without_repeating_a_hit(team, client_for):
    for n in range(27):
        actions.post_to_group(team.alice, team.group, f"Melding nummer {n} over de lift")
    client = client_for(team.bob)
    page = client.get("/search/", {"q": "lift", "kind": "posts"}).content.decode()
    first = re.findall(r"Melding nummer (\d+)", page)
    assert len(first) == 20
    more = re.search(r'hx-get="(/search/[^"]+)"[^>]*data-more-results', page).group(1)
    more = more.replace("&amp;", "&")
    rest = client.get(more, HTTP_HX_REQUEST="true").content.decode()
    second = re.findall(r"Melding nummer (\d+)", rest)
    assert len(second) == 7 and not set(first) & set(second)
    assert "More results" not in rest


def test_a_common_term_ranks_its_newest_matches_and_pages_on_by_date(team, settings):
    """Past ``SEARCH_CANDIDATES`` matches only the newest are ranked; newest first,
    the cursor walks on past them, by date, to the oldest."""
    for n in range(9):
        actions.post_to_group(team.alice, team.group, f"Koffie op de afdeling, dag {n}")
    from search import backends

    backends.CANDIDATES = 4
    try:
        results = queries.search(team.bob, "koffie", queries.Filters(section="posts"))
        assert results.total_is_floor and results.total == 4
        days = []
        cursor = ""
        for _page in range(5):
            results = queries.search(
                team.bob, "koffie", queries.Filters(section="posts", order="newest"), cursor
            )
            section = results.sections[0]
            days += [re.search(r"dag (\d)", hit.snippet).group(1) for hit in section.hits]
            cursor = section.next_cursor
            if not cursor:
                break
    finally:
        backends.CANDIDATES = settings.SEARCH_CANDIDATES
    assert days == [str(n) for n in range(8, -1, -1)]


def test_suggestions_offer_people_and_groups_first(team, client_for):
    actions.post_to_group(team.alice, team.group, "Wondzorg bij diabetes")
    page = client_for(team.bob).get("/search/suggestions/", {"q": "wond"}).content.decode()
    options = re.findall(r'<li role="option" id="suggestion-(\w+)"', page)
    assert options == ["1", "2", "all"]
    assert page.index("Kenniskring") < page.index("bij diabetes")
    assert "Search for “wond”" in page


def test_the_rebuild_command_indexes_everything_again(team):
    actions.post_to_group(team.alice, team.group, "Parkeren bij locatie Noord")
    before = sorted(Entry.objects.values_list("kind", "object_id"))
    Entry.objects.all().delete()
    assert found(team.bob, "parkeren") == []
    call_command("rebuild_search_index", verbosity=0)
    assert sorted(Entry.objects.values_list("kind", "object_id")) == before
    assert found(team.bob, "parkeren") == ["post:Parkeren bij locatie Noord"]


def test_a_results_page_costs_the_same_queries_whatever_its_length(team, client_for):
    client = client_for(team.bob)

    def queries_for(count: int) -> int:
        for n in range(count):
            post = actions.post_to_group(team.alice, team.group, f"Dienstrooster week {n}")
            actions.reply_to_post(team.carol, post, f"Dienstrooster klopt, week {n}")
        # Newest first, so both pages hold posts and replies: a query per kind shown.
        asked = {"q": "dienstrooster", "kind": "posts", "order": "newest"}
        client.get("/search/", asked)  # the search is logged; then carried on
        with CaptureQueriesContext(connection) as run:
            response = client.get("/search/", asked)
        assert response.status_code == 200
        return len(run)

    few = queries_for(2)
    many = queries_for(12)
    assert few == many


def test_suggestions_cost_the_same_few_queries_whatever_is_found(team, client_for):
    client = client_for(team.bob)

    def queries_for(count: int) -> int:
        for n in range(count):
            PersonFactory(display_name=f"Roos Roosterman {n}", job_title="Planner")
            actions.post_to_group(team.alice, team.group, f"Roosterwijziging {n}")
        client.get("/search/suggestions/", {"q": "roos"})  # logged; then typed on
        with CaptureQueriesContext(connection) as run:
            client.get("/search/suggestions/", {"q": "roost"})
        return len(run)

    assert queries_for(1) == queries_for(8)


def test_an_object_changed_twice_in_one_transaction_is_indexed_once(team):
    with transaction.atomic():
        make_carol_the_expert(team)  # details, profile and topics: one person changed
        waiting = [func for _sids, func, _robust in connection.run_on_commit]
        assert sum(getattr(func, "pk", None) == team.carol.pk for func in waiting) == 1
    assert "person:Carol Smit" in found(team.bob, "decubitus")


def test_a_cursor_that_is_not_ours_starts_at_the_beginning(team, client_for):
    actions.post_to_group(team.alice, team.group, "Melding over de lift")
    client = client_for(team.bob)
    for cursor in ("bm90IGpzb24", "eyJwIjogImEifQ", "eyJiIjogWzFdfQ", "%%%"):
        page = client.get("/search/", {"q": "lift", "kind": "posts", "cursor": cursor})
        assert (
            page.status_code == 200 and "Melding over de <mark>lift</mark>" in page.content.decode()
        )
