"""Spreadsheets shared by every context.

Spreadsheets are written with openpyxl's write-only mode into a temporary file that is then
streamed, so memory stays flat however many rows there are. Every sheet reads the same way: a
bold header row that stays in view (and on every printed page), columns as wide as what they hold,
dates as real Excel dates in Beijing time, amounts as numbers with thousands separators and their
unit in the header, and a 合计 row under the columns that add up.

A column is a header string (its values written as they come) or a `Column`: `amount("涉及金额")`
for money in yuan (or 万元), `count("已整改")` for whole numbers that add up.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from duban.core.text import download_name, xml_safe

YUAN = "元"
WAN_YUAN = "万元"
TOTAL_LABEL = "合计"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
AMOUNT_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
# Widths are fitted to the header and the first rows: the rest stream past without being held.
WIDTH_SAMPLE = 500
MIN_WIDTH, MAX_WIDTH = 6, 60
MAX_CELL_TEXT = 32_767  # Excel's limit: a longer text makes it "repair" the file


@dataclass(frozen=True)
class Column:
    """A column's header, the number format of its values, whether the 合计 row sums it, and the
    divisor from the value given to the value shown (10,000 for 万元)."""

    title: str
    number_format: str | None = None
    total: bool = False
    scale: int = 1


def amount(title: str, unit: str = YUAN) -> Column:
    """Money given in yuan, shown in `unit` (元 or 万元, named in the header) and totalled."""
    if unit not in (YUAN, WAN_YUAN):
        raise ValueError(f"unknown money unit {unit!r}")
    return Column(f"{title}（{unit}）", AMOUNT_FORMAT, total=True, scale=10_000 if unit == WAN_YUAN else 1)


def count(title: str) -> Column:
    """Whole numbers that add up (findings, items, rules), totalled."""
    return Column(title, COUNT_FORMAT, total=True)


def display_width(text: str) -> int:
    """How many Latin character widths `text` takes: CJK (wide and full-width) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def excel_text(text: str) -> str:
    """Text a cell can hold: without what XML 1.0 forbids (stored before it was refused at the
    door, or never stored), and within Excel's 32,767 characters."""
    return xml_safe(str(text))[:MAX_CELL_TEXT]


def excel_value(value):
    """A value openpyxl writes as the reader expects: aware datetimes as Beijing wall-clock time to
    the second (Excel has no time zones), lazy translations as text, text as `excel_text`."""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0)  # Excel keeps milliseconds inexactly
    if value is None or isinstance(value, int | float | Decimal | dt.date | dt.time | bool):
        return value
    return excel_text(str(value))


def _shown(value, column: Column) -> str:
    """The text a cell shows, for fitting the column's width."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return "0000-00-00 00:00"
    if isinstance(value, dt.date):
        return "0000-00-00"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if column.number_format == AMOUNT_FORMAT:
            return f"{value:,.2f}"
        if column.number_format == COUNT_FORMAT:
            return f"{value:,}"
    return str(value)


class _Sheet:
    """One sheet being written: header, rows and the 合计 row, with styles on the cells that need them."""

    def __init__(self, workbook: Workbook, title: str, headers: Sequence[str | Column]):
        self.sheet = workbook.create_sheet(title=excel_text(str(title))[:31])
        self.columns = [
            Column(excel_text(header.title), header.number_format, header.total, header.scale)
            if isinstance(header, Column)
            else Column(excel_text(str(header)))
            for header in headers
        ]
        self.totals: list[Decimal | int | None] = [0 if column.total else None for column in self.columns]
        self.bold = Font(bold=True)

    def write(self, rows: Iterable[Sequence]) -> None:
        rows = iter(rows)
        first = [[excel_value(value) for value in row] for row in islice(rows, WIDTH_SAMPLE)]
        self._fit(first)
        self.sheet.freeze_panes = "A2"
        self.sheet.print_title_rows = "1:1"
        self.sheet.append([self._cell(column.title, bold=True) for column in self.columns])
        converted = (list(map(excel_value, row)) for row in rows)
        for values in chain(first, converted):
            self.sheet.append(self._row(values))
        if any(column.total for column in self.columns):
            self.sheet.append(self._total_row())

    def _fit(self, sample: list[list]) -> None:
        for index, column in enumerate(self.columns):
            shown = [display_width(column.title) + 2]  # a bold header is a little wider
            shown += [display_width(_shown(row[index], column)) for row in sample if index < len(row)]
            width = min(max(max(shown) + 2, MIN_WIDTH), MAX_WIDTH)
            self.sheet.column_dimensions[get_column_letter(index + 1)].width = width

    def _cell(self, value, *, number_format: str | None = None, bold: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = self.bold
            cell.alignment = Alignment(vertical="center")
        return cell

    def _row(self, values: list) -> list:
        out = []
        for index, value in enumerate(values):
            column = self.columns[index] if index < len(self.columns) else Column("")
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                if column.scale != 1:
                    value = Decimal(str(value)) / column.scale
                if column.total:
                    self.totals[index] += value
                out.append(self._cell(value, number_format=column.number_format) if column.number_format else value)
            elif isinstance(value, dt.datetime):
                out.append(self._cell(value, number_format=DATETIME_FORMAT))
            elif isinstance(value, dt.date):
                out.append(self._cell(value, number_format=DATE_FORMAT))
            elif isinstance(value, str) and value.startswith("="):
                out.append(self._text_cell(value))
            else:
                out.append(value)
        return out

    def _text_cell(self, text: str) -> WriteOnlyCell:
        """Text that looks like a formula (a resident's "=1+" or "=HYPERLINK(…)"), kept as text:
        Excel would run it, or call the file damaged."""
        cell = WriteOnlyCell(self.sheet, value=text)
        cell.data_type = "s"
        return cell

    def _total_row(self) -> list:
        label_at = next((i for i, column in enumerate(self.columns) if not column.total), 0)
        row = []
        for index, column in enumerate(self.columns):
            if column.total:
                row.append(self._cell(self.totals[index], number_format=column.number_format, bold=True))
            else:
                row.append(self._cell(TOTAL_LABEL if index == label_at else None, bold=True))
        return row


def xlsx_response(
    filename: str, sheet_title: str, headers: Sequence[str | Column], rows: Iterable[Sequence]
) -> FileResponse:
    """Stream an .xlsx of `rows` (any iterable, consumed once) as a download."""
    return xlsx_sheets_response(filename, [(sheet_title, headers, rows)])


def xlsx_sheets_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str | Column], Iterable[Sequence]]]
) -> FileResponse:
    """An .xlsx with one sheet per (title, headers, rows), written row by row and sent as a download."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # removed when the response closes it
    xlsx_write(handle, sheets)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=download_name(filename))


def xlsx_write(handle, sheets: Sequence[tuple[str, Sequence[str | Column], Iterable[Sequence]]]) -> None:
    """Write an .xlsx with one sheet per (title, headers, rows) into the open binary file `handle`."""
    workbook = Workbook(write_only=True)
    for sheet_title, headers, rows in sheets:
        _Sheet(workbook, sheet_title, headers).write(rows)
    workbook.save(handle)
