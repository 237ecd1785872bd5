"""Reading uploaded files without trusting what they say about themselves.

A workbook is a zip of XML parts, and both layers can lie. A 5 KB .xlsx can say its sheet reaches
XFD1000000 (python-calamine then asks for one 32-byte cell per row and column: 500 GB), and a zip
can say a part is 1 KB and inflate it to gigabytes. So before calamine sees an upload,
`xlsx_rows` checks the zip's central directory, inflates every part itself with a byte limit, counts the
shared texts (calamine keeps each: a small file can hold millions of empty ones), and finds where
the cells really are, whatever the sheet's `<dimension>` says: a cell beyond the
rows or columns the caller reads refuses the file, naming the cell. Only then is the first sheet
read, one row at a time.

Where the cells are: calamine places a `<c>` at its `r` attribute (the last one when there are
several), else one column right of the cell before it in that row (rows: their own `r`, else one
below the row before). Files from Excel, WPS and openpyxl give every cell an `r`, first; that is
checked with byte counts and a few searches over each part (`_plain`). Any other file is walked
tag by tag (`_Walk`), counting as calamine does or further, so a cell never lands beyond what
was checked. A tag the walk cannot read refuses the file.
"""

from __future__ import annotations

import functools
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator

import olefile
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

MAX_INFLATED_BYTES = 256 * 1024 * 1024  # every part of a workbook together, inflated
MAX_SHARED_TEXTS = 2_000_000  # the reader keeps each in memory: 20 million empty ones take 500 MB
MAX_PARTS = 1000
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_COLUMNS = 26  # A to Z
MAX_IMAGE_PIXELS = 50_000_000  # a 50-megapixel phone photo; Pillow's own limit is set to it (CoreConfig)
CHUNK = 1024 * 1024
END_OF_DIRECTORY = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"


class UnreadableUpload(ValueError):
    """An upload refused before it is read; `str()` is the reason, in the user's language."""


def column_letters(column: int) -> str:
    """1 → A, 26 → Z, 27 → AA, for any column number."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _unreadable(reason: str) -> UnreadableUpload:
    return UnreadableUpload(_("The file is damaged or is not the kind its name says (%(error)s).") % {"error": reason})


def _too_far(row: int, column: int, max_rows: int) -> UnreadableUpload:
    return UnreadableUpload(
        _(
            "The sheet has a cell at %(cell)s. Only rows 1 to %(rows)s and columns A to %(column)s are read: "
            "delete what lies beyond them and upload the file again."
        )
        % {"cell": f"{column_letters(column)}{row}", "rows": f"{max_rows:,}", "column": column_letters(MAX_COLUMNS)}
    )


def _too_many_texts() -> UnreadableUpload:
    return UnreadableUpload(
        _("The file holds more than %(n)s different texts, more than can be read at once: split it into smaller files.")
        % {"n": f"{MAX_SHARED_TEXTS:,}"}
    )


def _too_big() -> UnreadableUpload:
    return UnreadableUpload(
        _("The file unpacks to more than %(mb)s MB, more than can be read at once: split it into smaller files.")
        % {"mb": MAX_INFLATED_BYTES // 1024 // 1024}
    )


def _check_directory(data: bytes) -> None:
    """Refuse, before zipfile parses it, a central directory that is out of place or far too long."""
    tail_from = max(0, len(data) - 22 - 65_535)
    if not data.startswith(b"PK\x03\x04") or data.count(END_OF_DIRECTORY, tail_from) != 1:
        raise _unreadable("zip")
    end = data.rfind(END_OF_DIRECTORY, tail_from)
    record = data[end : end + 22]
    if len(record) < 22 or data[max(end - 20, 0) : end - 16] == ZIP64_LOCATOR:
        raise _unreadable("zip")
    _sig, _disk, _first, _here, parts, size, offset, _comment = struct.unpack("<4s4H2LH", record)
    if parts > MAX_PARTS or size > MAX_DIRECTORY_BYTES:
        raise _unreadable(_("%(n)s parts") % {"n": f"{parts:,}"})
    if offset + size != end:  # data before the archive or between its directory and its end
        raise _unreadable("zip")


def _at_most(limit: int) -> str:
    """A pattern for the whole numbers 1 to `limit` (leading zeros allowed)."""
    digits = str(limit)
    choices = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for index, digit in enumerate(digits):
        low = 1 if index == 0 else 0
        if int(digit) - 1 >= low:
            choices.append(digits[:index] + f"[{low}-{int(digit) - 1}]" + r"\d" * (len(digits) - index - 1))
    choices.append(digits)
    return "0*(?:" + "|".join(choices) + ")"


@functools.cache
def _patterns(max_rows: int) -> dict[str, re.Pattern]:
    row = _at_most(max_rows).encode()
    prefix = rb"(?:[^\s<>/:=!?\"']*:)?"  # calamine reads `<x:c>` and even `<:c>` as a cell
    return {
        "cell": re.compile(rb"<c(?=[\s/>])()"),
        "far": re.compile(rb'<c r="(?![A-Za-z]' + row + rb'")'),
        # an `r` attribute written any other way than ` r="`
        "odd_r": re.compile(rb"""r(?:(?<=["'\t\n\r\x0b\x0c]r)\s*=|(?<= r)(?:\s+=|=(?!")))"""),
        "prefixed": re.compile(rb":c[\s/>]"),
        "shared_text": re.compile(rb"<(?:[^\s<>/:=!?\"']*:)?si(?=[\s/>])()"),
        "tag_start": re.compile(rb"<(/?)" + prefix + rb"(c|row)(?=[\s/>])"),
        "tag": re.compile(rb"<(/?)" + prefix + rb"(c|row)((?:\s*[^\s=/<>\"']+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"),
        "attribute": re.compile(rb"""([^\s=/<>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')"""),
        "ref": re.compile(rb"([A-Za-z]+)(\d+)"),
    }


def _plain(block: bytes, patterns) -> bool:
    """Whether every cell in `block` starts `<c r="A1"` with a reference inside the limits and has
    no other `r`: then calamine puts each cell where its reference says, and no further."""
    cells = block.count(b'<c r="')
    return (
        b"\x00" not in block  # UTF-16 or UTF-32: these searches would not see the tags
        and len(patterns["cell"].findall(block)) == cells
        and block.count(b' r="') == cells + block.count(b'<row r="')
        and not patterns["odd_r"].search(block)
        and not patterns["prefixed"].search(block)
        and not patterns["far"].search(block)
    )


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper()[:8]:  # eight letters are already far beyond any limit
        number = number * 26 + letter - ord("A") + 1
    return number


def _row_number(digits: bytes) -> int:
    digits = digits.lstrip(b"0")
    return int(digits) if len(digits) <= 12 else 10**12


class _Walk:
    """Every cell of a part, placed as calamine places it or further right and lower."""

    def __init__(self, patterns, max_rows: int):
        self.patterns, self.max_rows = patterns, max_rows
        self.row, self.column = 1, 1  # where a cell without `r` goes (1-based)

    def _r(self, attributes: bytes) -> bytes | None:
        values = [
            m.group(2) if m.group(2) is not None else m.group(3)
            for m in self.patterns["attribute"].finditer(attributes)
            if m.group(1) == b"r"
        ]
        if len(values) > 1:
            raise _unreadable("r")
        return values[0] if values else None

    def feed(self, block: bytes) -> None:
        if b"\x00" in block:
            raise _unreadable("UTF-16")
        for start in self.patterns["tag_start"].finditer(block):
            tag = self.patterns["tag"].match(block, start.start())
            if tag is None:
                raise _unreadable(block[start.start() : start.start() + 20].decode("utf-8", "replace"))
            closing, name, attributes, empty = tag.groups()
            if name == b"row":
                if closing:
                    self.row, self.column = self.row + 1, 1
                    continue
                r = self._r(attributes)
                if r is not None:
                    if not r.strip().isdigit():
                        raise _unreadable("row")
                    self.row = max(_row_number(r.strip()), 1)
                if empty:
                    self.row += 1
            elif not closing:
                r = self._r(attributes)
                if r is None:
                    row, column = self.row, self.column
                else:
                    ref = self.patterns["ref"].fullmatch(r.strip())
                    if ref is None:
                        raise _unreadable(r.decode("utf-8", "replace")[:20])
                    row, column = _row_number(ref.group(2)), _column_number(ref.group(1))
                    self.row = max(self.row, row)  # calamine keeps the row's own: count the lower of the two
                if row > self.max_rows or column > MAX_COLUMNS:
                    raise _too_far(row, column, self.max_rows)
                self.column = column + 1


def _blocks(part) -> Iterator[bytes]:
    """The part's bytes in blocks cut just before a `<`, so that no tag shorter than a block is cut."""
    carry = b""
    while chunk := part.read(CHUNK):
        block = carry + chunk
        cut = block.rfind(b"<", max(0, len(block) - CHUNK))
        cut = len(block) if cut <= 0 else cut
        yield block[:cut]
        carry = block[cut:]
    if carry:
        yield carry


def _refuse_far_cells(block: bytes, patterns, max_rows: int) -> None:
    """A plain block with a reference beyond the limits: name the cell."""
    far = patterns["far"].search(block)
    value = block[far.end() : far.end() + 24].split(b'"', 1)[0]
    ref = patterns["ref"].fullmatch(value)
    if ref is None or _row_number(ref.group(2)) < 1:
        raise _unreadable(value.decode("utf-8", "replace"))
    raise _too_far(_row_number(ref.group(2)), _column_number(ref.group(1)), max_rows)


def check_xlsx(data: bytes, *, max_rows: int) -> None:
    """Refuse `data` unless it is a zip whose parts inflate within MAX_INFLATED_BYTES, with at most
    MAX_SHARED_TEXTS shared texts, and whose cells all lie within rows 1 to `max_rows` and columns A to Z."""
    _check_directory(data)
    patterns = _patterns(max_rows)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        names = [part.filename for part in parts]
        if len(set(names)) != len(names):
            raise _unreadable(_("a part appears twice"))
        if sum(part.file_size for part in parts) > MAX_INFLATED_BYTES:
            raise _too_big()
        inflated = texts = 0
        for part in parts:
            plain = True
            with archive.open(part) as stream:
                for block in _blocks(stream):
                    inflated += len(block)
                    if inflated > MAX_INFLATED_BYTES:
                        raise _too_big()
                    texts += len(patterns["shared_text"].findall(block))
                    if texts > MAX_SHARED_TEXTS:
                        raise _too_many_texts()
                    if plain and not _plain(block, patterns):
                        if patterns["far"].search(block) and b"\x00" not in block:
                            _refuse_far_cells(block, patterns, max_rows)
                        plain = False
            if not plain:  # the same bytes again (within the limit just checked), tag by tag
                walk = _Walk(patterns, max_rows)
                with archive.open(part) as stream:
                    for block in _blocks(stream):
                        walk.feed(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as error:
        raise _unreadable(type(error).__name__) from None


def xlsx_rows(data: bytes, *, max_rows: int) -> Iterator[list]:
    """The first sheet's rows from A1, one list per row ("" for an empty cell), after `check_xlsx`.
    Raises UnreadableUpload (checks) or the reader's own errors (a damaged file)."""
    check_xlsx(data, max_rows=max_rows)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    start = sheet.start
    # iter_rows starts at row 1 but at the sheet's first used column: add the columns before it.
    before = [""] * (start[1] if start else 0)
    return (before + row if len(row) == sheet.width else row for row in sheet.iter_rows())


def check_zip(data: bytes) -> dict[str, bytes]:
    """A zip whose directory is in place and whose parts inflate within MAX_INFLATED_BYTES
    together, inflated by us with that limit (a part's declared size is not trusted)."""
    _check_directory(data)
    parts: dict[str, bytes] = {}
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len({info.filename for info in infos}) != len(infos):
            raise _unreadable(_("a part appears twice"))
        inflated = 0
        for info in infos:
            pieces = []
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    inflated += len(chunk)
                    if inflated > MAX_INFLATED_BYTES:
                        raise _too_big()
                    pieces.append(chunk)
            parts[info.filename] = b"".join(pieces)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as error:
        raise _unreadable(type(error).__name__) from None
    return parts


_ODS_ROW = re.compile(rb"<table:table-row(?=[\s/>])([^>]*?)(/?)>")
_ODS_ROW_END = b"</table:table-row>"
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*?)(/?)>")
_ODS_REPEATED = re.compile(rb'number-(?:rows|columns)-repeated="(\d{1,12})"')
_ODS_VALUE = re.compile(rb"office:value-type=|<text:p\b")


def check_ods(data: bytes, *, max_rows: int) -> None:
    """An OpenDocument sheet repeats a row or a cell by a count; calamine expands every repeated
    row or cell that holds a value (a 1 KB file asking for a million rows takes 135 MB, and a
    million rows of 16,000 columns far more). Refuse a value repeated beyond `max_rows` rows or
    MAX_COLUMNS columns; the blank rows and columns LibreOffice repeats to the sheet's end are fine."""
    content = check_zip(data).get("content.xml", b"")
    row_number = 0
    position = 0
    while match := _ODS_ROW.search(content, position):
        repeated = _ODS_REPEATED.search(match.group(1))
        rows = int(repeated.group(1)) if repeated else 1
        if match.group(2):  # <table:table-row/>: an empty row
            row_number += rows
            position = match.end()
            continue
        end = content.find(_ODS_ROW_END, match.end())
        end = len(content) if end < 0 else end
        body = content[match.end() : end]
        row_number += rows
        if _ODS_VALUE.search(body):
            if row_number > max_rows:
                raise _too_far(row_number, 1, max_rows)
            column = 0
            for cell in _ODS_CELL.finditer(body):
                count = _ODS_REPEATED.search(cell.group(1))
                column += int(count.group(1)) if count else 1
                if column > MAX_COLUMNS and not cell.group(2) and _cell_has_value(body, cell):
                    raise _too_far(row_number, column, max_rows)
        position = end + len(_ODS_ROW_END)


def _cell_has_value(body: bytes, cell: re.Match) -> bool:
    if b"office:value-type=" in cell.group(1):
        return True
    close = body.find(b"</table:", cell.end())
    return bool(_ODS_VALUE.search(body[cell.end() : close if close >= 0 else len(body)]))


# BIFF records that place a cell (row and column in their first four bytes); MULRK and MULBLANK
# place a run of cells, their last column in the record's last two bytes.
_XLS_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x0201, 0x00D6, 0x0406}
_XLS_RUNS = {0x00BD, 0x00BE}


def check_xls(data: bytes, *, max_rows: int) -> None:
    """An .xls places each cell by a record; calamine makes one value for every row and column
    up to the furthest (a 5.6 KB file with a cell at IV65536 takes 1 GB). Refuse a cell beyond
    `max_rows` rows or MAX_COLUMNS columns, read from the workbook stream itself."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise _unreadable(_("no workbook stream"))
            if ole.get_size(name) > MAX_INFLATED_BYTES:
                raise _too_big()
            stream = ole.openstream(name).read()
    except (OSError, ValueError, struct.error, IndexError, KeyError) as error:
        raise _unreadable(type(error).__name__) from None
    position, end = 0, len(stream)
    while position + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if kind in _XLS_CELLS or kind in _XLS_RUNS:
            if length < 4 or body + length > end:
                raise _unreadable("BIFF")
            row, column = struct.unpack_from("<HH", stream, body)
            if kind in _XLS_RUNS:
                (column,) = struct.unpack_from("<H", stream, body + length - 2)
            if row + 1 > max_rows or column + 1 > MAX_COLUMNS:
                raise _too_far(row + 1, column + 1, max_rows)
        position = body + length


# What a scanned document or photo starts with, by its name's ending.
DOCUMENT_KINDS = {".pdf": b"%PDF", ".jpg": b"\xff\xd8", ".jpeg": b"\xff\xd8", ".png": b"\x89PNG", ".ofd": b"PK\x03\x04"}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def check_file(upload, *, field: str, kinds: dict[str, bytes], max_bytes: int, kinds_label: str) -> int:
    """The upload's real size in bytes, read to at most `max_bytes` (its declared size is not
    trusted), after checking that it starts as its name's ending says (`kinds`: ending → first
    bytes); a ValidationError on `field` naming the file otherwise."""
    from django.core.exceptions import ValidationError
    from django.template.defaultfilters import filesizeformat

    name = getattr(upload, "name", "") or ""
    kind = kinds.get(name[name.rfind(".") :].lower()) if "." in name else None
    upload.seek(0)
    head = upload.read(8)
    size = len(head)
    while chunk := upload.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise ValidationError(
                {field: _("“%(name)s” is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(max_bytes)}}
            )
    upload.seek(0)
    if kind is None or not head.startswith(kind):
        raise ValidationError({field: _("“%(name)s” is not %(kinds)s.") % {"name": name, "kinds": kinds_label}})
    return size


def check_scan(upload, *, field: str) -> int:
    """A supporting document as offices send them (a PDF, an OFD or a scanned page), at most 20 MB:
    its real size in bytes."""
    return check_file(upload, field=field, kinds=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES,
                      kinds_label=_("a PDF, OFD or a scan (JPEG, PNG)"))  # fmt: skip
