"""A document as uploaded (a rule, a research report): a Word file (.docx) or a PDF, read no
further than the size limit (the declared size is not trusted), checked to be what its name says,
and its text taken out so it can be searched. Text that XML cannot hold is dropped."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from duban.core.text import xml_safe
from duban.core.uploads import UnreadableUpload, check_zip

MAX_BYTES = 20 * 1024 * 1024
MAX_TEXT = 500_000  # characters kept for search; a rule longer than this is searched by its start
SUFFIXES = (".docx", ".pdf")


@dataclass
class Document:
    content: ContentFile
    name: str
    text: str


def _refused(message: str) -> ValidationError:
    return ValidationError({"file": message})


def read_document(upload) -> Document:
    """The upload as a stored document with its text; ValidationError on the `file` field when it
    is not a readable .docx or PDF within 20 MB."""
    name = Path(upload.name or "").name[:200]
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise _refused(_("“%(name)s” is not a Word (.docx) or PDF file.") % {"name": name})
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refused(_("“%(name)s” is larger than 20 MB.") % {"name": name})
    try:
        text = _docx_text(data) if suffix == ".docx" else _pdf_text(data)
    except UnreadableUpload as error:
        raise _refused(_("“%(name)s” cannot be read: %(why)s") % {"name": name, "why": error}) from None
    return Document(ContentFile(data, name=name), name, xml_safe(text)[:MAX_TEXT])


def _docx_text(data: bytes) -> str:
    from docx import Document as WordDocument

    parts = check_zip(data)
    if "word/document.xml" not in parts:
        raise UnreadableUpload(_("it has no document body."))
    try:
        document = WordDocument(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a damaged part  # noqa: BLE001
        raise UnreadableUpload(_("it is damaged or is not really a Word file.")) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(line for line in lines if line.strip())


def _pdf_text(data: bytes) -> str:
    if not data.startswith(b"%PDF-"):
        raise UnreadableUpload(_("it does not begin as a PDF file does."))
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = []
        for page in reader.pages[:2000]:
            pages.append(page.extract_text() or "")
            if sum(len(p) for p in pages) > MAX_TEXT:
                break
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise UnreadableUpload(_("it is damaged or is not really a PDF.")) from None
    return "\n".join(pages)
