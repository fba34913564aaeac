"""The search log, as the coach will read it: what was searched, how much it found,
what was opened from it at which position; no names; nothing kept longer than
allowed; a citizen service number never written down."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from communities import actions
from search import actions as search_actions
from search.models import Search
from tests.conftest import build_team
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team():
    team = build_team()
    actions.post_to_group(team.alice, team.group, "De nieuwe richtlijn decubitus staat online")
    return team


def first_hit_link(page: str) -> str:
    return re.search(r'<h3><a href="(/search/open/[^"]+)"', page).group(1).replace("&amp;", "&")


def test_a_search_that_found_nothing_is_told_apart_from_one_whose_results_nobody_opened(
    team, client_for
):
    client = client_for(team.bob)
    client.get("/search/", {"q": "Parkeervergunning"})
    SEARCH_LATER = timezone.now() - timedelta(minutes=5)
    Search.objects.update(searched_at=SEARCH_LATER)  # a while ago: the next is a new search
    client.get("/search/", {"q": "decubitus"})
    nothing, unopened = Search.objects.order_by("searched_at")
    assert (nothing.term, nothing.results, nothing.found_nothing) == ("parkeervergunning", 0, True)
    assert (unopened.term, unopened.results, unopened.found_nothing) == ("decubitus", 1, False)
    assert not unopened.opened


def test_opening_a_result_records_what_and_at_which_position(team, client_for):
    client = client_for(team.bob)
    page = client.get("/search/", {"q": "richtlijn"}).content.decode()
    response = client.get(first_hit_link(page))
    post = team.alice.posts.get()
    assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/"
    search = Search.objects.get()
    assert search.opened and (search.opened_kind, search.opened_id) == ("post", post.pk)
    assert search.opened_position == 1 and search.results == 1


def test_typing_as_one_goes_counts_as_one_search(team, client_for):
    client = client_for(team.bob)
    for typed in ("de", "dec", "decu", "decubitus"):
        client.get("/search/suggestions/", {"q": typed})
    client.get("/search/", {"q": "decubitus"})
    assert list(Search.objects.values_list("term", "results")) == [("decubitus", 1)]
    client.get("/search/suggestions/", {"q": "rooster"})  # something else: a new search
    assert Search.objects.count() == 2


def test_a_citizen_service_number_is_never_stored(team, client_for):
    client = client_for(team.bob)
    assert client.get("/search/", {"q": "dossier 111222333"}).status_code == 200
    assert client.get("/search/", {"q": "111.222.333"}).status_code == 200
    client.get("/search/suggestions/", {"q": "1112223"})
    client.get("/search/suggestions/", {"q": "111222333"})
    assert [s.term for s in Search.objects.all()] == ["1112223"]
    # Nine digits that fail the 11-test are no citizen service number.
    Search.objects.all().delete()
    client.get("/search/", {"q": "123456789"})
    assert [s.term for s in Search.objects.all()] == ["123456789"]


def test_the_log_holds_no_names_only_a_key_per_person(team, client_for):
    client_for(team.bob).get("/search/", {"q": "decubitus"})
    client_for(team.carol).get("/search/", {"q": "decubitus"})
    bob, carol = Search.objects.order_by("id")
    assert bob.person_key != carol.person_key
    assert bob.person_key == search_actions.person_key(team.bob)
    stored = " ".join(str(v) for v in Search.objects.values_list()).lower()
    for person in (team.bob, team.carol):
        assert person.username not in stored and person.display_name.lower() not in stored


def test_searches_older_than_the_retention_go(team, client_for):
    client_for(team.bob).get("/search/", {"q": "decubitus"})
    client_for(team.carol).get("/search/", {"q": "rooster"})
    old = timezone.now() - timedelta(days=settings.SEARCH_LOG_DAYS + 1)
    Search.objects.filter(term="rooster").update(searched_at=old)
    assert search_actions.prune() == 1
    assert [s.term for s in Search.objects.all()] == ["decubitus"]
    assert settings.CELERY_BEAT_SCHEDULE["prune-search-log"]["task"] == (
        "search.tasks.prune_search_log"
    )


def test_a_hit_one_may_not_see_opens_nothing_and_logs_nothing(team, client_for):
    secret = actions.create_group(team.alice, name="Geheim", privacy="secret")
    post = actions.post_to_group(team.alice, secret, "geheim")
    outsider = client_for(PersonFactory(username="dave"))
    outsider.get("/search/", {"q": "geheim"})
    search = Search.objects.get()
    response = outsider.get(f"/search/open/post/{post.pk}/?s={search.pk}&at=1")
    assert response.status_code == 404
    assert outsider.get("/search/open/nothing/1/").status_code == 404
    search.refresh_from_db()
    assert not search.opened


def test_erasing_a_person_erases_their_searches(team, client_for):
    client_for(team.bob).get("/search/", {"q": "decubitus"})
    client_for(team.carol).get("/search/", {"q": "rooster"})
    assert search_actions.forget_searches(team.bob) == 1
    assert [s.term for s in Search.objects.all()] == ["rooster"]


def test_administrators_read_the_log_in_the_admin_by_outcome(team, client_for):
    client = client_for(team.bob)
    client.get("/search/", {"q": "Parkeervergunning"})
    Search.objects.update(searched_at=timezone.now() - timedelta(minutes=5))
    page = client.get("/search/", {"q": "richtlijn"}).content.decode()
    client.get(first_hit_link(page))
    admin = client_for(PersonFactory(username="it", is_staff=True, is_superuser=True))
    nothing = admin.get("/admin/search/search/", {"outcome": "nothing"}).content.decode()
    assert "parkeervergunning" in nothing and "richtlijn" not in nothing
    opened = admin.get("/admin/search/search/", {"outcome": "opened"}).content.decode()
    assert "richtlijn" in opened and "parkeervergunning" not in opened
    assert admin.get("/admin/search/search/add/").status_code == 403
    assert client.get("/admin/search/search/").status_code == 302  # not for colleagues
