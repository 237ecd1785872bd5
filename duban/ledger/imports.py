"""Reading a ledger from .xlsx: the template offices fill in, and the row-by-row check.

Nothing here writes: `check_workbook` turns a file into specs for `items_register`/`item_update`
plus a list of errors naming the row and the column, in the user's language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from duban.core.text import xml_safe
from duban.core.uploads import UnreadableUpload, xlsx_rows
from duban.ledger import owners
from duban.ledger.choices import BasisKind, ItemState, RectificationType, Urgency
from duban.ledger.models import Item, Ledger
from duban.orgs.models import Unit

# (field, header in the template, required)
COLUMNS = [
    ("external_id", "外部编号", True),
    ("title", "事项名称", True),
    ("lead_unit", "牵头单位", True),
    ("co_units", "协办单位", False),
    ("deadline", "办理期限", False),
    ("deadline_working_days", "自交办起工作日数", False),
    ("basis_kind", "任务来源", False),
    ("basis_document", "来源文号", False),
    ("category", "类别", False),
    ("urgency", "缓急程度", False),
    ("rectification_type", "整改类型", False),
    ("content", "内容", False),
]
HEADERS = {name: title for name, title, _required in COLUMNS}
EXAMPLE = [
    "2024-001", "推进专项资金拨付", "东门街道", "区财政局、区审计局", "2024-06-30", "", "审计报告", "罗审报〔2024〕3号",
    "预算执行审计", "一般", "分阶段整改", "限期拨付并建立资金拨付台账",
]  # fmt: skip
MAX_ROWS = 200_000  # items; with the header, the sheet is read down to row MAX_ROWS + 1 and no further
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


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


def template_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet.append([header + ("*" if required else "") for _field, header, required in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(EXAMPLE)
    for index in range(1, len(COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    notes = workbook.create_sheet("填写说明")
    for line in [
        "带*的列必填；每行一项，外部编号在本台账内唯一，再次导入同一编号将更新该事项而不是新增。",
        "牵头单位、协办单位填写单位全称或简称，多个协办单位用顿号或逗号分隔。",
        "办理期限填写日期（如2024-06-30），或在“自交办起工作日数”填写天数，二者至少填一项。",
        "任务来源、缓急程度、整改类型按平台中的名称填写，例如：审计报告、一般、分阶段整改。",
        "已交办的事项再次导入时不能修改牵头单位和办理期限，如需调整期限请申请延期。",
    ]:
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _choice_lookup(choices) -> dict[str, str]:
    """Accept the stored code, the English label and the Chinese label (with or without notes)."""
    lookup = {}
    for value, label in choices.choices:
        for language in ("en", "zh-hans"):
            with translation.override(language):
                text = str(label)
            lookup[text] = value
            lookup[re.sub(r"[（(].*?[)）]", "", text).strip()] = value
        lookup[value] = value
    return lookup


def _units() -> tuple[dict[str, Unit], set[str]]:
    by_name: dict[str, Unit] = {}
    ambiguous: set[str] = set()
    for unit in Unit.objects.active():
        for name in {unit.name, unit.short_name} - {""}:
            if name in by_name and by_name[name].pk != unit.pk:
                ambiguous.add(name)
            by_name[name] = unit
    return by_name, ambiguous


def _date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError


def _rows(data: bytes):
    """The first sheet's rows as values: text (without what XML forbids), numbers (whole ones as
    int), dates, or None when empty.
    A file whose cells reach beyond the template's rows and columns, or that inflates too far, is
    refused before it is read (`duban.core.uploads`)."""

    def value(cell):
        if cell == "":
            return None
        if isinstance(cell, float) and cell.is_integer():
            return int(cell)
        return xml_safe(cell) if isinstance(cell, str) else cell

    return ([value(cell) for cell in row] for row in xlsx_rows(data, max_rows=MAX_ROWS + 1))


def check_workbook(data: bytes, ledger: Ledger) -> CheckedWorkbook:
    """Read every row; collect what to create and update, and every error with its row and column."""
    result = CheckedWorkbook()
    try:
        rows = _rows(data)
    except UnreadableUpload as refused:
        result.errors.append(RowError(0, "", str(refused)))
        return result
    except Exception as exc:  # the reader raises many kinds for a file that is not a readable .xlsx
        result.errors.append(
            RowError(
                0,
                "",
                _("This is not an Excel .xlsx file that can be read (%(error)s).") % {"error": type(exc).__name__},
            )
        )
        return result
    header = next(rows, None) or ()
    names = [str(cell).strip().rstrip("*") if cell is not None else "" for cell in header]
    positions = {}
    for field_name, title, required in COLUMNS:
        if title in names:
            positions[field_name] = names.index(title)
        elif required:
            result.errors.append(RowError(1, title, _("The column “%(column)s” is missing.") % {"column": title}))
    if result.errors:
        return result
    units, ambiguous = _units()
    basis, urgency, rectification = (
        _choice_lookup(BasisKind),
        _choice_lookup(Urgency),
        _choice_lookup(RectificationType),
    )
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        result.rows += 1

        def cell(name, values=values):
            index = positions.get(name)
            value = values[index] if index is not None and index < len(values) else None
            return value.strip() if isinstance(value, str) else value

        def error(name, message, number=number):
            title = HEADERS[name]
            column = f"{get_column_letter(positions[name] + 1)}（{title}）" if name in positions else title
            result.errors.append(RowError(number, column, message))

        spec: dict = {}
        external_id = str(cell("external_id") or "").strip()
        if not external_id:
            error("external_id", _("Required."))
        elif len(external_id) > 80:
            error("external_id", _("At most 80 characters."))
        elif external_id in seen:
            error("external_id", _("Also on row %(row)s.") % {"row": seen[external_id]})
        seen.setdefault(external_id, number)
        spec["external_id"] = external_id
        title = str(cell("title") or "")
        if not title:
            error("title", _("Required."))
        elif len(title) > 200:
            error("title", _("At most 200 characters."))
        spec["title"] = title
        lead = str(cell("lead_unit") or "")
        if not lead:
            error("lead_unit", _("Required."))
        elif lead in ambiguous:
            error("lead_unit", _("“%(name)s” names more than one unit; use the full name.") % {"name": lead})
        elif lead not in units:
            error("lead_unit", _("No active unit is called “%(name)s”.") % {"name": lead})
        else:
            spec["lead_unit"] = units[lead]
        co_units = []
        for name in re.split(r"[、,，;；\s]+", str(cell("co_units") or "")):
            if not name:
                continue
            if name not in units or name in ambiguous:
                error("co_units", _("No active unit is called “%(name)s”.") % {"name": name})
            elif units[name] == spec.get("lead_unit"):
                error("co_units", _("The lead unit cannot also be a co-unit."))
            else:
                co_units.append((units[name], ""))
        spec["co_units"] = co_units
        deadline, working_days = cell("deadline"), cell("deadline_working_days")
        if deadline not in (None, ""):
            try:
                spec["deadline"] = _date(deadline)
            except ValueError:
                error("deadline", _("“%(value)s” is not a date such as 2024-06-30.") % {"value": deadline})
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
        for name, limit in (("basis_document", 100), ("category", 60)):
            value = str(cell(name) or "")
            if len(value) > limit:
                error(name, _("At most %(n)s characters.") % {"n": limit})
            spec[name] = value
        spec["content"] = str(cell("content") or "")
        parsed.append((number, spec))
    existing = {
        item.external_id: item
        for item in ledger.items.filter(external_id__in=[spec["external_id"] for _n, spec in parsed]).select_related(
            "lead_unit"
        )
    }
    for number, spec in parsed:
        item = existing.get(spec["external_id"])
        if item is None:
            result.creates.append(spec)
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
    return result


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
