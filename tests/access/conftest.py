"""The World of the access tests, built once per module (tests/built_once.py): each test gets its own copy, and its
writes are rolled back."""

from collections.abc import Iterator

import pytest

from tests.built_once import built_once, fresh_copy

from .world import World


@pytest.fixture(scope="module")
def world_of_the_module(request, django_db_setup, django_db_blocker) -> Iterator[World]:
    """With every side Y object made too, unless the module makes them per test (WORLD_OBJECTS_PER_TEST): the walks
    that post every form on a page see only the page's own objects, as before, so their pages stay small."""
    if getattr(request.module, "WORLD_OBJECTS_PER_TEST", False):
        yield from built_once(django_db_blocker, World.build)
    else:
        yield from built_once(django_db_blocker, lambda: World.build().with_every_object())


@pytest.fixture
def world(db, world_of_the_module) -> World:
    return fresh_copy(world_of_the_module)
