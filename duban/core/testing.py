"""Helpers for tests that need real concurrency (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection


def run_together(*calls: Callable[[], object]) -> list[object]:
    """Start every call at the same moment in its own thread (and connection); return each result,
    or the ValidationError it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def run(call):
        barrier.wait()
        try:
            outcomes.append(call())
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
