"""A person's exports: the list, one export's page (its progress while it is written), its file."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from duban.core.text import download_name
from duban.downloads.choices import ExportState
from duban.downloads.models import ExportJob
from duban.downloads.services import exports_recover

RECENT = 50
WORKING = (ExportState.QUEUED, ExportState.RUNNING)


def _context(**extra) -> dict:
    return {"keep_days": settings.DUBAN_EXPORT_KEEP_DAYS, "inline": settings.DUBAN_EXPORT_INLINE_ROWS, **extra}


def _own(request, pk: int) -> ExportJob:
    """Only the person who asked sees an export: it holds what their rights showed them."""
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@login_required
def export_list(request):
    jobs = ExportJob.objects.filter(requested_by=request.user)[:RECENT]
    return render(request, "downloads/list.html", _context(jobs=jobs))


@login_required
def export_detail(request, pk: int):
    job = _own(request, pk)
    if job.state in WORKING and exports_recover():  # a stopped runner: not left for the next sweep
        job.refresh_from_db()
    if request.htmx:
        if job.state not in WORKING:  # ended: the whole page again, with the file or the reason
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(request, "downloads/_progress.html", _context(job=job))
    return render(request, "downloads/detail.html", _context(job=job))


@login_required
def export_file(request, pk: int):
    job = _own(request, pk)
    if job.state != ExportState.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=download_name(job.filename))
