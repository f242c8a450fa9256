"""Test data built once for a module (or a class) of tests instead of once per test, as Django's setUpTestData does.

The data is made inside a transaction that stays open while the module's tests run and is rolled back after the last
one. Each test still runs in a savepoint of its own (pytest-django's `db`), so whatever a test writes is rolled back
before the next test starts: tests cannot affect each other. `fresh_copy` gives each test its own copy of the Python
objects too, so a test that changes one in memory does not change it for the next.

Use it from a fixture scoped to a module or a class, never the session: a transaction left open across modules would
wrap tests that need to commit. The tests that use it must be non-transactional (`db`, not `transactional_db`).

    @pytest.fixture(scope="module")
    def demo_of_the_module(django_db_setup, django_db_blocker):
        yield from built_once(django_db_blocker, build_demo)
"""

import copy
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction

Built = TypeVar("Built")


def built_once(django_db_blocker, build: Callable[[], Built]) -> Iterator[Built]:
    """Yield what `build` makes; everything it wrote is rolled back when the fixture is torn down."""
    with django_db_blocker.unblock():
        kept = transaction.atomic()
        kept.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)


def fresh_copy(built: Built) -> Built:
    """A test's own copy of objects built once (Django's TestData does the same for setUpTestData's attributes)."""
    return copy.deepcopy(built)
