"""Run calls at the same moment, each in its own thread with its own database connection, for the row-lock tests."""

import threading
from collections.abc import Callable

from django.db import connections


def run_together(calls: list[Callable[[], object]], *, is_refusal: Callable[[Exception], bool]) -> list[str]:
    """Start every call together (a barrier) and say how each ended: "done", "refused" when `is_refusal` accepts its
    error, else the unexpected error itself, so a test comparing the outcomes fails on it rather than losing it."""
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def racer(call):
        try:
            start.wait(timeout=10)
            call()
            outcomes.append("done")
        except Exception as error:  # noqa: BLE001 (reported in the outcomes; never swallowed)
            outcomes.append("refused" if is_refusal(error) else f"unexpected: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=racer, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
