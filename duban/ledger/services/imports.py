"""Importing a ledger from .xlsx: check first (nothing written), then import every row or none.

The import runs away from the web request, so a long file does not hold a web worker: on a Celery
worker when there is a broker, else in a process of its own (`duban ledger_import JOB`); either
way through `job_run`, which any host's page follows by its progress (`duban.core.progress`). The
rows found at check time are kept in the file store (shared by every host) until the import ends.
An import stopped half-way (its worker or host killed) leaves nothing: its transaction is rolled
back; `import_recovery.imports_recover` starts it again, or, after a few tries, fails it and
says why.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duban.core import background, progress
from duban.core.bulk import insert_many
from duban.ledger import access, mapping
from duban.ledger.choices import ItemState
from duban.ledger.imports import CheckedWorkbook, check_workbook
from duban.ledger.models import (
    ImportedDoneAs,
    ImportJob,
    ImportMapping,
    ImportState,
    Item,
    ItemEvent,
    Ledger,
    ProgressReport,
)
from duban.ledger.owners import import_subjects, imported_subjects_remove
from duban.ledger.services import events, notify
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import item_update, items_register
from duban.ledger.services.transitions import items_record_imported, items_transition_many
from duban.orgs.models import Unit, User
from duban.orgs.services import unit_alias_add

CHUNK = 1000
MAX_BYTES = 50 * 1024 * 1024
KEPT_UNSTARTED = dt.timedelta(days=1)  # an upload not imported by then is removed (`stale_uploads_remove`)


def progress_key(job: ImportJob) -> str:
    return f"ledger-import-{job.pk}"


def checked_name(job: ImportJob) -> str:
    """Where the rows found at check time are kept, in the file store every host reads."""
    return f"import-checks/{job.pk}.json"


def checked_kept(job: ImportJob) -> bool:
    return default_storage.exists(checked_name(job))


def _forget_checked(job: ImportJob) -> None:
    if default_storage.exists(checked_name(job)):
        default_storage.delete(checked_name(job))


def progress_of(job: ImportJob) -> dict:
    total = job.to_create + job.to_update
    found = progress.read(progress_key(job)) if job.state == ImportState.RUNNING else None
    if found is None:
        return {"done": total if job.state == ImportState.DONE else 0, "total": total}
    return {"done": found.done, "total": found.total}


def _refuse_unless_office(actor: User | None, ledger: Ledger) -> None:
    if actor is not None and not access.acts_for_office(actor, ledger):
        raise LedgerPermissionError(_("Only the supervising office imports into this ledger."))


def _checked_fields(checked: CheckedWorkbook) -> dict:
    return {
        "total_rows": checked.rows,
        "to_create": len(checked.creates),
        "to_update": len(checked.updates),
        "errors": [error.as_dict() for error in checked.errors],
        "warnings": [warning.as_dict() for warning in checked.warnings],
        "sheet": checked.sheet[:100],
        "header_row": checked.header_row,
        "columns": checked.columns,
        "preview": checked.preview,
        "unknown_units": checked.unknown_units[:100],
    }


def _keep_checked_rows(job: ImportJob, checked: CheckedWorkbook) -> None:
    _forget_checked(job)
    if not checked.errors:
        text = json.dumps(_rows_as_json(checked), cls=DjangoJSONEncoder)
        default_storage.save(checked_name(job), ContentFile(text.encode("utf-8")))


def job_check(
    *,
    actor: User | None,
    ledger: Ledger,
    name: str,
    data: bytes,
    assign: bool = False,
    done_as: str = ImportedDoneAs.DONE,
) -> ImportJob:
    """Keep the upload and check every row; nothing is imported yet. `done_as`: what a row the
    office's ledger marks as rectified becomes (done, or awaiting verification)."""
    _refuse_unless_office(actor, ledger)
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 50 MB.")})
    checked = check_workbook(data, ledger, name=name, assign=assign)
    job = ImportJob(
        ledger=ledger,
        name=name[:200],
        assign=assign,
        done_as=ImportedDoneAs(done_as),
        created_by=actor,
        **_checked_fields(checked),
    )
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    _keep_checked_rows(job, checked)
    return job


def job_remap(*, actor: User | None, job: ImportJob, chosen: dict[int, str]) -> ImportJob:
    """Read the upload again with the columns mapped as the office chose (each field for one
    column at most; the others kept as other columns), and remember the choice for the ledger."""
    _refuse_unless_office(actor, job.ledger)
    if job.state != ImportState.CHECKED:
        raise ValidationError(_("This file has already been imported."))
    fields = [name for name in chosen.values() if name != mapping.EXTRA]
    if unknown := set(fields) - set(mapping.fields_for(job.ledger.kind)):
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if twice := sorted({name for name in fields if fields.count(name) > 1}):
        labels = "、".join(mapping.field_label(name) for name in twice)
        raise ValidationError(_("Each field can be read from one column only: %(fields)s.") % {"fields": labels})
    with job.file.open("rb") as stored:
        checked = check_workbook(stored.read(), job.ledger, chosen, name=job.name, assign=job.assign)
    updated = ImportJob.objects.filter(pk=job.pk, state=ImportState.CHECKED).update(**_checked_fields(checked))
    if not updated:
        raise ValidationError(_("This file has already been imported."))
    job.refresh_from_db()
    _keep_checked_rows(job, checked)
    mapping_remember(job)
    return job


def job_unit_alias(*, actor: User | None, job: ImportJob, name: str, unit: Unit) -> ImportJob:
    """Read `name` as `unit` from now on (`unit_alias_add`) and check the upload again."""
    _refuse_unless_office(actor, job.ledger)
    unit_alias_add(actor=actor, name=name, unit=unit)
    chosen = {index: column["field"] for index, column in enumerate(job.columns)}
    return job_remap(actor=actor, job=job, chosen=chosen)


def mapping_remember(job: ImportJob) -> ImportMapping:
    """Keep the job's column mapping for its ledger, so the office's next file maps itself."""
    headers = [column["header"] for column in job.columns]
    mapped = {index: column["field"] for index, column in enumerate(job.columns) if column["field"]}
    kept, _created = ImportMapping.objects.update_or_create(
        ledger=job.ledger,
        defaults={
            "owner_unit_id": job.ledger.owner_unit_id,
            "fields": mapping.remembered_form(headers, mapped),
            "headers": [header for header in headers if header.strip()],
        },
    )
    return kept


def _rows_as_json(checked: CheckedWorkbook) -> dict:
    """The checked rows, kept so the import does not read and check the file a second time."""

    def plain(spec: dict) -> dict:
        spec = dict(spec)
        if "lead_unit" in spec:
            spec["lead_unit"] = spec["lead_unit"].pk
        spec["co_units"] = [[unit.pk, part] for unit, part in spec.get("co_units", [])]
        if "audit" in spec:
            audit = spec["audit"] = dict(spec["audit"])
            audit["amount"] = str(audit["amount"])
            if "audited_unit" in audit:
                audit["audited_unit"] = audit["audited_unit"].pk
        return spec

    return {
        "creates": [plain(spec) for spec in checked.creates],
        "updates": [[item.pk, plain(spec)] for item, spec in checked.updates],
    }


def _rows_from_json(job: ImportJob) -> CheckedWorkbook | None:
    """The rows kept at check time, as specs again; None when they were not kept."""
    try:
        with default_storage.open(checked_name(job), "rb") as kept_file:
            kept = json.loads(kept_file.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    units = Unit.objects.in_bulk()
    items = job.ledger.items.in_bulk([pk for pk, _spec in kept["updates"]])

    def spec_of(plain: dict) -> dict:
        spec = dict(plain)
        if "lead_unit" in spec:
            spec["lead_unit"] = units[spec["lead_unit"]]
        spec["co_units"] = [(units[pk], part) for pk, part in spec["co_units"]]
        if "audit" in spec:
            audit = spec["audit"]
            audit["amount"] = Decimal(audit["amount"])
            if "audited_unit" in audit:
                audit["audited_unit"] = units[audit["audited_unit"]]
        if spec.get("deadline"):
            spec["deadline"] = dt.date.fromisoformat(spec["deadline"])
        return spec

    return CheckedWorkbook(
        creates=[spec_of(plain) for plain in kept["creates"]],
        updates=[(items[pk], spec_of(plain)) for pk, plain in kept["updates"]],
    )


def launch(job: ImportJob) -> None:
    """Start the import: on a worker, or in a process of its own (replaced in tests by a direct call)."""
    argv = [sys.executable, "-m", "duban.cli", "ledger_import", str(job.pk)]
    background.run("duban.ledger.tasks.import_run", job.pk, embedded=lambda: subprocess.Popen(argv))  # noqa: S603


def job_start(*, actor: User | None, job: ImportJob) -> ImportJob:
    """Commit a checked upload: refused while it has errors, and only once."""
    _refuse_unless_office(actor, job.ledger)
    if job.errors:
        raise ValidationError(_("Correct the errors in the file and upload it again."))
    started = ImportJob.objects.filter(pk=job.pk, state=ImportState.CHECKED).update(state=ImportState.RUNNING)
    if not started and not ImportJob.objects.filter(pk=job.pk).exists():
        raise ValidationError(_("This upload was removed a day after it was checked; upload the file again."))
    if not started:
        raise ValidationError(_("This file has already been imported."))
    ImportJob.objects.filter(pk=job.pk).update(attempts=1, updated_at=timezone.now())
    job.refresh_from_db()
    if job.columns:
        mapping_remember(job)
    progress.report(progress_key(job), 0, job.to_create + job.to_update)
    transaction.on_commit(lambda: launch(job))
    return job


def job_run(job: ImportJob) -> str:
    """Import every row in one transaction, all rows or none, and say how it ended ("done",
    "failed", or "skipped": the job is not importing, or, on PostgreSQL, another runner holds it).
    Safe to call twice for one job (a task delivered again): it only ever imports once."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            outcome = _import_all(job)
        except Exception as exc:  # the import is rolled back; the job records why
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else f"{type(exc).__name__}: {exc}"
            failed = ImportJob.objects.filter(pk=job.pk, state=ImportState.RUNNING).update(
                state=ImportState.FAILED, failure=message, finished_at=timezone.now()
            )
            if failed:
                tell_the_importer(job, ImportState.FAILED)
            raise
    if outcome == "done":
        progress.forget(progress_key(job))
        _forget_checked(job)
        tell_the_importer(job, ImportState.DONE)
    return outcome


def _import_all(job: ImportJob) -> str:
    chosen = {index: column["field"] for index, column in enumerate(job.columns)} if job.columns else None
    checked = _rows_from_json(job) or check_workbook(job.file.open("rb").read(), job.ledger, chosen)
    total = len(checked.creates) + len(checked.updates)
    if checked.errors:
        raise ValidationError(_("The file changed since it was checked; upload it again."))
    with progress.Reporter(progress_key(job)) as report, transaction.atomic():
        try:  # locked until the commit (PostgreSQL): a second runner leaves the job to this one
            with transaction.atomic():  # a savepoint, so a refused lock leaves the transaction usable
                held = ImportJob.objects.select_for_update(nowait=True).filter(pk=job.pk, state=ImportState.RUNNING)
                if held.first() is None:
                    return "skipped"
        except DatabaseError:
            return "skipped"
        done = 0
        subjects = import_subjects(job)
        for start in range(0, len(checked.creates), CHUNK):
            specs = checked.creates[start : start + CHUNK]
            if subjects is not None:
                specs = [subjects.subject_of(spec) for spec in specs]
            created = items_register(actor=job.created_by, ledger=job.ledger, specs=specs)
            _as_the_ledger_says(job, created, specs)
            done += len(created)
            report(done, total)
        for item, spec in checked.updates:
            item_update(actor=job.created_by, item=item, data=spec)
            done += 1
            if done % CHUNK == 0:
                report(done, total)
        created = subjects.created if subjects is not None else {}
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportState.DONE, finished_at=timezone.now(), created_subjects=created
        )
    return "done"


def tell_the_importer(job: ImportJob, state: str) -> None:
    if job.created_by is None:
        return
    if state == ImportState.DONE:
        text = _("%(name)s is imported into %(ledger)s: %(created)s new items, %(updated)s updated. The import page "
                 "shows what to do next.")  # fmt: skip
    else:
        text = _("The import of %(name)s into %(ledger)s failed; nothing was imported. The import page says why.")
    link = reverse("ledger:import_detail", args=[job.pk])
    params = {"name": job.name, "ledger": job.ledger.name, "created": job.to_create, "updated": job.to_update}
    notify.after_commit([job.created_by], None, f"ledger.import.{state}", text, link=link, params=params)


def _as_the_ledger_says(job: ImportJob, created: list[Item], specs: list[dict]) -> None:
    """What the office's ledger says of each new item: where it came from (an event naming the
    file, sheet and row), its progress so far (its first progress report), and whether it is
    already rectified (done, or awaiting verification, as the office chose). The others are
    assigned, when the office asked for it, with one notice per unit."""
    actor = job.created_by
    rows = list(zip(created, specs, strict=True))
    Item.objects.filter(pk__in=[item.pk for item in created]).update(import_job=job)
    insert_many(
        ItemEvent,
        [
            events.build(item, "ledger.item.imported", actor=actor, data={"file": job.name, "sheet": job.sheet,
                                                                          "row": spec.get("row")})
            for item, spec in rows
        ],
    )  # fmt: skip
    texts = {item.pk: spec["progress_text"] for item, spec in rows if spec.get("progress_text")}
    finished = [item for item, spec in rows if spec.get("done")]
    still_open = [item for item, spec in rows if not spec.get("done")]
    items_record_imported(actor=actor, items=finished, action=job.done_as, texts=texts)
    insert_many(
        ProgressReport,
        [
            ProgressReport(item=item, unit=item.lead_unit, percent=item.progress, text=texts[item.pk], created_by=actor)
            for item in still_open
            if item.pk in texts
        ],
    )
    if job.assign and still_open:
        items_transition_many(actor=actor, items=still_open, action="assign")


# What may have happened to an imported item for its import still to be withdrawn: nothing but
# the import itself (and the lights it computed).
UNTOUCHED_EVENTS = {
    "ledger.item.created",
    "ledger.item.imported",
    "ledger.item.recorded_done",
    "ledger.item.recorded_submitted",
    "ledger.item.light",
    "ledger.item.updated",  # the office's own follow-up: a deadline set for the batch
}
WITHDRAW_WITHIN = dt.timedelta(days=1)


def _batch(job: ImportJob):
    return Item.objects.filter(import_job=job)


def _require_done(job: ImportJob) -> None:
    if not ImportJob.objects.filter(pk=job.pk, state=ImportState.DONE).exists():
        raise ValidationError(_("This import has not written its items, or they were withdrawn."))


def batch_assign(*, actor: User | None, job: ImportJob) -> tuple[list[Item], list[Item]]:
    """Assign (交办) the drafts the import wrote, in one block: one notice per unit. Drafts whose
    deadline is past stay drafts (their numbers are returned second) until given a new one."""
    _refuse_unless_office(actor, job.ledger)
    _require_done(job)
    drafts = list(_batch(job).filter(state=ItemState.DRAFT).order_by("seq"))
    if not drafts:
        raise ValidationError(_("No item of this import is still a draft."))
    today = timezone.localdate()
    late = [item for item in drafts if item.deadline is not None and item.deadline < today]
    ready = [item for item in drafts if item not in late]
    if not ready:
        raise ValidationError(_("Every draft of this import has a deadline already past: set a new one first."))
    return items_transition_many(actor=actor, items=ready, action="assign"), late


@transaction.atomic
def batch_set_deadline(*, actor: User | None, job: ImportJob, deadline: dt.date) -> int:
    """Give the drafts the import wrote without a deadline, or with one already past, this one
    (before they are assigned); the others keep theirs."""
    _refuse_unless_office(actor, job.ledger)
    _require_done(job)
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline is already past.")})
    drafts = list(
        _batch(job)
        .filter(state=ItemState.DRAFT)
        .filter(Q(deadline__isnull=True, deadline_working_days__isnull=True) | Q(deadline__lt=timezone.localdate()))
        .select_for_update()
    )
    if not drafts:
        raise ValidationError(_("Every draft of this import already has a deadline ahead."))
    for item in drafts:
        item_update(actor=actor, item=item, data={"deadline": deadline, "deadline_working_days": None})
    return len(drafts)


def withdraw_refusal(job: ImportJob, now: dt.datetime | None = None) -> str:
    """Why the import can no longer be withdrawn ("" when it can)."""
    if job.state != ImportState.DONE:
        return _("This import has not written its items, or they were withdrawn.")
    if job.to_update:
        return _("This import also changed items that were already in the ledger: it cannot be withdrawn whole.")
    if job.finished_at is None or (now or timezone.now()) - job.finished_at > WITHDRAW_WITHIN:
        return _("An import can be withdrawn only within a day of it.")
    touched = ItemEvent.objects.filter(item__import_job=job).exclude(code__in=UNTOUCHED_EVENTS)
    if touched.exists() or ProgressReport.objects.filter(item__import_job=job, created_at__gt=job.finished_at).exists():
        return _("Work has begun on some of its items: cancel those one by one instead.")
    if Item.objects.filter(parent__import_job=job).exclude(import_job=job).exists():
        return _("Other items were added under its items: cancel those one by one instead.")
    return ""


@transaction.atomic
def batch_withdraw(*, actor: User | None, job: ImportJob, reason: str) -> int:
    """Remove what the import wrote, within a day and while nothing has happened to its items
    (a wrong file, the wrong ledger). The job keeps the file, who withdrew it, when and why."""
    _refuse_unless_office(actor, job.ledger)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if refusal := withdraw_refusal(job):
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the import is withdrawn.")})
    items = _batch(job)
    ItemEvent.objects.filter(item__in=items).delete()
    ProgressReport.objects.filter(item__in=items).delete()
    _total, by_model = items.delete()
    imported_subjects_remove(job)
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawn_by=actor if getattr(actor, "is_authenticated", False) else None,
        withdraw_reason=reason.strip()[:200],
    )
    return by_model.get("ledger.Item", 0)


def stale_uploads_remove(now: dt.datetime | None = None) -> int:
    """Remove, a day after they were uploaded, the files nobody imported: those that could not be
    read or had errors, those checked but never started, and any file under imports/ that no
    import refers to (an upload cut short). Imports started, done or failed keep theirs."""
    cutoff = (now or timezone.now()) - KEPT_UNSTARTED
    removed = 0
    for job in ImportJob.objects.filter(state=ImportState.CHECKED, created_at__lt=cutoff).iterator():
        deleted, _rows = ImportJob.objects.filter(pk=job.pk, state=ImportState.CHECKED).delete()
        if deleted:  # not started in the meantime
            job.file.delete(save=False)
            progress.forget(progress_key(job))
            _forget_checked(job)
            removed += 1
    kept = set(ImportJob.objects.values_list("file", flat=True))
    for name in _stored_uploads("imports"):
        if name not in kept and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)
            removed += 1
    return removed


def _stored_uploads(folder: str):
    if not default_storage.exists(folder):
        return
    folders, files = default_storage.listdir(folder)
    yield from (f"{folder}/{name}" for name in files)
    for sub in folders:
        yield from _stored_uploads(f"{folder}/{sub}")
