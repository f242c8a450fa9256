import pytest

from tests.access.world import World


@pytest.fixture
def world(db) -> World:
    return World.build()
