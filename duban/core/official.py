"""Official documents (公文) as .docx, laid out as GB/T 9704-2012 asks.

A4 paper with the standard's margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), so the text
area is 156 × 225 mm: 22 lines of 28 characters at 3号 (16 pt) with a fixed line spacing of 28.95 pt.
From the top: the issuer's mark (发文机关标志) in red 小标宋, the document number (发文字号) centred
under it, a red rule, the title in 2号 方正小标宋简体, the recipient (主送机关) flush left, the body
in 3号 仿宋_GB2312 indented two characters, the issuer's signature centred over the date, and the
date (成文日期, Arabic numerals, 1 not written 01) four characters from the right. Page numbers sit
in the footer in 4号 宋体 as "— 1 —", odd pages right and even pages left, one character in.

Every run names its font for East Asian text too (`w:eastAsia`); Word uses only that one for Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from duban.core.exports import display_width
from duban.core.text import xml_safe

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = 22  # 2号
BODY_SIZE = 16  # 3号
PAGE_NUMBER_SIZE = 14  # 4号
MARK_SIZES = (36, 16)  # the issuer's mark: as large as fits on one line, within these
LINE_SPACING = 28.95  # 225 mm of text area / 22 lines
TEXT_WIDTH_PT = Mm(156).pt
RED = RGBColor(0xFF, 0x00, 0x00)


def chinese_date(date: dt.date) -> str:
    """成文日期 as the standard writes it: 2024年6月8日."""
    return f"{date.year}年{date.month}月{date.day}日"


def _font(run, name: str, size: float, *, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.element.rPr.rFonts.set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _paragraph(document, text: str = "", *, font: str = BODY_FONT, size: float = BODY_SIZE, align=None, **layout):
    """A paragraph at the fixed line spacing (or `spacing`), with one run in `font` and `size`."""
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(layout.get("spacing", LINE_SPACING))
    fmt.space_before = fmt.space_after = Pt(0)
    if align is not None:
        paragraph.alignment = align
    for name in ("first_line_indent", "left_indent", "right_indent"):
        if name in layout:
            setattr(fmt, name, Pt(layout[name]))
    if text:  # without what XML 1.0 forbids, whatever was stored: Word would not open the file
        _font(paragraph.add_run(xml_safe(text)), font, size, color=layout.get("color"))
    return paragraph


def _red_rule_below(paragraph) -> None:
    """The red separator line (分隔线) under the document number, as a bottom border."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "FF0000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_layout(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(23)  # the number's dash line 7 mm below the text area
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(LINE_SPACING)
    normal.paragraph_format.space_after = Pt(0)


def _page_number(paragraph) -> None:
    """ "— N —" with N as Word's PAGE field, so every page counts itself."""
    _font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text
    _font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def _page_numbers(document) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        setattr(paragraph.paragraph_format, side, Pt(PAGE_NUMBER_SIZE))
        _page_number(paragraph)


def _mark_size(issuer: str) -> float:
    """The largest size within MARK_SIZES at which the issuer's name fits on one line."""
    largest, smallest = MARK_SIZES
    fits = TEXT_WIDTH_PT / max(display_width(issuer) / 2, 1)
    return max(min(largest, int(fits)), smallest)


@dataclass
class OfficialTable:
    """A table inside an official document: its caption (附表 line) above, a header row, body rows."""

    caption: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


TABLE_SIZE = 12  # 小四: a table's text


def _table(document, table: OfficialTable) -> None:
    _paragraph(document, table.caption, align=WD_ALIGN_PARAGRAPH.CENTER)
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    for r, values in enumerate([table.headers, *table.rows]):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = ""
            run = cell.paragraphs[0].add_run(xml_safe("" if value is None else str(value)))
            _font(run, "黑体" if r == 0 else BODY_FONT, TABLE_SIZE)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or c else WD_ALIGN_PARAGRAPH.LEFT


def official_docx(
    *, title: str, number: str, recipient: str, paragraphs: Sequence[str | OfficialTable], issuer: str, date: dt.date
) -> bytes:
    """An official document as .docx bytes; without a recipient it has no salutation, without a
    number the red rule follows the issuer's mark directly. A paragraph may be a table."""
    document = Document()
    _page_layout(document)
    document.core_properties.title = xml_safe(title)
    document.core_properties.author = xml_safe(issuer)
    mark = _mark_size(issuer)
    head = _paragraph(
        document, issuer, font=TITLE_FONT, size=mark, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, spacing=mark * 1.3
    )
    if number:
        _paragraph(document)
        head = _paragraph(document, number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule_below(head)
    _paragraph(document)
    _paragraph(document, title, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=35)
    _paragraph(document)
    if recipient:
        _paragraph(document, f"{recipient}：")
    for text in paragraphs:
        if isinstance(text, OfficialTable):
            _table(document, text)
            continue
        _paragraph(document, text, first_line_indent=2 * BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document)
    signed = chinese_date(date)
    date_indent = 4 * BODY_SIZE  # 右空四字
    issuer_indent = max(date_indent + (display_width(signed) - display_width(issuer)) * BODY_SIZE / 4, 0)
    _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=issuer_indent)
    _paragraph(document, signed, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=date_indent)
    _page_numbers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_break(document) -> None:
    run = document.add_paragraph().add_run()
    brk = OxmlElement("w:br")
    brk.set(qn("w:type"), "page")
    run._r.append(brk)


def book_docx(
    *,
    title: str,
    issuer: str,
    date: dt.date,
    sections: Sequence[tuple[str, Sequence[tuple[str, str, Sequence[str]]]]],
    contents_label: str,
    draft_label: str = "",
) -> bytes:
    """A compilation (汇编) as .docx bytes in the same layout: a cover (title, issuer, date), the
    contents by section, then each document on its own page — its title in 2号 小标宋, a line of its
    number and dates, its text in 3号 仿宋 indented two characters. `sections`: (heading,
    [(title, dates line, paragraphs)]). `draft_label` marks a book not yet issued."""
    document = Document()
    _page_layout(document)
    document.core_properties.title = xml_safe(title)
    document.core_properties.author = xml_safe(issuer)
    for _blank in range(6):
        _paragraph(document)
    _paragraph(document, title, font=TITLE_FONT, size=TITLE_SIZE * 1.3, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=48)
    if draft_label:
        _paragraph(document, draft_label, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    for _blank in range(8):
        _paragraph(document)
    _paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, chinese_date(date), align=WD_ALIGN_PARAGRAPH.CENTER)
    _page_break(document)
    _paragraph(document, contents_label, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=35)
    _paragraph(document)
    for number, (heading, documents) in enumerate(sections, start=1):
        _paragraph(document, f"{_chinese_number(number)}、{heading}", font="黑体")
        for doc_title, _dates, _text in documents:
            _paragraph(document, doc_title, left_indent=2 * BODY_SIZE)
    for number, (heading, documents) in enumerate(sections, start=1):
        for index, (doc_title, dates, text) in enumerate(documents):
            _page_break(document)
            if index == 0:
                _paragraph(document, f"{_chinese_number(number)}、{heading}", font="黑体")
                _paragraph(document)
            _paragraph(document, doc_title, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
                       spacing=35)  # fmt: skip
            _paragraph(document, f"（{dates}）", align=WD_ALIGN_PARAGRAPH.CENTER)
            _paragraph(document)
            for line in text:
                _paragraph(document, line, first_line_indent=2 * BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _page_numbers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 21 → 二十一 (headings number sections so)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
