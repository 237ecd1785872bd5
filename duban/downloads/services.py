"""Every write about exports. A list small enough is sent at once; a larger one becomes an export
job written in the background (a Celery task, or a process of its own without a broker) into the
file store, its progress on its row, the asker told when it is ready. The moves are EXPORT_MOVES;
every one is a conditional update of the row and an event row, so a task delivered twice, or a
worker killed half-way, never writes a file twice or leaves half of one: the workbook is written
to a temporary file and reaches the store whole, then the job is finished."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import tempfile

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.core import background
from duban.core.exports import xlsx_sheets_response, xlsx_write
from duban.downloads.choices import EXPORT_MOVES, ExportState
from duban.downloads.kinds import Export, kinds, params_of, query_of
from duban.downloads.models import ExportEvent, ExportJob
from duban.ledger.services import notify

logger = logging.getLogger(__name__)

BEAT_EVERY = 2000  # rows between two progress reports (the heartbeat)
MAX_ATTEMPTS = 3  # an export stopped this many times (its process killed each time) is failed
S = ExportState


def _move(job: ExportJob, code: str, *, now: dt.datetime | None = None, reason: str = "", mine: bool = False,
          **fields) -> bool:  # fmt: skip
    """Move the job by EXPORT_MOVES if its row is still where the move starts (and, `mine`, still on
    this runner's try): the row, locked, says where the job is, not this copy of it; the event row
    with it."""
    step = EXPORT_MOVES[code]
    now = now or timezone.now()
    held = {"attempts": job.attempts} if mine else {}
    with transaction.atomic():
        before = (
            ExportJob.objects.select_for_update()
            .filter(pk=job.pk, state__in=step.sources, **held)
            .values_list("state", flat=True)
            .first()
        )
        if before is None:
            return False
        ExportJob.objects.filter(pk=job.pk).update(state=step.target, updated_at=now, **fields)
        ExportEvent.write(actor=None, code=step.event, at=now, before=before, after=step.target, reason=reason,
                          job=job)  # fmt: skip
    job.state = step.target
    for name, value in fields.items():
        if not isinstance(value, F):
            setattr(job, name, value)
    return True


# --- asking ----------------------------------------------------------------------------------


def export_response(request, kind: str, query: QueryDict | None = None):
    """The list as .xlsx at once when it holds at most DUBAN_EXPORT_INLINE_ROWS rows; else an export
    job, and the asker taken to its page."""
    query = request.GET if query is None else query
    export = kinds()[kind].build(request.user, query)
    limit = settings.DUBAN_EXPORT_INLINE_ROWS
    if export.count(limit + 1) <= limit:
        return xlsx_sheets_response(export.filename, export.sheets)
    job = export_request(actor=request.user, kind=kind, export=export, params=params_of(query))
    return redirect("downloads:detail", pk=job.pk)


def export_request(*, actor, kind: str, export: Export, params: dict) -> ExportJob:
    job = ExportJob.objects.create(kind=kind, params=params, title=export.title[:200], filename=export.filename[:200],
                                   list_url=export.list_url[:2000], requested_by=actor)  # fmt: skip
    ExportEvent.write(actor=actor, code="downloads.export.asked", at=job.created_at, after=job.state, job=job)
    transaction.on_commit(lambda: launch(job))
    return job


def launch(job: ExportJob) -> None:
    """Write the export: on a worker, or in a process of its own (replaced in tests by a direct call)."""
    argv = [sys.executable, "-m", "duban.cli", "export_run", str(job.pk)]
    background.run("duban.downloads.tasks.export_run", job.pk, embedded=lambda: subprocess.Popen(argv))  # noqa: S603


# --- writing ---------------------------------------------------------------------------------


def export_run(job: ExportJob) -> str:
    """Write the job's workbook and say how it ended: "done", "failed", or "skipped" (another
    runner has it, or it has ended). Safe to call twice for one job."""
    if not _move(job, "start", attempts=F("attempts") + 1, done=0):
        return "skipped"
    job.refresh_from_db(fields=["attempts"])  # this runner's try: a later one takes the job away
    with translation.override(settings.LANGUAGE_CODE):
        try:
            name = _write(job)
        except _TakenAway:
            return "skipped"
        except Exception as exc:  # the file never reached the store; the job records why
            logger.exception("Export %s failed", job.pk)
            why = f"{type(exc).__name__}: {exc}"  # for the administrator, in the event row and the log
            if _move(job, "fail", mine=True, reason=why[:500], failure=_failure(exc), finished_at=timezone.now()):
                _tell(job)
            return "failed"
    if not _move(job, "finish", mine=True, file=name, finished_at=timezone.now(), size=job.file.storage.size(name)):
        job.file.storage.delete(name)  # the job was started again meanwhile: its file is that run's
        return "skipped"
    _tell(job)
    return "done"


def _failure(exc: Exception) -> str:
    """Why the export failed, as its asker can act on it."""
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return _("The list no longer exists (it was removed after the export was asked for).")
    if isinstance(exc, PermissionDenied):
        return _("You may no longer see this list, so it was not exported.")
    return _("The file could not be written because of an error on the server, which was recorded for the "
             "administrator. Ask for the export again; if it fails again, tell the administrator.")  # fmt: skip


class _TakenAway(Exception):
    """The job is no longer this runner's (recovered as stopped, or failed)."""


def _write(job: ExportJob) -> str:
    user = job.requested_by
    export = kinds()[job.kind].build(user, query_of(job.params))
    total = export.count(None)
    ExportJob.objects.filter(pk=job.pk).update(total=total, updated_at=timezone.now())
    job.total = total

    def counted(rows):
        done = 0
        for row in rows:
            yield row
            done += 1
            if done % BEAT_EVERY == 0:
                _beat(job, done)
        _beat(job, done)

    sheets = [(title, headers, counted(rows)) for title, headers, rows in export.sheets]
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        xlsx_write(handle, sheets)
        handle.seek(0)
        return job.file.storage.save(job.file.field.generate_filename(job, job.filename), File(handle))


def _beat(job: ExportJob, done: int) -> None:
    if not ExportJob.objects.filter(pk=job.pk, state=S.RUNNING, attempts=job.attempts).update(
        done=done, updated_at=timezone.now()
    ):
        raise _TakenAway
    job.done = done


def _tell(job: ExportJob) -> None:
    if job.state == S.DONE:
        text = _("Your export %(title)s is ready (%(rows)s rows); download it from its page within %(days)s days.")
    else:
        text = _("Your export %(title)s could not be written; its page says why.")
    params = {"title": job.title, "rows": f"{job.total:,}", "days": settings.DUBAN_EXPORT_KEEP_DAYS}
    link = reverse("downloads:detail", args=[job.pk])
    notify.after_commit([job.requested_by], None, f"downloads.export.{job.state}", text, link=link, params=params)


# --- upkeep ----------------------------------------------------------------------------------


def exports_recover(now: dt.datetime | None = None) -> list[str]:
    """Exports a stopped process or worker left behind: one being written whose heartbeat stopped is
    started again (its temporary file went with its process), up to MAX_ATTEMPTS times, then failed,
    saying why; one still waiting after the same time (its task lost with the broker) is sent again."""
    now = now or timezone.now()
    since = now - dt.timedelta(seconds=settings.DUBAN_STALLED_AFTER_SECONDS)
    said = []
    for job in ExportJob.objects.filter(state__in=[S.RUNNING, S.QUEUED], updated_at__lt=since):
        if job.state == S.QUEUED:
            if ExportJob.objects.filter(pk=job.pk, state=S.QUEUED, updated_at__lt=since).update(updated_at=now):
                launch(job)  # once, however many recoveries run at the same moment
                said.append(f"export {job.pk}: sent again")
        elif job.attempts >= MAX_ATTEMPTS:
            with translation.override(settings.LANGUAGE_CODE):
                failure = _("The export stopped before it finished %(n)s times (its process was stopped). Ask for "
                            "it again, or ask the administrator.") % {"n": job.attempts}  # fmt: skip
            if _move(job, "fail", now=now, reason="stopped", failure=failure, finished_at=now):
                _tell(job)
                said.append(f"export {job.pk}: failed after {job.attempts} tries")
        elif _move(job, "again", now=now, reason="stopped"):
            launch(job)
            said.append(f"export {job.pk}: started again")
    return said


def exports_expire(now: dt.datetime | None = None) -> int:
    """Remove the files of exports finished more than DUBAN_EXPORT_KEEP_DAYS ago."""
    now = now or timezone.now()
    before = now - dt.timedelta(days=settings.DUBAN_EXPORT_KEEP_DAYS)
    removed = 0
    for job in ExportJob.objects.filter(state=S.DONE, finished_at__lt=before):
        name = job.file.name
        if _move(job, "expire", now=now, file=""):
            job.file.storage.delete(name)
            removed += 1
    return removed
