import pytest

from communities.models import Membership
from tests.conftest import Team, build_team


def with_a_manager(team: Team) -> Team:
    """Alice manages the team's group; Bob and Carol are members."""
    Membership.objects.filter(group=team.group, person=team.alice).update(
        role=Membership.Role.MANAGER
    )
    return team


@pytest.fixture
def team(db) -> Team:
    return with_a_manager(build_team())


@pytest.fixture
def team_committed(transactional_db) -> Team:
    return with_a_manager(build_team())
