"""Helpers for tests: real concurrency (PostgreSQL) and reading downloads back."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from html import unescape
from urllib.parse import urljoin

from django.core.exceptions import ValidationError
from django.db import connection
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from duban.core.exports import TOTAL_LABEL


def run_together(*calls: Callable[[], object]) -> list[object]:
    """Start every call at the same moment in its own thread (and connection); return each result,
    or the ValidationError it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def run(call):
        barrier.wait()
        try:
            outcomes.append(call())
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def xlsx_workbook(response):
    """The workbook of an .xlsx download (streamed or not), as openpyxl reads it back."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(content))


def xlsx_data_rows(sheet) -> list[tuple]:
    """A sheet's rows read back without its header and its 合计 row."""
    rows = list(sheet.iter_rows(values_only=True))[1:]
    if rows and TOTAL_LABEL in rows[-1]:
        rows = rows[:-1]
    return rows


def official_document(content: bytes):
    """An official .docx read back with python-docx, after checking what GB/T 9704 asks of every
    one: A4, the standard's margins, 仿宋_GB2312 or 方正小标宋简体 named for Chinese text in every run."""
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm) for margin in margins] == [37, 35, 28, 26]
    for run in (run for paragraph in document.paragraphs for run in paragraph.runs):
        assert run.element.rPr.rFonts.get(qn("w:eastAsia")) == run.font.name, run.text
        assert run.font.name in ("仿宋_GB2312", "方正小标宋简体"), run.text
    return document


def link_href(html: str, marker: str, page_url: str = "/") -> str:
    """Where the first link whose tag holds `marker` (an id, part of the address) leads from
    `page_url`, as a browser would follow it."""
    for tag in re.findall(r"<a\s[^>]*>", html):
        if marker in tag:
            return urljoin(page_url, unescape(re.search(r'href="([^"]*)"', tag).group(1)))
    raise AssertionError(f"no link with {marker!r}")
