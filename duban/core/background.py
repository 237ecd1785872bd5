"""Background work, in one place: on the Celery workers when CELERY_BROKER_URL names a broker,
else the embedded way each caller names (a process of its own, or a call right here). Every task is
idempotent: a worker killed half-way leaves its transaction rolled back, and the task may run again."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def uses_workers() -> bool:
    return bool(settings.CELERY_BROKER_URL)


def run(task: str, *args, embedded: Callable[[], None]) -> bool:
    """Queue the task named `task` with `args` (JSON values) for the workers, or call `embedded()`.
    False when the broker could not take it: the caller's recovery (`duban.ledger.upkeep.recover`)
    sends it again."""
    if not uses_workers():
        embedded()
        return True
    from duban.celery import app

    try:
        app.send_task(task, args=list(args))
    except Exception:  # the broker is down: the work is recorded, and recovery sends it again
        logger.exception("Could not queue %s%r", task, args)
        return False
    return True


def after_commit(task: str, *args, embedded: Callable[[], None]) -> None:
    """`run` once the current transaction commits (nothing is queued for work that was rolled back)."""
    transaction.on_commit(lambda: run(task, *args, embedded=embedded))
