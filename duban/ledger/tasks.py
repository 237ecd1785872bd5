"""The ledger's background tasks (duban.core.background) and the periodic ones (CELERY_BEAT_SCHEDULE in
duban/settings.py): each safe to run twice."""

from __future__ import annotations

from celery import shared_task

from duban.ledger import upkeep
from duban.ledger.models import ImportJob, SweepRun
from duban.ledger.services import sweep as services_sweep
from duban.ledger.services.imports import job_run


@shared_task(name="duban.ledger.tasks.import_run")
def import_run(job_pk: int) -> str:
    job = ImportJob.objects.filter(pk=job_pk).select_related("ledger", "created_by").first()
    return "gone" if job is None else job_run(job)


@shared_task(name="duban.ledger.tasks.sweep")
def sweep() -> list[str]:
    return upkeep.sweep_on_workers()


@shared_task(name="duban.ledger.tasks.sweep_part")
def sweep_part(run_pk: int, part: int, parts: int) -> bool:
    run = SweepRun.objects.filter(pk=run_pk).first()
    return run is not None and services_sweep.sweep_part(run, part, parts)


@shared_task(name="duban.ledger.tasks.context_upkeep")
def context_upkeep(label: str) -> str:
    return upkeep.context_upkeep(label)


@shared_task(name="duban.ledger.tasks.recover")
def recover() -> list[str]:
    return upkeep.recover()
