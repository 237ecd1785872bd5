"""Open data: the catalogue and every dataset in every format for anyone; and nothing personal ever
leaves — every dataset, in every format and through the API, is scanned for phone numbers, the
names of residents and exact home coordinates."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from duban.campaigns.models import Report
from duban.campaigns.tests.conftest import CHENGDONG, DONGMEN, GUIYUAN, submit_report
from duban.core.testing import download_bytes
from duban.opendata.datasets import DATASETS, PHONE, cell_centre, masked

PHONE_LIKE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def reports(world, personas):
    made = [
        submit_report(world, personas, description="楼下有人占道，电话13912345678，找王小明", contact_name="王小明",
                      contact_phone="13912345678"),
        submit_report(world, personas, at=CHENGDONG, actor=personas.other_resident, description="垃圾满溢"),
        submit_report(world, personas, at=GUIYUAN, description="路灯不亮，请联系 139-1234-5678"),
    ]  # fmt: skip
    Report.objects.filter(pk=made[0].pk).update(status_note="已处理，如有问题请拨打0755-82345678或13800138000")
    return made


def _all_downloads(client):
    for slug in DATASETS:
        for fmt in ("csv", "json", "xlsx"):
            response = client.get(reverse("opendata:dataset_download", args=[slug, fmt]))
            assert response.status_code == 200, (slug, fmt)
            content = download_bytes(response)
            if fmt == "xlsx":
                book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
                text = "\n".join(
                    str(v) for row in book.active.iter_rows(values_only=True) for v in row if v is not None
                )
            else:
                text = content.decode("utf-8-sig")
            yield slug, fmt, text
        api = client.get(f"/api/opendata/datasets/{slug}/rows", {"page_size": 1000})
        assert api.status_code == 200
        yield slug, "api", api.content.decode()


def test_nothing_personal_leaves_in_any_dataset_or_format(client, personas, reports):
    names = {personas.resident.person.name if hasattr(personas.resident, "person") else "", "王小明"} - {""}
    exact = {f"{lat}" for lat, _lng in (DONGMEN, CHENGDONG, GUIYUAN)} | {f"{lng}" for _lat, lng in (DONGMEN, CHENGDONG,
                                                                                                  GUIYUAN)}  # fmt: skip
    scanned = 0
    for slug, fmt, text in _all_downloads(client):
        assert not PHONE_LIKE.search(text.replace("-", "").replace(" ", "")), (slug, fmt)
        assert "0755-82345678" not in text
        for name in names:
            assert name not in text, (slug, fmt, name)
        for coordinate in exact:  # the point itself, not a cell centre that begins with the same digits
            assert not re.search(rf"(?<![\d.]){re.escape(coordinate)}(?!\d)", text), (slug, fmt, coordinate)
        assert "共享单车" not in text and "垃圾满溢" not in text  # residents' descriptions stay home
        scanned += 1
    assert scanned == len(DATASETS) * 4


def test_the_reports_dataset_rounds_places_to_the_grid_and_keeps_the_public_reply(client, reports):
    body = json.loads(download_bytes(client.get(reverse("opendata:dataset_download",
                                                        args=["problem-reports", "json"]))))  # fmt: skip
    rows = {row["id"]: row for row in body["rows"]}
    assert set(rows) == {r.pk for r in reports}
    first = rows[reports[0].pk]
    assert (first["lat"], first["lng"]) == (cell_centre(DONGMEN[0]), cell_centre(DONGMEN[1]))
    assert abs(first["lat"] - DONGMEN[0]) <= 0.0025 and first["lat"] != DONGMEN[0]
    assert first["public_reply"] == "已处理，如有问题请拨打***或***" and first["street"] == "东门街道"
    assert masked("电话 +86 139 1234 5678。") == "电话 ***。" and PHONE.search("12345") is None


def test_the_catalogue_csv_and_api_for_anyone(client, reports):
    page = client.get(reverse("opendata:catalogue"))
    assert page.status_code == 200 and "问题上报" in page.content.decode()
    detail = client.get(reverse("opendata:dataset_detail", args=["problem-reports"]))
    assert detail.status_code == 200 and detail.context["count"] == 3
    raw = download_bytes(client.get(reverse("opendata:dataset_download", args=["reports-by-month-and-street",
                                                                               "csv"])))  # fmt: skip
    assert raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8-sig").splitlines()[0].startswith("month,street")
    catalogue = client.get("/api/opendata/datasets").json()
    assert {d["slug"] for d in catalogue} == set(DATASETS) and all(d["fields"] for d in catalogue)
    paged = client.get("/api/opendata/datasets/problem-reports/rows", {"page": 2, "page_size": 2}).json()
    assert (paged["count"], len(paged["rows"]), paged["page"]) == (3, 1, 2)
    assert client.get("/api/opendata/datasets/problem-reports/rows", {"page_size": 5000}).status_code == 422
    assert client.get("/api/opendata/datasets/nothing/rows").status_code == 404
    assert client.get(reverse("opendata:dataset_download", args=["problem-reports", "exe"])).status_code == 404
