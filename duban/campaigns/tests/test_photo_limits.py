"""A photo is decoded only when it has at most 50 million pixels, and then within bounded memory;
a few-KB image declaring billions of pixels is refused with a message that says so."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from duban.campaigns.choices import ReportSource
from duban.campaigns.models import Report, ReportPhoto
from duban.campaigns.services.submitting import report_submit
from duban.campaigns.tests.conftest import DONGMEN, make_photo
from duban.core.testing import png_bytes, run_with_memory_limit
from duban.core.uploads import MAX_IMAGE_PIXELS


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_files(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


def test_pillow_itself_refuses_an_image_over_twice_the_limit_before_decoding_it():
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS == 50_000_000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_bytes(10_000, 10_001, rows=1)))


@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (10_000, 10_001), (8_000, 8_000)])
def test_a_tiny_image_declaring_too_many_pixels_is_refused_as_such_and_nothing_is_stored(
    world, personas, settings, width, height
):
    data = png_bytes(width, height, rows=1)
    assert len(data) < 20_000
    upload = SimpleUploadedFile("炸弹.png", data, content_type="image/png")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        report_submit(
            actor=personas.resident,
            campaign=world.campaign,
            category=world.parking,
            description="人行道被占",
            source=ReportSource.PORTAL,
            lat=DONGMEN[0],
            lng=DONGMEN[1],
            photos=[make_photo(), upload],
        )
    assert refused.value.message_dict["photos"] == ["“炸弹.png” has too many pixels (at most 50 million)."]
    assert not Report.objects.exists() and not ReportPhoto.objects.exists()
    assert stored_files(settings.MEDIA_ROOT) == []


def test_the_portal_form_shows_the_refusal_next_to_the_photos(client, world, settings):
    bomb = io.BytesIO(png_bytes(100_000, 100_000, rows=1))
    bomb.name = "bomb.png"
    form = {"category": world.parking.pk, "description": "电动车挡住消防通道", "lat": DONGMEN[0], "lng": DONGMEN[1],
            "coordinate_system": "wgs84"}  # fmt: skip
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("portal:problem_new"), {**form, "photos": [bomb]})
    assert response.status_code == 400
    assert "bomb.png” has too many pixels" in response.content.decode()
    assert not Report.objects.exists() and stored_files(settings.MEDIA_ROOT) == []


@pytest.mark.parametrize(
    "build",
    [
        "png_bytes(7_000, 7_000)",  # 49 million grey pixels in 150 KB: just under the limit
        "jpeg(8_000, 6_000)",
    ],
)
def test_a_photo_just_under_the_limit_is_decoded_within_bounded_memory(build):
    """Decoding, turning and converting used to make full-size copies: over 500 MB for these."""
    code = f"""
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from duban.campaigns.services.photos import clean_photo
from duban.core.testing import png_bytes

def jpeg(width, height):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 100, 50)).save(out, "JPEG")
    return out.getvalue()

data = {build}
limit_memory(400)
content, width, height = clean_photo(SimpleUploadedFile("photo", data))
print(width, height, Image.open(content).format)
"""
    done = run_with_memory_limit(code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[2] == "JPEG" and max(map(int, done.stdout.split()[:2])) == 2560
