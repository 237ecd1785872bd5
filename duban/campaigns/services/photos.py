"""Checking and storing photos: real images only, within the size limit, re-encoded so that no
metadata (camera, time, GPS location) is ever published."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from duban.campaigns.models import Report, ReportPhoto
from duban.core.uploads import MAX_IMAGE_PIXELS

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_PIXELS = MAX_IMAGE_PIXELS
MAX_SIDE = 2560
MAX_PHOTOS = 6


def max_bytes() -> int:
    return getattr(settings, "DUBAN_PHOTO_MAX_MB", 8) * 1024 * 1024


def clean_photo(upload) -> tuple[ContentFile, int, int]:
    """The photo as a metadata-free JPEG (or a clear error naming the file)."""
    name = Path(getattr(upload, "name", "") or "photo").name
    if upload.size > max_bytes():
        raise ValidationError(
            {"photos": _("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": max_bytes() // 1024 // 1024}}
        )
    not_an_image = ValidationError(
        {"photos": _("“%(name)s” is not a photo (JPEG, PNG, WebP or GIF).") % {"name": name}}
    )
    too_many_pixels = ValidationError(
        {
            "photos": _("“%(name)s” has too many pixels (at most %(n)s million).")
            % {"name": name, "n": MAX_PIXELS // 1_000_000}
        }
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:  # reads the header only
            if probe.format not in ACCEPTED_FORMATS:
                raise not_an_image
            if probe.width * probe.height > MAX_PIXELS:
                raise too_many_pixels
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            # Decode as little as the stored size needs: a JPEG at 1/2, 1/4 or 1/8 of its size, and
            # shrink before turning and converting, so that no full-size copy is made.
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            image = ImageOps.exif_transpose(image).convert("RGB")
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
            width, height = image.size
    except Image.DecompressionBombError:  # over twice MAX_PIXELS, refused by Pillow before decoding
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    return ContentFile(out.getvalue(), name=f"{Path(name).stem[:40] or 'photo'}.jpg"), width, height


def clean_photos(uploads) -> list[tuple[ContentFile, int, int]]:
    uploads = [upload for upload in uploads or [] if upload]
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}})
    return [clean_photo(upload) for upload in uploads]


def photos_store(reports: list[Report], kind: str, cleaned, actor=None) -> list[ReportPhoto]:
    """Store photos already checked by `clean_photos` on each of `reports` (a batch shares one
    stored file per photo); the caller's transaction decides whether the rows stay."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = []
    for content, width, height in cleaned:
        first = ReportPhoto(report=reports[0], kind=kind, width=width, height=height, uploaded_by=user)
        first.image.save(content.name, content, save=False)
        rows += [
            ReportPhoto(report=report, kind=kind, width=width, height=height, uploaded_by=user, image=first.image.name)
            for report in reports
        ]
    return ReportPhoto.objects.bulk_create(rows)
