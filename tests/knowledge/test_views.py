"""The pages of knowledge pages: forms that keep what was typed, a conflict that keeps
the second editor's text, history and differences, and a list whose queries do not
grow with its length."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.models import Group
from knowledge.models import Page
from tests.factories import GroupFactory, PersonFactory
from tests.knowledge.helpers import edit, main_of, make_page

pytestmark = pytest.mark.django_db


def _form(page, **changes):
    data = {
        "title": page.title,
        "body": page.body,
        "parent": "",
        "owner": f"person:{page.owner_person_id}" if page.owner_person_id else "",
        "deputy": "",
        "review_months": "12",
        "base": str(page.version),
    }
    data.update(changes)
    return data


def test_creating_a_page_and_reading_it(team, client_for):
    client = client_for(team.alice)
    response = client.post(
        reverse("page_create"),
        {
            "title": "Decubitus voorkomen",
            "body": "Wissel elke twee uur van houding. #decubitus",
            "group": str(team.group.pk),
            "owner": f"person:{team.alice.pk}",
            "deputy": f"group:{team.group.pk}",
            "review_months": "6",
        },
    )
    page = Page.objects.get()
    assert response.status_code == 302 and response["Location"] == page.get_absolute_url()
    assert page.group == team.group and page.deputy == team.group and page.review_months == 6
    html = client_for(team.bob).get(page.get_absolute_url()).content.decode()
    assert "Wissel elke twee uur" in html and "#decubitus" in html
    assert "Still correct" in html and "Not checked yet." in html


def test_a_bad_form_keeps_what_was_typed(team, client_for):
    client = client_for(team.alice)
    response = client.post(
        reverse("page_create"),
        {"title": "", "body": "Mijn lange tekst die niet verloren mag gaan", "review_months": "12"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Mijn lange tekst die niet verloren mag gaan" in html
    assert 'aria-invalid="true"' in html and not Page.objects.exists()


def test_the_second_editor_is_told_sees_the_change_and_keeps_their_text(team, client_for):
    page = make_page(team.alice, body="Spoel de wond.")
    form_of_carol = _form(page, body="Spoel de wond met zout water. (Carol)")
    client_for(team.bob).post(
        reverse("page_edit", args=[page.pk]), _form(page, body="Spoel de wond met kraanwater.")
    )
    response = client_for(team.carol).post(reverse("page_edit", args=[page.pk]), form_of_carol)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this page while you were editing" in html
    assert "Bob Jansen" in html
    assert "<ins>" in html and "kraanwater." in html  # what Bob changed
    assert "Spoel de wond met zout water. (Carol)" in html  # her own text, kept
    assert 'name="base" value="2"' in html  # now on top of version 2
    response = client_for(team.carol).post(
        reverse("page_edit", args=[page.pk]), {**form_of_carol, "base": "2"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.version == 3 and page.versions.count() == 3
    assert list(page.versions.values_list("body", flat=True).order_by("number")) == [
        "Spoel de wond.",
        "Spoel de wond met kraanwater.",
        "Spoel de wond met zout water. (Carol)",
    ]


def test_a_page_nobody_may_see_looks_like_a_missing_one(team, client_for):
    closed = GroupFactory(slug="dicht", privacy=Group.Privacy.CLOSED, members=[team.alice])
    hidden = make_page(team.alice, group=closed)
    client = client_for(team.bob)
    for name in ("page_detail", "page_edit", "page_history"):
        hidden_response = client.get(reverse(name, args=[hidden.pk]))
        missing = client.get(reverse(name, args=[hidden.pk + 1000]))
        assert hidden_response.status_code == missing.status_code == 404
        assert main_of(hidden_response) == main_of(missing)
    for name in ("page_check",):
        assert client.post(reverse(name, args=[hidden.pk])).status_code == 404
    assert client.post(reverse("page_restore", args=[hidden.pk, 1])).status_code == 404


def test_who_may_not_edit_sees_no_edit_button_and_is_refused(team, client_for):
    page = make_page(team.alice, group=team.group)
    outsider = client_for(PersonFactory(username="dirk"))
    html = outsider.get(page.get_absolute_url()).content.decode()
    assert reverse("page_edit", args=[page.pk]) not in html and "Still correct" not in html
    assert outsider.get(reverse("page_edit", args=[page.pk])).status_code == 403
    assert outsider.post(reverse("page_check", args=[page.pk])).status_code == 403


def test_still_correct_shows_who_checked(team, client_for):
    page = make_page(team.alice)
    response = client_for(team.bob).post(reverse("page_check", args=[page.pk]), follow=True)
    assert (
        "Checked on" in response.content.decode() and "by Bob Jansen" in response.content.decode()
    )


def test_a_page_past_its_review_date_stays_with_a_notice(team, client_for):
    page = make_page(team.alice, review_months=6)
    Page.objects.filter(pk=page.pk).update(created_at=page.created_at.replace(year=2020))
    html = client_for(team.bob).get(page.get_absolute_url()).content.decode()
    assert "Past its review date." in html and "Spoel de wond" in html
    assert "Past its review date" in client_for(team.bob).get(reverse("page_list")).content.decode()


def test_history_compares_any_two_versions_and_restores(team, client_for):
    page = make_page(team.alice, body="een twee drie")
    edit(team.bob, page, "een vier drie")
    edit(team.carol, page, "een vier drie vijf")
    client = client_for(team.alice)
    html = client.get(reverse("page_history", args=[page.pk]) + "?from=1&to=3").content.decode()
    assert "Version 1 compared with version 3" in html
    assert '<del><span class="visually-hidden">removed: </span>twee' in html
    assert '<ins><span class="visually-hidden">added: </span>vier' in html
    assert "Bob Jansen" in html and "Carol Smit" in html
    response = client.post(reverse("page_restore", args=[page.pk, 1]))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.version == 4 and page.body == "een twee drie"
    html = client.get(reverse("page_history", args=[page.pk])).content.decode()
    assert "restored version 1" in html


def test_breadcrumb_and_children(team, client_for):
    top = make_page(team.alice, title="Protocollen")
    child = make_page(team.alice, title="Wondzorg", parent=top, group=team.group)
    closed = GroupFactory(slug="dicht", privacy=Group.Privacy.CLOSED, members=[team.alice])
    make_page(team.alice, title="Geheim onderdeel", parent=top, group=closed)
    html = client_for(team.bob).get(top.get_absolute_url()).content.decode()
    assert "Wondzorg" in html and "Geheim onderdeel" not in html
    html = client_for(team.bob).get(child.get_absolute_url()).content.decode()
    assert 'aria-label="Breadcrumb"' in html and top.get_absolute_url() in html


def test_the_list_filters_by_tag_and_group_newest_changed_first(team, client_for):
    a = make_page(team.alice, title="Pagina A", body="tekst #hygiene")
    b = make_page(team.alice, title="Pagina B", body="tekst #wondzorg", group=team.group)
    edit(team.bob, a, "nieuw #hygiene")
    client = client_for(team.bob)
    html = client.get(reverse("page_list")).content.decode()
    assert html.index("Pagina A") < html.index("Pagina B")
    html = client.get(reverse("page_list") + "?tag=wondzorg").content.decode()
    assert "Pagina B" in html and "Pagina A" not in html
    html = client.get(reverse("page_list") + f"?group={team.group.pk}").content.decode()
    assert "Pagina B" in html and "Pagina A" not in html
    html = client.get(reverse("page_list") + "?group=organisation").content.decode()
    assert "Pagina A" in html and "Pagina B" not in html
    assert b


def test_the_list_pages_on_by_cursor(team, client_for, settings, monkeypatch):
    from knowledge import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    for n in range(5):
        make_page(team.alice, title=f"Pagina {n}")
    client = client_for(team.bob)
    seen = []
    url = reverse("page_list")
    while url:
        response = client.get(url)
        html = response.content.decode()
        seen += sorted(
            (n for n in range(5) if f"Pagina {n}<" in html),
            key=lambda n: html.index(f"Pagina {n}<"),
        )
        nxt = response.context["next_query"]
        url = reverse("page_list") + "?" + nxt if nxt else None
    assert seen == [4, 3, 2, 1, 0]


def _queries_for(count, team, client_for, url_of):
    Page.objects.all().delete()
    pages = [
        make_page(
            team.alice, title=f"P{n}", body=f"#t{n} tekst", group=team.group if n % 2 else None
        )
        for n in range(count)
    ]
    client = client_for(team.bob)
    url = url_of(pages)
    client.get(url)  # warm the caches the site keeps
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_whatever_its_length(team, client_for):
    def url_of(pages):
        return reverse("page_list")

    assert _queries_for(2, team, client_for, url_of) == _queries_for(12, team, client_for, url_of)


def test_the_history_costs_the_same_queries_whatever_its_length(team, client_for):
    def queries_for(edits: int) -> int:
        page = make_page(team.alice, title=f"H{edits}")
        for n in range(edits):
            edit(team.bob if n % 2 else team.carol, page, f"tekst {n}")
        client = client_for(team.alice)
        url = reverse("page_history", args=[page.pk]) + "?from=1&to=2"
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries_for(2) == queries_for(10)


def test_saving_too_often_is_refused_and_keeps_the_text(team, client_for, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": "0/m"}
    response = client_for(team.alice).post(
        reverse("page_create"),
        {"title": "Snel", "body": "Tekst die blijft staan", "review_months": "12"},
    )
    assert response.status_code == 429 and response["Retry-After"]
    html = response.content.decode()
    assert "Too many posts" in html and "Tekst die blijft staan" in html
    assert not Page.objects.exists()
