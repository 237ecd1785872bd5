"""Finding the table in a ledger as an office keeps it: .xlsx, .xls, .ods or .csv (UTF-8 or
GB18030), with title rows, a 填报单位 row and blank rows above the header, cells merged down over
several rows, and 填报人/联系电话/合计 or notes under the table.

Nothing here knows what the columns mean beyond recognising a header row: `find_table` takes a
function scoring how many cells of a row are known column names (`duban.ledger.mapping`), reads
every visible sheet, and keeps the sheet and row that score best. Rows keep the numbers the office
sees in its own file, so an error can say "row 7".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from duban.core.text import xml_safe
from duban.core.uploads import MAX_COLUMNS, UnreadableUpload, check_ods, check_xls, check_xlsx

HEADER_SEARCH_ROWS = 30
MIN_HEADER_SCORE = 2
# A row whose first filled cell starts with one of these ends the table (a footer, or notes).
FOOTER_WORDS = (
    "填报人",
    "填表人",
    "联系人",
    "联系电话",
    "合计",
    "总计",
    "审核人",
    "审核：",
    "制表",
    "单位负责人",
    "注：",
    "注:",
    "说明：",
    "说明:",
)  # noqa: E501
NOTES_SHEETS = re.compile(r"说明|填写|注意|notes?|readme", re.IGNORECASE)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Table:
    sheet: str
    header_row: int  # as the office numbers it: 1 is the sheet's first row
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, one value per header)
    footer_row: int | None = None


def file_kind(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        return "ods" if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in data[:200] else "xlsx"
    if data.startswith(OLE_MAGIC):
        return "xls"
    return "csv"


def _cell(value):
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        value = xml_safe(value).strip()
        return value or None
    return value


def _csv_sheets(data: bytes, max_rows: int) -> list[tuple[str, list[list]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableUpload(_("This CSV file is neither UTF-8 nor GB18030 text; save it again as UTF-8 CSV."))
    if "\x00" in text:
        raise UnreadableUpload(_("This file is not a workbook or a CSV file that can be read."))
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if number > max_rows:
            raise UnreadableUpload(_("The file has more than %(n)s rows.") % {"n": f"{max_rows - 1:,}"})
        if len(row) > MAX_COLUMNS and any(cell.strip() for cell in row[MAX_COLUMNS:]):
            raise UnreadableUpload(_("Row %(row)s has more than %(n)s columns.") % {"row": number, "n": MAX_COLUMNS})
        rows.append([_cell(cell) for cell in row[:MAX_COLUMNS]])
    return [("CSV", rows)]


def _workbook_sheets(data: bytes, kind: str, max_rows: int) -> list[tuple[str, list[list]]]:
    if kind == "xlsx":
        check_xlsx(data, max_rows=max_rows)
    elif kind == "ods":
        check_ods(data, max_rows=max_rows)
    else:
        check_xls(data, max_rows=max_rows)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in workbook.sheets_metadata:
        if str(meta.visible).lower().endswith("hidden") or NOTES_SHEETS.search(meta.name):
            continue
        sheet = workbook.get_sheet_by_name(meta.name)
        start = sheet.start
        if start and (start[0] >= max_rows or start[1] >= MAX_COLUMNS):
            continue
        before = [""] * (start[1] if start else 0)
        above = [[] for _ in range(start[0] if start else 0)]
        rows = above + [before + row for row in sheet.iter_rows()]
        if len(rows) > max_rows or any(len(row) > MAX_COLUMNS for row in rows[:1]):
            raise UnreadableUpload(
                _("The sheet “%(sheet)s” reaches beyond row %(rows)s or column %(column)s.")
                % {"sheet": meta.name, "rows": f"{max_rows:,}", "column": "Z"}
            )
        rows = [[_cell(value) for value in row[:MAX_COLUMNS]] for row in rows]
        _fill_merged_down(rows, sheet.merged_cell_ranges or [])
        sheets.append((meta.name, rows))
    return sheets


def _fill_merged_down(rows: list[list], ranges) -> None:
    """A cell merged over several rows (a project over its findings) gives its value to each row."""
    for (top, left), (bottom, _right) in ranges:
        if top >= len(rows) or left >= MAX_COLUMNS or bottom <= top:
            continue
        value = rows[top][left] if left < len(rows[top]) else None
        for number in range(top + 1, min(bottom, len(rows) - 1) + 1):
            row = rows[number]
            if len(row) <= left:
                row.extend([None] * (left + 1 - len(row)))
            if row[left] is None:
                row[left] = value


def _first_filled(row: list) -> str:
    return next((str(value) for value in row if value is not None), "")


def _is_blank(row: list) -> bool:
    return all(value is None for value in row)


WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods")


def find_table(
    data: bytes, *, score: Callable[[list], int], max_rows: int, name: str = "", columns_hint: str = ""
) -> Table:
    """The best-scoring header row of any visible sheet, and the rows under it up to a footer.
    Raises UnreadableUpload (a file refused before reading, or one with no header row found);
    `columns_hint` names the columns a header row is expected to have, for that message."""
    kind = file_kind(data)
    if kind == "csv" and name.lower().endswith(WORKBOOK_SUFFIXES):  # a workbook by name only: damaged, or renamed
        raise UnreadableUpload(
            _("This is not a workbook (.xlsx, .xls, .ods) or CSV file that can be read (%(error)s).")
            % {"error": name.rsplit(".", 1)[-1]}
        )
    try:
        sheets = _csv_sheets(data, max_rows) if kind == "csv" else _workbook_sheets(data, kind, max_rows)
    except UnreadableUpload:
        raise
    except Exception as exc:  # the readers raise many kinds for a damaged file
        raise UnreadableUpload(
            _("This is not a workbook (.xlsx, .xls, .ods) or CSV file that can be read (%(error)s).")
            % {"error": type(exc).__name__}
        ) from None
    best: tuple[int, str, int, list[list]] | None = None
    for name, rows in sheets:
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            points = score(row)
            if points >= MIN_HEADER_SCORE and (best is None or points > best[0]):
                best = (points, name, index, rows)
    if best is None:
        raise UnreadableUpload(
            _("No header row found: none of the first %(n)s rows of any sheet names columns such as %(columns)s.")
            % {
                "n": HEADER_SEARCH_ROWS,
                "columns": columns_hint
                or _("事项名称 (or 问题, 整改事项), 牵头单位 (or 责任单位) and 办理期限 (or 整改时限)"),
            }
        )
    _points, name, index, rows = best
    header = rows[index]
    width = max((i + 1 for i, value in enumerate(header) if value is not None), default=0)
    table = Table(sheet=name, header_row=index + 1, headers=[str(value or "") for value in header[:width]])
    for number, row in enumerate(rows[index + 1 :], start=index + 2):
        if _is_blank(row):
            continue
        if _first_filled(row).replace(" ", "").startswith(FOOTER_WORDS):
            table.footer_row = number
            break
        values = (row + [None] * width)[:width]
        if _is_blank(values):  # text only beside the table: a note, not a row
            continue
        table.rows.append((number, values))
    return table
