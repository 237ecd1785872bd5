"""A large export written in the background: what was asked for (the kind and the list's filter,
read again with the asker's rights when it is written), how far it has got, and the file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.models import BaseModel, StepEvent
from duban.downloads.choices import ExportState


class ExportJob(BaseModel):
    kind = models.CharField(max_length=60)  # a key of `duban.downloads.kinds`
    params = models.JSONField(default=dict, blank=True)  # the list's query string: {name: [values]}
    list_url = models.CharField(max_length=2000, blank=True)  # the list's page, to ask again
    title = models.CharField(_("title"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=ExportState.choices, default=ExportState.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    total = models.PositiveIntegerField(default=0)  # rows to write, counted when writing starts
    done = models.PositiveIntegerField(default=0)  # rows written; with updated_at, the heartbeat
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    failure = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"]), models.Index(fields=["state", "updated_at"])]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return self.title


class ExportEvent(StepEvent):
    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="events")
