"""The list: newest first, filtered by tag, library and type, in pages, at a number of
queries that does not grow with the documents shown."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Group
from documents import actions
from tests.documents import files
from tests.documents.helpers import checked
from tests.factories import GroupFactory, PersonFactory


def add(person, title, name="a.docx", content=None, group=None, tags=()):
    return actions.add_document(
        person,
        title=title,
        group=group,
        tags=list(tags),
        file=checked(name, content or files.docx_bytes(title)),
    )


def listed(client, query="") -> list[str]:
    response = client.get(reverse("document_list") + query)
    assert response.status_code == 200
    return [d.title for d in response.context["documents"]]


def test_newest_first_and_filtered_by_tag_library_and_type(team, client_for):
    add(team.bob, "Oud protocol", tags=["protocol"])
    add(team.bob, "Rooster", name="r.xlsx", content=files.xlsx_bytes("x"), group=team.group)
    add(team.bob, "Nieuwsbrief", name="n.pdf", content=files.pdf_bytes("x"), tags=["nieuws"])
    client = client_for(team.carol)
    assert listed(client) == ["Nieuwsbrief", "Rooster", "Oud protocol"]
    assert listed(client, "?tag=protocol") == ["Oud protocol"]
    assert listed(client, "?tag=%23Protocol") == ["Oud protocol"]
    assert listed(client, "?group=wondzorg") == ["Rooster"]
    assert listed(client, "?group=organisation") == ["Nieuwsbrief", "Oud protocol"]
    assert listed(client, "?type=pdf") == ["Nieuwsbrief"]
    assert listed(client, "?type=excel") == ["Rooster"]
    assert listed(client, "?type=other") == []
    html = client.get(reverse("document_list")).content.decode()
    assert "#protocol" in html and "Kenniskring wondzorg" in html


def test_the_list_shows_only_the_groups_the_viewer_may_read(team, client_for):
    closed = GroupFactory(slug="team", privacy=Group.Privacy.CLOSED, members=[team.bob])
    add(team.bob, "Teamzaken", group=closed)
    add(team.bob, "Voor iedereen")
    outsider = client_for(team.carol)
    assert listed(outsider) == ["Voor iedereen"]
    assert listed(outsider, "?group=team") == []
    html = outsider.get(reverse("document_list")).content.decode()
    assert 'value="team"' not in html
    assert listed(client_for(team.bob), "?group=team") == ["Teamzaken"]


def test_pages(team, client_for, settings):
    settings.DOCUMENTS_PER_PAGE = 2
    for n in range(5):
        add(team.bob, f"Document {n}")
    client = client_for(team.carol)
    assert listed(client) == ["Document 4", "Document 3"]
    assert listed(client, "?page=3") == ["Document 0"]
    assert "Page 1 of 3" in client.get(reverse("document_list")).content.decode()


@pytest.mark.parametrize("path", ["", "?tag=protocol", "?group=wondzorg", "?type=word"])
def test_the_list_costs_the_same_queries_for_two_documents_as_for_many(
    team, client_for, django_assert_num_queries, path
):
    client = client_for(team.carol)

    def add_some(count: int) -> None:
        for n in range(count):
            uploader = PersonFactory(username=f"uploader{n}-{count}")
            group = GroupFactory(slug=f"g{n}-{count}", members=[uploader, team.carol])
            add(uploader, f"D {n}", group=group if n % 2 else None, tags=["protocol", f"t{n}"])
            add(team.bob, f"W {n}", group=team.group, tags=["protocol"])

    add_some(1)  # two documents
    client.get(reverse("document_list") + path)  # what is cached after a first page
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("document_list") + path).status_code == 200
    # Twelve for the list, one for counting that the page was opened (insights).
    assert len(few.captured_queries) <= 13
    add_some(10)  # twenty more, in more groups, with more tags and uploaders
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("document_list") + path)
    assert len(response.context["documents"]) > 2


def test_the_list_keeps_the_organisations_name_in_the_header(team, client_for):
    """The page's own context never shadows the organisation the header shows."""
    html = client_for(team.carol).get(reverse("document_list")).content.decode()
    home = client_for(team.carol).get(reverse("home")).content.decode()
    brand = html[html.index('class="brand"') : html.index("</a>", html.index('class="brand"'))]
    assert brand in home
