"""The row-by-row check of an uploaded ledger: nothing here writes. `check_workbook` turns a file
into specs for `items_register`/`item_update`, a preview, notes and errors naming the row and the
column as the office sees them, in the user's language."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from duban.core.uploads import UnreadableUpload
from duban.ledger import mapping, owners
from duban.ledger.choices import ENDED_STATES, FINISHED_STATES, BasisKind, ItemState, RectificationType, Urgency
from duban.ledger.imports.cells import (
    audit_of,
    choice_lookup,
    extra_value,
    reform_of,
    unit_names,
    unit_of,
    units_by_name,
)
from duban.ledger.models import ImportMapping, Item, Ledger, ProgressReport
from duban.ledger.sheets import find_table
from duban.ledger.values import deadline_of, yes_no
from duban.orgs.models import Unit

MAX_ROWS = 200_000  # items; with the header, the sheet is read down to row MAX_ROWS + 1 and no further


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class CheckedWorkbook:
    creates: list[dict] = field(default_factory=list)
    updates: list[tuple[Item, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    sheet: str = ""
    header_row: int = 0
    columns: list[dict] = field(default_factory=list)  # [{"header", "samples", "field"}]
    unknown_units: list[str] = field(default_factory=list)  # names no unit has, in the order met
    preview: list[dict] = field(default_factory=list)  # the first rows as they will be stored
    warnings: list[RowError] = field(default_factory=list)


def _preview_row(number: int, spec: dict) -> dict:
    """A row as it will be stored, in words."""
    if spec.get("deadline"):
        deadline = spec["deadline"].isoformat()
    elif spec.get("deadline_working_days"):
        deadline = _("%(n)s working days after assignment") % {"n": spec["deadline_working_days"]}
    else:
        deadline = ""
    kind = spec.get("rectification_type")
    return {
        "row": number,
        "external_id": spec["external_id"],
        "title": spec["title"],
        "lead_unit": spec["lead_unit"].name if "lead_unit" in spec else "",
        "co_units": "、".join(unit.name for unit, _part in spec["co_units"]),
        "deadline": deadline,
        "rectification_type": str(RectificationType(kind).label) if kind else "",
        "extra": len(spec.get("extra", [])),
        "done": spec.get("done", False),
    }


PREVIEW_ROWS = 20
# What a re-import may change of an item it finds (as `item_update` allows).
UPDATED_FIELDS = ("title", "content", "lead_unit", "deadline", "deadline_working_days", "basis_kind",
                  "basis_document", "category", "urgency", "rectification_type", "extra")  # fmt: skip
SAMPLES = 3


def remembered_mapping(ledger: Ledger) -> dict[str, str]:
    """The ledger's own column mapping, else the one its office used last."""
    kept = ImportMapping.objects.filter(ledger=ledger).first() or (
        ImportMapping.objects.filter(owner_unit_id=ledger.owner_unit_id).order_by("-updated_at").first()
    )
    return kept.fields if kept else {}


def check_workbook(
    data: bytes, ledger: Ledger, chosen: dict[int, str] | None = None, *, name: str = "", assign: bool = False
) -> CheckedWorkbook:
    """Find the table (any sheet, any header row), map its columns (as `chosen`, else as the office
    mapped them before, else by their names), read every row; collect what to create and update,
    and every error and warning with its row and column as the office sees them. `assign`: the
    new items are to be assigned at once, so a deadline already past is an error, not a note."""
    result = CheckedWorkbook()
    try:
        table = find_table(data, score=mapping.header_score, max_rows=MAX_ROWS + 1, name=name)
    except UnreadableUpload as refused:
        result.errors.append(RowError(0, "", str(refused)))
        return result
    result.sheet, result.header_row = table.sheet, table.header_row
    mapped = mapping.choose(table.headers, remembered_mapping(ledger), chosen, ledger.kind)
    positions = {field_name: index for index, field_name in mapped.items()}
    result.columns = [
        {
            "header": header,
            "letter": get_column_letter(index + 1),
            "samples": list(islice((extra_value(v[index]) for _n, v in table.rows if v[index] is not None), SAMPLES)),
            "field": mapped.get(index, mapping.EXTRA),
        }
        for index, header in enumerate(table.headers)
    ]
    extras = [
        (index, header.strip() or _("column %(letter)s") % {"letter": get_column_letter(index + 1)})
        for index, header in enumerate(table.headers)
        if index not in positions.values()
    ]
    for name in mapping.REQUIRED:
        if name not in positions:
            names = "、".join(mapping.SYNONYMS[name][:4])
            result.errors.append(
                RowError(
                    table.header_row,
                    "",
                    _("No column for %(field)s: name one of the header cells %(names)s.")
                    % {"field": mapping.field_label(name), "names": names},
                )
            )
    if result.errors:
        return result
    units, ambiguous = units_by_name()
    subject_check = owners.import_row_checker(ledger)
    today = timezone.localdate()
    basis, urgency, rectification = (
        choice_lookup(BasisKind),
        choice_lookup(Urgency),
        choice_lookup(RectificationType),
    )
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    warned: set[tuple[str, str]] = set()

    def warn(name, value, message, number):
        """One warning per column and value, on the first row that has it."""
        if (name, str(value)) not in warned:
            warned.add((name, str(value)))
            index = positions[name]
            result.warnings.append(
                RowError(number, f"{get_column_letter(index + 1)}（{table.headers[index]}）", message)
            )

    def unknown(name):
        """A name no unit has (rather than one several have): the office may say which unit it is."""
        if name not in result.unknown_units and not any(c in ambiguous for c in unit_names(name)):
            result.unknown_units.append(name)

    for number, values in table.rows:
        result.rows += 1

        def cell(name, values=values):
            index = positions.get(name)
            value = values[index] if index is not None else None
            return value.strip() if isinstance(value, str) else value

        def error(name, message, number=number):
            index = positions.get(name)
            column = (
                f"{get_column_letter(index + 1)}（{table.headers[index]}）"
                if index is not None
                else mapping.field_label(name)
            )
            result.errors.append(RowError(number, column, message))

        spec: dict = {}
        external_id = str(cell("external_id") or "").strip()
        if len(external_id) > 80:
            error("external_id", _("At most 80 characters."))
        elif external_id and external_id in seen:
            error("external_id", _("Also on row %(row)s.") % {"row": seen[external_id]})
        if external_id:
            seen.setdefault(external_id, number)
        spec["external_id"] = external_id
        title = str(cell("title") or "")
        if not title:
            error("title", _("Required."))
        elif len(title) > 200:
            error("title", _("At most 200 characters."))
        spec["title"] = title
        lead = str(cell("lead_unit") or "")
        found = unit_of(lead, units, ambiguous) if lead else _("Required.")
        if isinstance(found, Unit):
            spec["lead_unit"] = found
            if lead not in (found.name, found.short_name):
                message = _("“%(written)s” is read as %(unit)s.") % {"written": lead, "unit": found.name}
                warn("lead_unit", lead, message, number)
        else:
            error("lead_unit", found)
            if lead:
                unknown(lead)
        co_units = []
        for name in re.split(r"[、,，;；\s]+", str(cell("co_units") or "")):
            if not name:
                continue
            unit = unit_of(name, units, ambiguous)
            if not isinstance(unit, Unit):
                error("co_units", unit)
                unknown(name)
            elif unit == spec.get("lead_unit"):
                error("co_units", _("The lead unit cannot also be a co-unit."))
            else:
                co_units.append((unit, ""))
        spec["co_units"] = co_units
        deadline, working_days = cell("deadline"), cell("deadline_working_days")
        implied = ""
        if deadline not in (None, ""):
            try:
                date, implied = deadline_of(deadline, ledger.year)
            except ValueError:
                error(
                    "deadline",
                    _("“%(value)s” is not a date such as 2024-06-30, 2024年6月底 or 年底前, nor 立行立改 or 长期坚持.")
                    % {"value": deadline},
                )
            else:
                if date is not None:
                    spec["deadline"] = date
                    if isinstance(deadline, str) and not re.search(r"\d{4}", deadline):
                        message = _("“%(written)s” has no year: read as %(date)s, in the ledger's year.") % {
                            "written": deadline,
                            "date": date.isoformat(),
                        }
                        warn("deadline", deadline, message, number)
                elif implied == RectificationType.IMMEDIATE:
                    spec["deadline_working_days"] = ledger.immediate_working_days
                    message = _("“%(written)s”: due %(n)s working days after assignment (the ledger's rule).") % {
                        "written": deadline,
                        "n": ledger.immediate_working_days,
                    }
                    warn("deadline", deadline, message, number)
                elif implied:  # continuing or staged: looked at again at the year's end
                    spec["deadline"] = dt.date(ledger.year, 12, 31)
                    message = _("“%(written)s”: due at the end of %(year)s, when it is looked at again.") % {
                        "written": deadline,
                        "year": ledger.year,
                    }
                    warn("deadline", deadline, message, number)
        if working_days not in (None, ""):
            try:
                spec["deadline_working_days"] = int(working_days)
                if not 1 <= spec["deadline_working_days"] <= 1000:
                    raise ValueError
            except (TypeError, ValueError):
                error("deadline_working_days", _("A whole number of working days from 1 to 1000."))
        if deadline in (None, "") and working_days in (None, ""):
            error("deadline", _("Give a deadline date or a number of working days from assignment."))
        for name, lookup in (("basis_kind", basis), ("urgency", urgency), ("rectification_type", rectification)):
            value = cell(name)
            if value in (None, ""):
                continue
            if str(value) not in lookup:
                error(name, _("“%(value)s” is not one of the choices.") % {"value": value})
            else:
                spec[name] = lookup[str(value)]
        if implied and "rectification_type" not in spec:
            spec["rectification_type"] = implied
        # A field is set only from a column the file has: a re-import never blanks what it lacks.
        for name, limit in (("basis_document", 100), ("category", 60)):
            if name not in positions:
                continue
            value = str(cell(name) or "")
            if len(value) > limit:
                error(name, _("At most %(n)s characters.") % {"n": limit})
            spec[name] = value
        if "content" in positions:
            spec["content"] = str(cell("content") or "")
        spec["row"] = number
        spec["progress_text"] = str(cell("progress_text") or "")
        if "audit_project" in positions:
            audit_of(spec, cell, error, unknown, positions, table.headers, units, ambiguous)
        if "special_group" in positions:
            reform_of(spec, cell, error)
        if subject_check is not None and "lead_unit" in spec:
            subject_check(spec, cell, error)
        finished = cell("done")
        if finished not in (None, ""):
            try:
                spec["done"] = yes_no(finished)
            except ValueError:
                error("done", _("“%(value)s” is not yes or no (是/否, 已完成/未完成, ✓/×).") % {"value": finished})
        if extras:
            spec["extra"] = [
                {"label": label, "value": extra_value(values[index])}
                for index, label in extras
                if values[index] is not None
            ]
        if spec.get("deadline") and spec["deadline"] < today and not spec.get("done"):
            if assign:
                error(
                    "deadline", _("%(date)s is past: the item cannot be assigned with it.") % {"date": spec["deadline"]}
                )
            else:
                warn(
                    "deadline",
                    spec["deadline"],
                    _("%(date)s is past: set a new deadline before assigning.") % {"date": spec["deadline"]},
                    number,
                )
        parsed.append((number, spec))
    result.preview = [_preview_row(number, spec) for number, spec in parsed[:PREVIEW_ROWS]]
    with_ids = [spec["external_id"] for _n, spec in parsed if spec["external_id"]]
    # A row names its item by external id or, in a file the ledger exported in the office's
    # layout, by the item's number (an item registered here has no external id).
    existing = {item.number: item for item in ledger.items.filter(number__in=with_ids).select_related("lead_unit")}
    existing.update(
        (item.external_id, item) for item in ledger.items.filter(external_id__in=with_ids).select_related("lead_unit")
    )
    latest_progress = dict(
        ProgressReport.objects.filter(item__in=list(existing.values()))
        .order_by("item_id", "reported_on", "pk")
        .values_list("item_id", "text")
    )
    for number, spec in parsed:
        item = existing.get(spec["external_id"]) if spec["external_id"] else None
        if item is None:
            result.creates.append(spec)
            continue
        if item.external_id != spec["external_id"]:
            spec.pop("external_id")  # matched by its number: the item keeps its own (empty) external id
        if spec.get("done") and item.state not in FINISHED_STATES:
            index = positions["done"]
            result.warnings.append(
                RowError(
                    number,
                    f"{get_column_letter(index + 1)}（{table.headers[index]}）",
                    _("%(number)s is marked rectified here but is still open: its unit reports completion on it.")
                    % {"number": item.number},
                )
            )
        if spec.get("progress_text") and spec["progress_text"] != latest_progress.get(item.pk, ""):
            index = positions["progress_text"]
            result.warnings.append(
                RowError(
                    number,
                    f"{get_column_letter(index + 1)}（{table.headers[index]}）",
                    _("%(number)s: progress is not changed by an import; its unit reports it on the item.")
                    % {"number": item.number},
                )
            )
        changes = _changes(item, spec)
        if not changes:
            continue  # as the ledger already has it
        if item.state in ENDED_STATES:
            message = _("%(number)s is closed or cancelled and can no longer be edited: %(changes)s")
            result.errors.append(RowError(number, "", message % {"number": item.number, "changes": changes}))
            continue
        if item.state != ItemState.DRAFT and (
            ("lead_unit" in spec and spec["lead_unit"] != item.lead_unit)
            or ("deadline" in spec and spec["deadline"] != item.deadline)
        ):
            result.errors.append(
                RowError(
                    number,
                    "",
                    _("%(number)s is already assigned: its lead unit and deadline stay as they are.")
                    % {"number": item.number},
                )  # fmt: skip
            )
            continue
        refusal = _owner_refusal(item, spec)
        if refusal:
            result.errors.append(RowError(number, "", refusal))
            continue
        result.updates.append((item, spec))
        message = _("%(number)s will change: %(changes)s") % {"number": item.number, "changes": changes}
        result.warnings.append(RowError(number, "", message))
    return result


def _changes(item: Item, spec: dict) -> str:
    """What importing `spec` would change of `item`, in words ("" for nothing)."""
    said = []
    for name in UPDATED_FIELDS:
        if name in spec and getattr(item, name) != spec[name]:
            before, after = getattr(item, name), spec[name]
            if name == "extra":
                before = "；".join(f"{e['label']}：{e['value']}" for e in before)
                after = "；".join(f"{e['label']}：{e['value']}" for e in after)
            said.append(f"{mapping.field_label(name)}“{before or '—'}”→“{after or '—'}”")
    return "；".join(said)


def _owner_refusal(item, spec: dict) -> str:
    """Why the owner of the item's subject keeps this row's changes to itself ("" when it does not)."""
    found = owners.owned(item)
    if found is None:
        return ""
    owner, subject = found
    changes = {name: value for name, value in spec.items() if hasattr(item, name) and getattr(item, name) != value}
    try:
        owner.check_update(subject, item, changes)
    except owners.OwnedItemRefused as refused:
        return f"{item.number}：{' '.join(refused.messages)}"
    return ""
