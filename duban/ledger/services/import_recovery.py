"""Imports a stopped process or worker left "importing" (killed, its host restarted): the import's
transaction was rolled back with it, so nothing was imported. Each is started again, up to
MAX_ATTEMPTS times, then failed, saying why; the person who started it is told."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.core import progress
from duban.ledger.models import ImportJob, ImportState
from duban.ledger.services import imports

MAX_ATTEMPTS = 3  # an import stopped this many times (its process killed each time) is failed


def imports_recover(now: dt.datetime | None = None) -> list[str]:
    """Imports left importing by a process or worker that stopped (killed, its host restarted): its
    transaction was rolled back with it, so nothing was imported. Each is started again, up to
    MAX_ATTEMPTS times, then failed, saying why; the person who started it is told."""
    said = []
    for job in ImportJob.objects.filter(state=ImportState.RUNNING).select_related("ledger", "created_by"):
        if not progress.stalled(imports.progress_key(job), since=job.updated_at) or _held_by_a_runner(job):
            continue
        if job.attempts >= MAX_ATTEMPTS:
            with translation.override(settings.LANGUAGE_CODE):
                failure = _(
                    "The import stopped before it finished %(n)s times (its process was stopped); nothing was "
                    "imported. Upload the file again, or ask the administrator."
                ) % {"n": job.attempts}
            if ImportJob.objects.filter(pk=job.pk, state=ImportState.RUNNING).update(
                state=ImportState.FAILED, failure=failure, finished_at=now or timezone.now()
            ):
                imports.tell_the_importer(job, ImportState.FAILED)
                said.append(f"import {job.pk}: failed after {job.attempts} tries")
            continue
        ImportJob.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1, updated_at=now or timezone.now())
        progress.report(imports.progress_key(job), 0, job.to_create + job.to_update)
        imports.launch(job)
        said.append(f"import {job.pk}: started again")
    return said


def imports_recover_if_stalled(job: ImportJob) -> bool:
    """`imports_recover` when this job has stopped (its page asks, so the person watching it is not
    left waiting for the next sweep); whether anything was done."""
    return progress.stalled(imports.progress_key(job), since=job.updated_at) and bool(imports_recover())


def _held_by_a_runner(job: ImportJob) -> bool:
    """Whether a runner holds the job's row (PostgreSQL; it is still working, only quietly)."""
    if connection.vendor != "postgresql":
        return False
    with transaction.atomic():
        return ImportJob.objects.select_for_update(skip_locked=True).filter(pk=job.pk).first() is None
