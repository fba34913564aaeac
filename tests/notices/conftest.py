import pytest
from django.utils import timezone

from tests.conftest import Team, build_team
from tests.notices.helpers import prefs


def for_notices(team: Team) -> Team:
    """No quiet hours (tests run at any hour) and a recent login (digests go to those
    who come by), for everyone in the team."""
    for person in team.people:
        prefs(person)
        person.last_login = timezone.now()
        person.save()
    return team


@pytest.fixture
def team(db) -> Team:
    """The shared team, its group named "Wondzorg" as the notices and emails here say."""
    return for_notices(build_team(group_name="Wondzorg"))


@pytest.fixture
def team_committed(transactional_db) -> Team:
    return for_notices(build_team(group_name="Wondzorg"))
