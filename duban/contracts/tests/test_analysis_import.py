"""Importing existing contracts into the analysis from the agency's workbook: every row checked
before anything is written, each problem named by its row, and a downloaded analysis comes back in."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from duban.contracts import services
from duban.contracts.models import AnalysedContract, ClauseItem
from duban.core.testing import download_bytes

HEADER = ["项目名称", "建设单位类型", "建设单位", "施工单位", "合同金额（元）", "开工日期", "竣工日期", "延误天数",
          "关键节点工期要求", "误期赔偿"]  # fmt: skip


def workbook(*rows, title: str | None = "罗湖区建设工程施工合同条款分析台账") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    sheet.append(["填报人：张某", None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = ["莲塘学校扩建工程", "区建筑工务署", "罗湖区建筑工务署", "中建某局", "12,500,000.00", dt.date(2023, 3, 1),
        "2024年6月30日", 45, "✓", "✗"]  # fmt: skip
OTHER = ["东门老街市政改造", "央企", "某央企集团", "某路桥公司", 8600000, "2022/5/10", dt.date(2023, 12, 1), None,
         "无", "有"]  # fmt: skip


@pytest.fixture
def checklist(works):
    services.standard_checklist()
    return {c.code: c for c in ClauseItem.objects.all()}


def test_a_workbook_as_the_office_keeps_it_comes_in_whole(works, checklist):
    added = services.analysed_import(actor=works.staff, data=workbook(GOOD, OTHER), name="台账.xlsx")
    assert [a.project for a in added] == ["莲塘学校扩建工程", "东门老街市政改造"]
    first, second = (AnalysedContract.objects.get(pk=a.pk) for a in added)
    assert (first.owner_kind, str(first.amount), first.ends_on, first.delay_days) == (
        "district_works",
        "12500000.00",
        dt.date(2024, 6, 30),
        45,
    )
    assert list(first.clauses.all()) == [checklist["key_nodes"]]
    assert (second.owner_kind, second.starts_on, second.delay_days) == ("central_soe", dt.date(2022, 5, 10), 0)
    assert list(second.clauses.all()) == [checklist["delay_damages"]]


def test_one_bad_row_adds_nothing_and_every_problem_is_named_by_its_row(works, checklist):
    late_start = ["翠竹街道社康中心", *GOOD[1:5], dt.date(2025, 1, 1), dt.date(2024, 1, 1), 0, "✓", "✓"]
    bad = [*OTHER[:1], "私营企业", OTHER[2], "", "负一百", "明年", OTHER[6], "-3", "也许", "✗"]
    with pytest.raises(ValidationError) as refused, translation.override("zh-hans"):
        services.analysed_import(actor=works.staff, data=workbook(GOOD, late_start, bad), name="台账.xlsx")
    messages = refused.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("第5行") and "竣工日期" in messages[0]
    assert messages[1].startswith("第6行")
    for words in ("建设单位类型", "承包人为空", "合同金额", "开工日期", "延误天数", "✓"):
        assert words in messages[1], words
    assert not AnalysedContract.objects.exists()


def test_a_contract_already_analysed_or_twice_in_the_file_is_refused(works, checklist):
    services.analysed_import(actor=works.staff, data=workbook(GOOD), name="a.xlsx")
    with pytest.raises(ValidationError, match="已在分析中"):
        services.analysed_import(actor=works.staff, data=workbook(OTHER, GOOD), name="b.xlsx")
    with pytest.raises(ValidationError, match="已在分析中"):
        services.analysed_import(actor=works.staff, data=workbook(OTHER, OTHER), name="c.xlsx")
    assert AnalysedContract.objects.count() == 1


def test_a_file_that_is_no_workbook_or_lacks_columns_gets_a_clear_refusal(works, checklist):
    with pytest.raises(ValidationError, match="已损坏"):
        services.analysed_import(actor=works.staff, data=b"PK\x03\x04 broken", name="a.xlsx")
    book = openpyxl.Workbook()
    book.active.append(["项目名称", "施工单位", "开工日期"])
    book.active.append(["某工程", "某公司", "2024-01-01"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ValidationError, match="缺少以下列") as refused:
        services.analysed_import(actor=works.staff, data=out.getvalue(), name="a.xlsx")
    assert "发包人类型" in refused.value.messages[0] and "竣工日期" in refused.value.messages[0]
    assert not AnalysedContract.objects.exists()


def test_only_the_agency_imports(personas, works, checklist):
    for who in (personas.unit_a_staff, works.reviewer, personas.resident):
        with pytest.raises(PermissionDenied):
            services.analysed_import(actor=who, data=workbook(GOOD), name="a.xlsx")
    assert not AnalysedContract.objects.exists()


def test_the_downloaded_analysis_comes_back_in(client, works, checklist):
    services.analysed_import(actor=works.staff, data=workbook(GOOD, OTHER), name="a.xlsx")
    client.force_login(works.staff)
    exported = download_bytes(client.get(reverse("contracts:analysis"), {"format": "xlsx"}))
    before = {a.project: (a.owner_kind, a.amount, a.starts_on, a.ends_on, a.delay_days, set(a.clauses.all()))
              for a in AnalysedContract.objects.all()}  # fmt: skip
    AnalysedContract.objects.all().delete()
    upload = SimpleUploadedFile("分析.xlsx", exported)
    page = client.post(reverse("contracts:analysis_import"), {"file": upload})
    assert page.status_code == 302
    after = {a.project: (a.owner_kind, a.amount, a.starts_on, a.ends_on, a.delay_days, set(a.clauses.all()))
             for a in AnalysedContract.objects.all()}  # fmt: skip
    assert after == before


def test_the_import_page_shows_the_rows_problems_and_keeps_nothing(client, personas, works, checklist):
    bad = [*GOOD[:5], "明年", *GOOD[6:]]
    client.force_login(works.staff)
    page = client.post(reverse("contracts:analysis_import"), {"file": SimpleUploadedFile("a.xlsx", workbook(bad))})
    assert page.status_code == 400 and "第4行" in page.content.decode()
    assert not AnalysedContract.objects.exists()
    client.force_login(personas.unit_a_staff)
    upload = SimpleUploadedFile("a.xlsx", workbook(GOOD))
    assert client.post(reverse("contracts:analysis_import"), {"file": upload}).status_code == 403
    assert not AnalysedContract.objects.exists()
