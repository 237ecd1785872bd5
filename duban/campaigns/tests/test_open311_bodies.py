"""Open311 bodies a server cannot read (bytes that are not UTF-8, another charset, too big, a
broken multipart, too many fields) are refused in the spec's error format, in the format asked
for, and nothing is stored. Pages and the API refuse the same bodies in their own way."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from lxml import etree

from duban.campaigns.models import Report
from duban.campaigns.services import setup
from duban.campaigns.tests.conftest import DONGMEN

pytestmark = pytest.mark.django_db

KEY = "open311-bodies-key-0123456789"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def key(world):
    setup.client_create(actor=None, name="罗湖plus", key=KEY)
    return KEY


def fields(**more) -> dict[str, str]:
    return {"api_key": KEY, "service_code": "t-parking", "lat": DONGMEN[0], "long": DONGMEN[1], **more}


def form_bytes(**more) -> bytes:
    return urlencode(fields(**more)).encode()


def refusal(response, fmt: str) -> str:
    """The one error of an Open311 error answer, in the format asked for."""
    assert response.status_code == 400, response.content[:300]
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        (error,) = json.loads(response.content)
        assert error["code"] == 400
        return error["description"]
    assert response["Content-Type"].startswith("text/xml")
    (error,) = etree.fromstring(response.content).findall("error")
    assert error.findtext("code") == "400"
    return error.findtext("description")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bytes_that_are_not_utf8_are_refused_not_stored_as_mojibake(client, key, fmt):
    body = form_bytes() + b"&description=" + b"".join(b"%%%02X" % byte for byte in "占道经营".encode("gbk"))
    response = client.generic("POST", f"/open311/v2/requests.{fmt}", body, content_type=FORM)
    assert "UTF-8" in refusal(response, fmt)
    assert not Report.objects.exists()


def test_raw_bytes_that_are_not_utf8_are_refused_too(client, key):
    body = form_bytes() + b"&description=" + "占道经营".encode("gbk")
    response = client.generic("POST", "/open311/v2/requests.json", body, content_type=FORM)
    assert "UTF-8" in refusal(response, "json")
    assert not Report.objects.exists()


def test_a_body_declared_in_another_charset_is_refused(client, key):
    body = urlencode(fields(description="Straße blockiert"), encoding="latin-1").encode("latin-1")
    response = client.generic("POST", "/open311/v2/requests.xml", body, content_type=f"{FORM}; charset=latin-1")
    assert "UTF-8" in refusal(response, "xml")
    assert not Report.objects.exists()


def test_a_body_declared_utf8_is_taken(client, key):
    body = form_bytes(description="占道经营")
    response = client.generic("POST", "/open311/v2/requests.json", body, content_type=f"{FORM}; charset=UTF-8")
    assert response.status_code == 201
    assert Report.objects.get().description == "占道经营"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_body_over_the_size_limit_is_refused(client, key, settings, fmt):
    body = form_bytes(description="占" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 9 + 1))
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.generic("POST", f"/open311/v2/requests.{fmt}", body, content_type=FORM)
    assert "MB" in refusal(response, fmt)
    assert not Report.objects.exists()


def test_a_broken_multipart_body_is_refused(client, key):
    body = b'--xyz\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n' + KEY.encode()
    response = client.generic(
        "POST", "/open311/v2/requests.json", body, content_type="multipart/form-data; boundary=xyz"
    )
    assert refusal(response, "json")
    assert not Report.objects.exists()


def test_a_multipart_without_a_boundary_is_refused(client, key):
    response = client.generic("POST", "/open311/v2/requests.xml", form_bytes(), content_type="multipart/form-data")
    assert refusal(response, "xml")
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_more_than_a_thousand_fields_are_refused(client, key, fmt):
    body = form_bytes() + b"".join(b"&attribute[x%d]=1" % n for n in range(1001))
    response = client.generic("POST", f"/open311/v2/requests.{fmt}", body, content_type=FORM)
    assert "1,000" in refusal(response, fmt) or "1000" in refusal(response, fmt)
    assert not Report.objects.exists()


def test_a_multipart_post_in_utf8_is_taken(client, key):
    response = client.post("/open311/v2/requests.json", fields(description="井盖缺失"))
    assert response.status_code == 201
    assert Report.objects.get().description == "井盖缺失"


def test_a_page_form_with_bytes_that_are_not_utf8_gets_a_page_saying_so(client, world):
    body = b"category=1&description=" + b"".join(b"%%%02X" % byte for byte in "占道".encode("gbk"))
    response = client.generic("POST", "/participate/problems/new/", body, content_type=FORM)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "UTF-8" in response.content.decode()
    assert not Report.objects.exists()


def test_an_api_body_over_the_limit_is_json(client, personas, settings):
    client.force_login(personas.office_admin)
    response = client.generic(
        "POST",
        "/api/ledger/items",
        b"{" + b" " * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b"}",
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "MB" in response.json()["detail"]
