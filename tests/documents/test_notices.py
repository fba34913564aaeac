"""Who uploaded a document hears when someone else uploads a new version of it."""

from __future__ import annotations

from communities import actions as community_actions
from communities.models import Group
from documents import actions
from notices import queries as notice_queries
from tests.documents import files
from tests.documents.helpers import add, checked


def test_the_uploader_hears_of_a_new_version_by_someone_else(
    team, client_for, django_capture_on_commit_callbacks
):
    document = add(team.bob, group=team.group, title="Wondprotocol")
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_file(team.alice, document, checked("v2.docx", files.docx_bytes("v2")))
    [notice] = notice_queries.latest(team.bob)
    assert notice.text == "Alice de Vries uploaded a new version of “Wondprotocol”"
    assert notice.url == document.get_absolute_url()
    page = client_for(team.bob).get("/notifications/").content.decode()
    assert "uploaded a new version of “Wondprotocol”" in page
    assert notice_queries.latest(team.alice) == []


def test_ones_own_new_version_tells_nobody(team, django_capture_on_commit_callbacks):
    document = add(team.bob, group=team.group)
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_file(team.bob, document, checked("v2.docx", files.docx_bytes("v2")))
    assert notice_queries.latest(team.bob) == []


def test_the_notice_goes_once_the_uploader_may_no_longer_see_the_document(
    team, client_for, django_capture_on_commit_callbacks
):
    team.group.privacy = Group.Privacy.CLOSED
    team.group.save()
    document = add(team.bob, group=team.group, title="Wondprotocol")
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_file(team.alice, document, checked("v2.docx", files.docx_bytes("v2")))
    assert len(notice_queries.latest(team.bob)) == 1
    community_actions.remove_member(team.alice, team.group, team.bob)
    assert notice_queries.latest(team.bob) == []
    assert "Wondprotocol" not in client_for(team.bob).get("/notifications/").content.decode()
