"""Schema-driven testing of the whole API: schemathesis reads the schema a live
server serves and, for every operation in it, sends generated requests with a
read-write token; no answer may be a server error, have a status the operation
does not list, or break the schema of its answer.

Written for every operation the schema has, so it covers each endpoint as it is
added. Safe operations run first and deletions last, each operation with a token
of its own, so that what one operation removes or revokes does not turn the next
one's examples into mere 401s."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from accounts import actions as account_actions
from communities import actions as core_actions
from communities.models import Group
from tests.factories import GroupFactory
from tests.live import DaphneProcess

pytestmark = pytest.mark.integration

# Enough to meet each operation's parameters a few ways and keep the whole run short.
EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
ORDER = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "POST": 1, "PUT": 2, "PATCH": 2, "DELETE": 3}


@pytest.fixture
def api_server(monkeypatch, transactional_db, server_logs):
    # Far above what the run sends: the throttle runs, and refuses nothing.
    monkeypatch.setenv("API_RATE_LIMIT", "1000000/m")
    server = DaphneProcess("api", server_logs).start()
    yield server
    server.stop()


@pytest.fixture
def small_world(team_committed):
    """Alice's open group with posts and a reply, and a secret group she is not in."""
    team = team_committed
    post = core_actions.post_to_group(team.bob, team.group, "Nieuw protocol #wondzorg")
    core_actions.reply_to_post(team.alice, post, "Dank je, @bob!")
    core_actions.post_to_group(team.alice, team.group, "Wie heeft er verband over?")
    secret = GroupFactory(
        name="Vertrouwenspersonen", privacy=Group.Privacy.SECRET, members=[team.carol]
    )
    core_actions.post_to_group(team.carol, secret, "Alleen voor ons")
    return team


def examples(operation, base_url: str, secret: str):
    """A Hypothesis test of one operation: its generated requests, with ``secret``."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def keeps_to_the_schema(case) -> None:
        case.call_and_validate(
            base_url=base_url,
            headers={"Authorization": f"Bearer {secret}"},
            checks=CHECKS,
            timeout=30,
        )

    return keeps_to_the_schema


def test_every_operation_keeps_to_the_schema(api_server, small_world):
    schema = schemathesis.openapi.from_url(f"{api_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema lists no operations"
    operations.sort(key=lambda operation: (ORDER.get(operation.method.upper(), 4), operation.path))
    failures: dict[str, str] = {}
    for operation in operations:
        secret = account_actions.make_personal_token(
            small_world.alice, f"schemathesis {operation.label}"[:100], "read_write"
        )[1]
        try:
            examples(operation, api_server.url, secret)()
        except Exception as failure:  # noqa: BLE001 (each operation's report is gathered)
            failures[operation.label] = str(failure)[:3000]
    assert not failures, "\n\n".join(f"{label}:\n{report}" for label, report in failures.items())
