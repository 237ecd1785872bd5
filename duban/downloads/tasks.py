"""Exports on the workers (duban.core.background): safe to run twice."""

from __future__ import annotations

from celery import shared_task

from duban.downloads.models import ExportJob
from duban.downloads.services import export_run as run


@shared_task(name="duban.downloads.tasks.export_run")
def export_run(job_pk: int) -> str:
    job = ExportJob.objects.filter(pk=job_pk).select_related("requested_by").first()
    return "gone" if job is None else run(job)
