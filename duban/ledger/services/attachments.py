"""Evidence and documents attached to items and reports."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duban.ledger.models import Attachment, Item, ProgressReport
from duban.orgs.models import User

MAX_BYTES = 20 * 1024 * 1024
ALLOWED_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".ofd", ".zip", ".txt"}


def check_upload(upload) -> None:
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(
            {
                "files": _("“%(name)s” is not an accepted file type (PDF, images, Word, Excel, OFD, ZIP, text).")
                % {"name": upload.name}
            }
        )
    if upload.size > MAX_BYTES:
        raise ValidationError({"files": _("“%(name)s” is larger than 20 MB.") % {"name": upload.name}})


def attachments_add(
    *, actor: User | None, item: Item, uploads, report: ProgressReport | None = None
) -> list[Attachment]:
    """Store uploaded files on an item (the caller's transaction decides whether they stay)."""
    for upload in uploads:
        check_upload(upload)
    return [
        Attachment.objects.create(
            item=item,
            report=report,
            file=upload,
            name=Path(upload.name).name[:200],
            size=upload.size,
            uploaded_by=actor,
        )
        for upload in uploads
    ]
