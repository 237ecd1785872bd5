"""Background work and its record: sweep runs and import jobs."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.models import BaseModel
from duban.ledger.models.items import USER
from duban.ledger.models.ledgers import Ledger


class ImportState(models.TextChoices):
    CHECKED = "checked", _("Checked")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")  # its items removed again, the same day


class ImportedDoneAs(models.TextChoices):
    """What a row the office's ledger marks as rectified becomes."""

    DONE = "record_done", _("Done")
    SUBMITTED = "record_submitted", _("Awaiting verification")


class SweepRun(models.Model):
    """One run of the sweep: when it ran, for which day, and what it did. A run without
    `finished_at` was killed or is still going; the next run does its work again (idempotently)."""

    day = models.DateField(_("swept as of"), db_index=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    items = models.PositiveIntegerField(_("open items"), default=0)
    lights_changed = models.PositiveIntegerField(_("lights changed"), default=0)
    notices = models.PositiveIntegerField(_("notices issued"), default=0)
    parts = models.PositiveSmallIntegerField(default=1)  # the workers' shares of the items

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")

    def __str__(self) -> str:
        return f"{self.day} {self.started_at:%H:%M}"


class SweepPart(models.Model):
    """A part of a run (on a worker): claimed once, so a part delivered twice is done once."""

    run = models.ForeignKey(SweepRun, on_delete=models.CASCADE, related_name="parts_done")
    part = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    lights_changed = models.PositiveIntegerField(default=0)
    notices = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "part"], name="ledger_sweeppart_once")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.part}"


class ImportJob(BaseModel):
    """An uploaded .xlsx ledger: checked row by row before anything is written, then imported whole."""

    ledger = models.ForeignKey(Ledger, on_delete=models.PROTECT, related_name="imports")
    file = models.FileField(upload_to="imports/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=ImportState.choices, default=ImportState.CHECKED)
    total_rows = models.PositiveIntegerField(default=0)
    to_create = models.PositiveIntegerField(default=0)
    to_update = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    assign = models.BooleanField(_("assign the new items at once"), default=False)
    done_as = models.CharField(
        _("rows marked as rectified come in as"),
        max_length=16,
        choices=ImportedDoneAs.choices,
        default=ImportedDoneAs.DONE,
    )
    failure = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # times started (again, after a stopped process)
    finished_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdraw_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Where the table was found, and how its columns are read: [{"header", "samples", "field"}]
    # ("field" "" keeps the column as an other column); the first rows as they will be stored;
    # what was read in a way the office may want to check.
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=0)
    columns = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    unknown_units = models.JSONField(default=list, blank=True)  # unit names no unit has yet
    # what the owning context made of the rows (`owners.import_subjects`), removed on withdrawal
    created_subjects = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")

    def __str__(self) -> str:
        return self.name


class ImportMapping(BaseModel):
    """How an office reads the columns of its own ledger, kept so next month's file maps itself:
    {column header: field, or "" for an other column}. One per ledger; the office's latest serves
    a ledger that has none yet."""

    owner_unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    ledger = models.OneToOneField(Ledger, on_delete=models.CASCADE, related_name="import_mapping")
    fields = models.JSONField(default=dict)
    headers = models.JSONField(default=list)  # the office's columns, in its order: the export's layout

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")

    def __str__(self) -> str:
        return str(self.ledger)
