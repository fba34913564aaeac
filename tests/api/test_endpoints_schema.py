"""The served schema tells the truth about the resources: schemathesis sends each
operation requests made from the schema (a few per operation, in process) and checks
that none fails with a server error, that every answer's status is documented and
that its body matches the schema. On PostgreSQL (the integration run), whose
refusals (an id out of range, say) a server error would show."""

from __future__ import annotations

import base64

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authentication import BasicAuthentication
from rest_framework.views import APIView
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from communities import actions
from tests.agenda.helpers import make_event
from tests.documents.helpers import add
from tests.factories import PASSWORD
from tests.knowledge.helpers import make_page

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def world(team, settings, monkeypatch):
    # Alice's password over HTTP Basic, whatever the API's own authentication
    # (tokens, sessions with their CSRF check): this test is about the resources.
    monkeypatch.setattr(APIView, "authentication_classes", [BasicAuthentication])
    settings.ALLOWED_HOSTS = ["*"]
    settings.RATELIMIT_ENABLE = False
    post = actions.post_to_group(team.alice, team.group, "Eerste bericht #wondzorg")
    actions.reply_to_post(team.bob, post, "Antwoord @alice")
    actions.toggle_reaction(team.bob, post, "like")
    make_page(team.alice, group=team.group)
    add(team.alice, group=team.group)
    make_event(team.alice, team.group)
    return team


@pytest.fixture
def connections_kept():
    """Django's test client keeps the test's database connection open across requests
    (the test's transaction lives in it); so does this in-process WSGI app."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.integration
def test_every_operation_answers_as_its_schema_says(world, connections_kept):
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    login = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    headers = {"Authorization": f"Basic {login}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if op.path.startswith("/api/v1/")]
    assert len(operations) > 25
    answered: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=5,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers(case) -> None:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            answered.append(response.status_code)

        answers()
    # Not all refused: the examples reached the resources as Alice.
    assert sum(200 <= code < 300 for code in answered) > len(operations)
