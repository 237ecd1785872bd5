"""Text XML 1.0 forbids never reaches a file: it is stripped where it comes in, and again where a
file is written (for what was stored before)."""

import datetime as dt
import io

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from duban.core.exports import amount, xlsx_response
from duban.core.middleware import TextInputMiddleware
from duban.core.official import official_docx
from duban.core.testing import assert_valid_office_file, download_bytes
from duban.core.text import XML_FORBIDDEN, download_name, xml_safe, xml_safe_data

FORBIDDEN = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]] + [
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
]
# Every character, surrogates included, and more often the ones XML forbids.
any_text = st.text(st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(FORBIDDEN)))


def test_what_xml_forbids_is_removed_and_nothing_else():
    kept = "甲\t乙\n丙\r丁 \x7f\x85\u2028\ufffd😀"
    assert xml_safe(kept) is kept
    assert xml_safe("".join(FORBIDDEN) + "进度滞后") == "进度滞后"
    assert xml_safe_data({"原因\x01": ["a\x0bb", {"c": "\ud800d"}], "n": 3}) == {"原因": ["ab", {"c": "d"}], "n": 3}


def _sheet(response):
    content = download_bytes(response)
    assert_valid_office_file(content)
    return load_workbook(io.BytesIO(content)).active


def test_an_export_of_any_stored_text_is_a_workbook_excel_opens():
    """openpyxl refused the first row (IllegalCharacterError: a 500 for every export holding it);
    Excel would have run the formula and called the 40,000 characters damage."""
    rows = [
        ["事项\x08名称", "督办\x01事由\x0b", "\ud800孤立代理"],
        ["=1+", '=HYPERLINK("http://example.com","点此")', "长" * 40_000],
    ]
    sheet = _sheet(xlsx_response("台账.xlsx", "台账\x01", ["名称\x0c", "事由", amount("金额")], iter(rows)))
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:2] == ("名称", "事由")
    assert values[1] == ("事项名称", "督办事由", "孤立代理")
    assert values[2][:2] == ("=1+", '=HYPERLINK("http://example.com","点此")')
    assert [sheet.cell(3, column).data_type for column in (1, 2)] == ["s", "s"]  # text, not formulas
    assert len(values[2][2]) == 32_767
    assert sheet.title == "台账"


def test_a_download_named_after_any_title_has_a_clean_header():
    response = xlsx_response("工作要点\n\x01/..\\.xlsx", "s", ["a"], [])
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E5%B7%A5%E4%BD%9C%E8%A6%81%E7%82%B9...xlsx"
    assert download_name("\n\x00") == "download"


def test_an_official_document_of_any_stored_text_opens_in_word():
    """python-docx refused these (ValueError: a 500 for that notice's download, every time)."""
    content = official_docx(
        title="督办\x0b通知",
        number="罗改〔2024〕1号\x01",
        recipient="东门\x08街道",
        paragraphs=["督办事由：进度\x01严重\x0b滞后\ud800", "多行\n文字\t保留"],
        issuer="区委\x1f改革办",
        date=dt.date(2024, 6, 8),
    )
    assert_valid_office_file(content)
    text = [p.text for p in Document(io.BytesIO(content)).paragraphs if p.text]
    assert text[:5] == ["区委改革办", "罗改〔2024〕1号", "督办通知", "东门街道：", "督办事由：进度严重滞后"]
    assert "多行\n文字\t保留" in text


@settings(max_examples=60, deadline=None)
@given(any_text, any_text)
def test_any_text_makes_a_valid_workbook_and_document(first, second):
    sheet = _sheet(xlsx_response("x.xlsx", "s", [first or "h"], [[first], [second * 50]]))
    assert [row[0] or "" for row in sheet.iter_rows(values_only=True)][1:] == [
        xml_safe(first)[:32_767],
        xml_safe(second * 50)[:32_767],
    ]
    content = official_docx(
        title=first,
        number=second,
        recipient=first,
        paragraphs=[second],
        issuer=second,
        date=dt.date(2024, 1, 2),
    )
    assert_valid_office_file(content)


def test_form_fields_and_query_parameters_arrive_without_what_xml_forbids():
    seen = {}

    def view(request):
        seen.update(get=request.GET.dict(), post=request.POST.dict(), lists=request.POST.getlist("tag"))

    middleware = TextInputMiddleware(view)
    request = RequestFactory().post(
        "/?q=东门\x01%00", {"reason": "进度\x0b滞后", "tag": ["a\x08", "b"], "title": "\x08", "nul": "a\x00"}
    )
    middleware(request)
    posted = {"reason": "进度滞后", "tag": "b", "title": "", "nul": "a\x00"}  # the form refuses NUL by name
    assert seen == {"get": {"q": "东门"}, "post": posted, "lists": ["a", "b"]}
    plain = RequestFactory().post("/", {"reason": "进度滞后"})
    post = plain.POST
    middleware(plain)
    assert plain.POST is post and isinstance(post, QueryDict)


def test_no_forbidden_character_survives_in_the_pattern():
    assert all(XML_FORBIDDEN.fullmatch(ch) for ch in FORBIDDEN)
    assert not any(XML_FORBIDDEN.fullmatch(ch) for ch in "\t\n\r 甲\x7f\x85\ufffd")


@pytest.mark.parametrize("surrogate", ["\ud800", "\udbff\udc00"])
def test_lone_surrogates_go_but_a_character_outside_the_basic_plane_stays(surrogate):
    assert xml_safe(f"a{surrogate}b") == "ab"
    assert xml_safe("a😀b") == "a😀b"
