"""Spreadsheet and Word output shared by every context.

Spreadsheets are written with openpyxl's write-only mode into a temporary file that is then
streamed, so memory stays flat however many rows there are. Word documents follow the usual
layout of an official notice: title, number, recipient, body, issuer and date.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CJK_FONT = "宋体"
TITLE_FONT = "方正小标宋简体"


def xlsx_response(filename: str, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> FileResponse:
    """Stream an .xlsx of `rows` (any iterable, consumed once) as a download."""
    return xlsx_sheets_response(filename, [(sheet_title, headers, rows)])


def xlsx_sheets_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]
) -> FileResponse:
    """An .xlsx with one sheet per (title, headers, rows), written row by row and sent as a download."""
    workbook = Workbook(write_only=True)
    for sheet_title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=sheet_title[:31])
        header_cells = []
        for title in headers:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append(list(row))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # removed when the response closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename)


def _run_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run.element.rPr.rFonts.set(qn("w:eastAsia"), name)


def official_docx(
    *, title: str, number: str, recipient: str, paragraphs: Sequence[str], issuer: str, date: dt.date
) -> bytes:
    """An official document (公文) as .docx bytes; without a recipient it has no salutation."""
    document = Document()
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run_font(heading.add_run(title), TITLE_FONT, 22, bold=True)
    numbered = document.add_paragraph()
    numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run_font(numbered.add_run(number), CJK_FONT, 16)
    if recipient:
        _run_font(document.add_paragraph().add_run(f"{recipient}："), CJK_FONT, 16)
    for text in paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        _run_font(paragraph.add_run(text), CJK_FONT, 16)
    for text in (issuer, f"{date.year}年{date.month}月{date.day}日"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run_font(paragraph.add_run(text), CJK_FONT, 16)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
