"""The campaigns' periodic task on the workers (CELERY_BEAT_SCHEDULE): safe to run twice."""

from __future__ import annotations

from celery import shared_task

from duban.campaigns.stats import tally_fold as fold


@shared_task(name="duban.campaigns.tasks.tally_fold")
def tally_fold() -> int:
    """Fold the statistics rows the reports' changes added into one per key, between sweeps."""
    return fold()
