"""Helpers for tests: real concurrency (PostgreSQL), reading downloads back, and a page's layout on a
phone and a desktop in a real browser (for every persona walk that checks the pages it passes)."""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import threading
import zipfile
import zlib
from collections.abc import Callable
from html import unescape
from urllib.parse import urljoin

from django.core.exceptions import ValidationError
from django.db import connection
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from openpyxl import load_workbook

from duban.core.exports import TOTAL_LABEL
from duban.core.text import XML_FORBIDDEN


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


# --- page layout in a real browser (Playwright) -------------------------------------------------

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MIN_TAP = 44  # px: the smallest button a thumb hits reliably
MAX_HEADER_SHARE = 0.2  # of the viewport's height, with the menu folded

_MEASURE = """() => {
  const width = window.innerWidth;
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "");
  // The outermost elements sticking out on the right (their parent fits): the cause, not its children.
  const sticking = [...document.querySelectorAll("body *")].filter((el) => {
    const right = el.getBoundingClientRect().right;
    return right > width + 1 && el.parentElement.getBoundingClientRect().right <= width + 1;
  }).slice(0, 5).map((el) => `${name(el)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
  const small = [...document.querySelectorAll(
    "main .btn, main button:not(.link), main input[type=submit], .menu-toggle")].filter(shown).filter((el) => {
    const box = el.getBoundingClientRect();
    return box.height < MIN_TAP - 0.5 || box.width < MIN_TAP - 0.5;
  }).slice(0, 5).map((el) => {
    const box = el.getBoundingClientRect();
    return `${name(el)} "${el.textContent.trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)} px`;
  });
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  const nav = document.querySelector(".mainnav");
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: width, innerHeight: window.innerHeight,
    header: document.querySelector("header").getBoundingClientRect().height,
    toggleShown: Boolean(toggle && shown(toggle)), menuShown: Boolean(menu && shown(menu)),
    navShown: Boolean(nav && shown(nav)),
    expanded: toggle ? toggle.getAttribute("aria-expanded") : null, sticking, small,
  };
}""".replace("MIN_TAP", str(MIN_TAP))


def _measure(page) -> dict:
    return page.evaluate(_MEASURE)


def phone_layout_problems(page) -> list[str]:
    """What keeps the page open in `page` (sized to PHONE) from working on a phone: sideways scrolling,
    a header taller than a fifth of the screen with the menu folded, a menu button that does not
    unfold and fold the navigation (by click and by keyboard), buttons under 44 px. Empty when fit."""
    problems = []
    m = _measure(page)
    if m["scrollWidth"] > m["innerWidth"]:
        problems.append(
            f"the page scrolls sideways ({m['scrollWidth']} px wide in a {m['innerWidth']} px screen): "
            + "; ".join(m["sticking"])
        )
    if m["header"] > MAX_HEADER_SHARE * m["innerHeight"]:
        problems.append(f"the header is {m['header']:.0f} px high in a {m['innerHeight']} px screen")
    problems += [f"too small to tap: {small}" for small in m["small"]]
    if not m["toggleShown"]:
        return [*problems, "no menu button"]
    if m["expanded"] != "false" or m["menuShown"]:
        problems.append("the menu is not folded when the page opens")

    toggle = page.locator(".menu-toggle")
    toggle.click()
    opened = _measure(page)
    if opened["expanded"] != "true" or not opened["menuShown"]:
        problems.append("the menu button does not unfold the menu")
    elif page.locator(".mainnav a").count() and not page.locator(".mainnav a").first.is_visible():
        problems.append("the unfolded menu does not show the navigation")
    page.keyboard.press("Escape")
    if _measure(page)["menuShown"]:
        problems.append("Escape does not fold the menu")
    toggle.focus()
    page.keyboard.press("Enter")
    if not _measure(page)["menuShown"]:
        problems.append("the menu button does not work from the keyboard")
    page.keyboard.press("Escape")
    if not toggle.evaluate("el => el === document.activeElement"):
        problems.append("folding the menu with Escape does not give the focus back to its button")
    return problems


def desktop_layout_problems(page) -> list[str]:
    """What is wrong with the page in `page` (sized to DESKTOP): sideways scrolling, a menu button
    shown, or the navigation hidden behind one."""
    problems = []
    m = _measure(page)
    if m["scrollWidth"] > m["innerWidth"]:
        problems.append(f"the page scrolls sideways: {'; '.join(m['sticking'])}")
    if m["toggleShown"]:
        problems.append("a menu button is shown on a wide screen")
    links = page.locator(".mainnav a")
    if not m["navShown"] or (links.count() and not links.first.is_visible()):
        problems.append("the navigation is not visible on a wide screen")
    return problems


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


def download_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_valid_office_file(content: bytes) -> None:
    """Every XML part of an .xlsx or .docx is well-formed XML 1.0 (as Excel and Word read it, with
    no character it forbids), and no cell holds more text than Excel's 32,767 characters."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(archive.read(name))  # raises on anything malformed
                for text in root.itertext():
                    assert not XML_FORBIDDEN.search(text), (name, text[:80])
                    assert not name.startswith("xl/") or len(text) <= 32_767, (name, len(text))


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


# --- hostile uploads ------------------------------------------------------------------------------

_SPREADSHEETML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_parts(sheet_data: str, *, dimension: str = "A1", shared_strings: bytes | None = None) -> dict[str, bytes]:
    """The parts of a minimal .xlsx whose first sheet's `<sheetData>` is `sheet_data` (written by
    hand, to say whatever a hostile file says), to zip with `zip_parts`."""
    parts = {
        "[Content_Types].xml": (
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_SPREADSHEETML}" xmlns:r="{_OFFICE}"><sheets>'
            '<sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_SPREADSHEETML}"><dimension ref="{dimension}"/>'
            f"<sheetData>{sheet_data}</sheetData></worksheet>"
        ).encode(),
    }
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return parts


def zip_parts(parts: dict[str, bytes | list[bytes]]) -> bytes:
    """A zip of `parts`; a part given as a list of blocks is deflated block by block, so that a
    part inflating to gigabytes is built without holding it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            with archive.open(name, "w", force_zip64=False) as part:
                for block in content:
                    part.write(block)
    return buffer.getvalue()


def inline_cell(ref: str, text: str = "x") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def png_bytes(width: int, height: int, *, rows: int | None = None) -> bytes:
    """An RGB PNG declaring `width` × `height` whose first `rows` rows (all when None) are there,
    one grey: a few KB however many pixels it declares."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    deflate = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * (width * 3)
    pixels = b"".join(deflate.compress(row) for _ in range(height if rows is None else rows)) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


_BOUNDED = """
import resource, sys, django
django.setup()

def limit_memory(headroom_mb):
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (size + headroom_mb * 1024 * 1024,) * 2)
"""


def run_with_memory_limit(code: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh Django process. It builds what it needs, then calls
    `limit_memory(MB)`: from there on the process cannot grow by more than MB (a reader asking
    for more fails, and a Rust reader aborts the whole process, as it would a server worker)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "duban.settings", "DUBAN_DEMO": "1"}
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", _BOUNDED + code], env=env, capture_output=True, text=True, timeout=120
    )
