import pytest

from .world import World


@pytest.fixture
def world(db) -> World:
    return World.build()
