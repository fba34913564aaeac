"""The coach's dashboard as a coach, and others, meet it: who may open it, what a
too-small scope hides, CSV files that say what the page says, a secret group kept
secret, constant queries, and the threshold form."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities import actions
from communities.models import Group, Membership, Post
from insights import figures, tables
from insights.models import SearchGap, Threshold
from knowledge import actions as knowledge_actions
from knowledge.models import Page
from search.models import Search
from tests.factories import GroupFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach(team):
    team.alice.is_coach = True
    team.alice.save(update_fields=["is_coach"])
    return team.alice


@pytest.fixture
def world(team, coach):
    """Five more colleagues in the wondzorg group (big enough to show), a small
    department, an article read by two, and a secret group the coach is not in."""
    extra = [PersonFactory(username=f"col{n}", department="Wijkzorg") for n in range(5)]
    for person in extra:
        Membership.objects.create(group=team.group, person=person)
    PersonFactory(username="tiny", department="Kleine afdeling")
    article = actions.post_to_group(
        team.bob,
        team.group,
        "Nieuw protocol voor wondzorg",
        kind=Post.Kind.ARTICLE,
        title="Wondprotocol",
    )
    for reader in extra[:2]:
        actions.record_reads(reader, [article])
    secret = GroupFactory(
        name="Geheime reorganisatie", slug="geheim", privacy=Group.Privacy.SECRET, members=extra
    )
    actions.post_to_group(
        extra[0], secret, "Vertrouwelijk", kind=Post.Kind.ARTICLE, title="Ontslagronde"
    )
    return {"extra": extra, "article": article, "secret": secret}


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def export(client, name: str, query: str = ""):
    return client.get(reverse("insights_export", args=[name]) + query)


def test_only_coaches_open_the_dashboard(team, coach, client_for):
    assert client_for(coach).get(reverse("insights")).status_code == 200
    assert client_for(team.bob).get(reverse("insights")).status_code == 403
    assert export(client_for(team.bob), "funnel").status_code == 403


def test_the_menu_shows_insights_to_coaches_only(team, coach, client_for):
    page = client_for(coach).get(reverse("insights")).content.decode()
    assert f'href="{reverse("insights")}" aria-current="page"' in page
    home = client_for(team.bob).get(reverse("home")).content.decode()
    assert f'href="{reverse("insights")}"' not in home


def test_the_dashboard_shows_the_funnel_with_the_period_before(world, coach, client_for):
    page = client_for(coach).get(reverse("insights") + "?period=7").content.decode()
    found = figures.participation(figures.ORGANISATION, 7)
    assert "Participation" in page
    assert "People with an account" in page
    assert f'<span class="funnel-value">{found.current.accounts}</span>' in page
    assert tables.share(found.current.contributing_share) in page
    assert "was " in page
    assert "Per week, the last 12 weeks" in page
    assert '<figure class="chart">' in page and "<figcaption>" in page
    assert "Wondprotocol" in page


def test_a_too_small_department_shows_no_figures(world, coach, client_for):
    client = client_for(coach)
    response = client.get(reverse("insights") + "?scope=department:Kleine+afdeling")
    page = response.content.decode()
    assert "Kleine afdeling is too small to show figures" in page
    assert "at least 5 people" in page
    assert "funnel-value" not in page and "People with an account" not in page
    lines = rows_of(export(client, "funnel", "?scope=department:Kleine+afdeling"))
    assert lines == [tables.funnel(coach, figures.ORGANISATION, 28).header]


def test_a_scope_that_does_not_exist_is_not_found(world, coach, client_for):
    client = client_for(coach)
    assert client.get(reverse("insights") + "?scope=department:Nergens").status_code == 404
    secret = world["secret"]
    assert client.get(reverse("insights") + f"?scope=group:{secret.pk}").status_code == 404


def test_the_csv_files_say_what_the_page_shows(world, coach, client_for):
    client = client_for(coach)
    query = f"?scope=group:{coach.memberships.first().group_id}&period=90"
    knowledge_actions.create_page(coach, title="Nooit geopend", body="Tekst")
    client.get(reverse("home"))  # a page opened: page use to show
    # The files first: opening the page counts as page use once it is shown.
    names = ["funnel", "weeks", "groups", "news", "menu", "places", "unopened"]
    files = {name: rows_of(export(client, name, query)) for name in names}
    page = client.get(reverse("insights") + query).content.decode()
    for name, lines in files.items():
        assert len(lines) > 1, name
        for line in lines:
            for cell in line:
                assert cell.replace("“", "&ldquo;") in page or cell in page.replace(
                    "&#x27;", "'"
                ), (
                    name,
                    cell,
                )
    news = rows_of(export(client, "news", query))
    assert news[0] == ["Article or announcement", "Group", "Readers", "Audience", "Reach"]
    assert news[1][:4] == ["Wondprotocol", "Kenniskring wondzorg", "2", "8"]
    assert news[1][4] == tables.share(2 / 8)


def test_csv_files_are_in_the_readers_language(world, coach, client_for):
    client = client_for(coach)
    client.cookies["django_language"] = "nl"
    lines = rows_of(export(client, "news"))
    assert lines[0][1] == "Groep"
    assert rows_of(export(client, "groups"))[0][1] == "Leden"


def test_a_secret_group_never_shows_to_a_coach_outside_it(world, coach, client_for):
    client = client_for(coach)
    page = client.get(reverse("insights") + "?period=365").content.decode()
    assert "Geheime reorganisatie" not in page and "Ontslagronde" not in page
    for name in tables.TABLES:
        body = export(client, name, "?period=365").content.decode()
        assert "Geheime reorganisatie" not in body and "Ontslagronde" not in body, name


def test_a_coach_in_the_secret_group_sees_it(world, client_for):
    insider = world["extra"][0]
    insider.is_coach = True
    insider.save(update_fields=["is_coach"])
    page = client_for(insider).get(reverse("insights")).content.decode()
    assert "Geheime reorganisatie" in page and "Ontslagronde" in page


def test_no_names_of_people_on_the_dashboard(world, coach, team, client_for):
    page = client_for(coach).get(reverse("insights")).content.decode()
    for person in [team.bob, team.carol, *world["extra"]]:
        assert person.display_name not in page


def test_groups_under_the_minimum_show_no_figures(world, coach, team, client_for):
    small = GroupFactory(name="Klein clubje", slug="klein", members=[team.bob, team.carol, coach])
    actions.post_to_group(team.bob, small, "Hallo")
    rows = {row[0]: row for row in rows_of(export(client_for(coach), "groups"))}
    assert rows["Klein clubje"][1] == "3"
    assert rows["Klein clubje"][2] == "fewer than 5 members"
    assert rows["Kenniskring wondzorg"][2] == "1"
    assert rows["Kenniskring wondzorg"][4] == "no"


def test_a_group_without_posts_for_30_days_is_flagged_quiet(world, coach, client_for):
    GroupFactory(name="Stille groep", slug="stil", members=world["extra"])
    rows = {row[0]: row for row in rows_of(export(client_for(coach), "groups"))}
    assert rows["Stille groep"][4] == "quiet: no post in 30 days"


def test_search_gaps_and_pages_to_write(world, coach, client_for):
    now = timezone.now()
    for n in range(3):
        Search.objects.create(term="declaraties", person_key=f"k{n}", results=0, searched_at=now)
    Search.objects.create(term="rooster", person_key="k1", results=4, searched_at=now)
    SearchGap.objects.create(term="declaraties", searches=3, searchers=3)
    done = SearchGap.objects.create(term="verlof", searches=30, searchers=9)
    SearchGap.objects.filter(pk=done.pk).update(closed_at=now)
    client = client_for(coach)
    page = client.get(reverse("insights")).content.decode()
    assert "Write a page for “declaraties”" in page
    assert f'href="{reverse("page_create")}?title=declaraties"' in page
    assert "done: searches find a page now" in page
    nothing = rows_of(export(client, "found-nothing"))
    assert nothing[1][:3] == ["declaraties", "3", "3"]
    unopened = rows_of(export(client, "nobody-opened"))
    assert unopened[1][:3] == ["rooster", "1", "1"]
    form = client.get(reverse("page_create") + "?title=declaraties").content.decode()
    assert 'value="declaraties"' in form


def test_the_threshold_form_saves_and_keeps_typed_values_on_errors(coach, client_for):
    client = client_for(coach)
    response = client.post(
        reverse("insights_threshold") + "?period=7",
        {"searches": "10", "searchers": "3", "days": "14"},
    )
    assert response.status_code == 302 and "period=7" in response["Location"]
    assert Threshold.objects.values_list("searches", "searchers", "days").get() == (10, 3, 14)
    response = client.post(
        reverse("insights_threshold"), {"searches": "0", "searchers": "abc", "days": "14"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'value="0"' in page and 'value="abc"' in page and 'value="14"' in page
    assert 'role="alert"' in page
    assert Threshold.objects.values_list("searches", "searchers", "days").get() == (10, 3, 14)


def test_non_coaches_cannot_set_the_threshold(team, client_for):
    response = client_for(team.bob).post(
        reverse("insights_threshold"), {"searches": "1", "searchers": "1", "days": "1"}
    )
    assert response.status_code == 403


def test_pages_past_their_review_date_with_owner(world, coach, team, client_for):
    page = knowledge_actions.create_page(team.bob, title="Oud protocol", body="Tekst")
    Page.objects.filter(pk=page.pk).update(
        created_at=timezone.now() - timedelta(days=800), checked_at=None
    )
    knowledge_actions.create_page(team.bob, title="Nieuw protocol", body="Tekst")
    lines = rows_of(export(client_for(coach), "past-review"))
    assert [line[:2] for line in lines[1:]] == [["Oud protocol", str(team.bob)]]


def test_the_nudges_place_is_kept(coach, client_for):
    page = client_for(coach).get(reverse("insights")).content.decode()
    assert 'id="nudges"' in page


def test_the_dashboard_costs_the_same_queries_for_few_as_for_many(
    world, coach, client_for, django_assert_num_queries
):
    client = client_for(coach)

    def add_some(count: int, tag: str) -> None:
        for n in range(count):
            group = GroupFactory(name=f"G {tag}{n}", slug=f"g-{tag}{n}", members=world["extra"])
            post = actions.post_to_group(
                world["extra"][0], group, f"Nieuws {n}", kind=Post.Kind.ARTICLE, title=f"N{tag}{n}"
            )
            actions.record_reads(coach, [post])
            actions.reply_to_post(world["extra"][1], post, "Goed!")
            knowledge_actions.create_page(coach, title=f"Pagina {tag}{n}", body="Tekst")

    add_some(1, "a")
    client.get(reverse("insights"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("insights")).status_code == 200
    add_some(8, "b")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("insights"))
    assert len(response.context["groups"].rows) > 8


def test_a_dutch_coach_reads_the_scope_and_the_periods_in_dutch(coach, client_for):
    client = client_for(coach)
    client.cookies["django_language"] = "nl"

    page = client.get(reverse("insights")).content.decode()

    assert "De organisatie: de afgelopen 28 dagen" in page
    assert "Afgelopen 28 dagen" in page
    assert "The organisation" not in page and "Last 28 days" not in page
