import pytest

from accounts import actions


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def admin(db):
    from tests.factories import PersonFactory

    return PersonFactory(username="beheer", is_staff=True, is_superuser=True)


@pytest.fixture
def read_secret(team) -> str:
    return actions.make_personal_token(team.alice, "Rapportage", "read")[1]


@pytest.fixture
def write_secret(team) -> str:
    return actions.make_personal_token(team.alice, "Koppeling", "read_write")[1]
