import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from duban.core.exports import (
    AMOUNT_FORMAT,
    COUNT_FORMAT,
    DATE_FORMAT,
    DATETIME_FORMAT,
    WAN_YUAN,
    amount,
    count,
    display_width,
    xlsx_response,
    xlsx_sheets_response,
)
from duban.core.testing import xlsx_data_rows, xlsx_workbook

UTC = dt.UTC
LONG_UNIT = "深圳市罗湖区城市管理和综合执法局"


def _sheet(headers, rows):
    return xlsx_workbook(xlsx_response("x.xlsx", "表", headers, rows)).active


def test_cjk_characters_count_double():
    assert display_width("abc") == 3
    assert display_width("东门街道") == 8
    assert display_width("（元）") == 6


def test_the_header_is_bold_and_stays_in_view_and_on_every_printed_page():
    sheet = _sheet(["编号", "事项名称"], [("A-1", "任务")])

    assert [cell.font.b for cell in sheet[1]] == [True, True]
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"


def test_columns_are_as_wide_as_their_content_with_chinese_counted_double():
    sheet = _sheet(["编号", "单位", "备注"], [("A-1", LONG_UNIT, "ok"), ("A-22", "东门街道", "")])

    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABC"}
    assert widths["B"] >= display_width(LONG_UNIT) > widths["A"]  # 16 Chinese characters: 32 wide
    assert widths["B"] < display_width(LONG_UNIT) + 6
    assert widths["A"] < 12 and widths["C"] < 12


def test_a_very_long_text_does_not_make_a_column_wider_than_a_screen():
    sheet = _sheet(["内容"], [("很长的内容" * 40,)])
    assert sheet.column_dimensions["A"].width <= 60


def test_dates_and_times_are_excel_dates_in_beijing_time_without_a_zone():
    aware = dt.datetime(2024, 6, 30, 17, 30, tzinfo=UTC)  # 01:30 the next day in Shanghai
    sheet = _sheet(["期限", "上报时间"], [(dt.date(2024, 6, 28), aware)])

    deadline, reported = sheet["A2"], sheet["B2"]
    assert deadline.is_date and deadline.value.date() == dt.date(2024, 6, 28)
    assert deadline.number_format == DATE_FORMAT
    assert reported.is_date and reported.number_format == DATETIME_FORMAT
    assert reported.value == dt.datetime(2024, 7, 1, 1, 30)
    assert reported.value.tzinfo is None
    beijing = aware.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert reported.value == beijing


def test_amounts_are_numbers_with_separators_their_unit_in_the_header_and_a_total_row():
    headers = ["单位", count("问题数"), amount("涉及金额"), amount("整改金额", WAN_YUAN)]
    rows = [("东门街道", 2, Decimal("9440000.00"), Decimal("1250000")), ("桂园街道", 1, Decimal("0.50"), 30000)]
    sheet = _sheet(headers, rows)

    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("单位", "问题数", "涉及金额（元）", "整改金额（万元）")
    assert values[1] == ("东门街道", 2, 9440000, 125)
    assert values[-1] == ("合计", 3, 9440000.5, 128)
    assert len(values) == 4
    assert sheet["C2"].number_format == AMOUNT_FORMAT and sheet["D3"].number_format == AMOUNT_FORMAT
    assert sheet["B2"].number_format == COUNT_FORMAT
    assert all(cell.font.b for cell in sheet[4])
    assert sheet.column_dimensions["C"].width >= len("9,440,000.50")
    assert xlsx_data_rows(sheet) == values[1:3]


def test_a_sheet_without_amounts_has_no_total_row():
    sheet = _sheet(["编号", "进度(%)"], [("A-1", 50), ("A-2", 70)])
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["编号", "A-1", "A-2"]


def test_an_empty_sheet_still_totals_to_zero():
    sheet = _sheet(["单位", amount("涉及金额")], [])
    assert list(sheet.iter_rows(values_only=True)) == [("单位", "涉及金额（元）"), ("合计", 0)]


def test_rows_stream_past_the_width_sample_and_every_sheet_is_formatted():
    many = ((f"A-{n}", dt.date(2024, 1, 1) + dt.timedelta(days=n % 300)) for n in range(1200))
    book = xlsx_workbook(xlsx_sheets_response("x.xlsx", [("一", ["编号", "期限"], many), ("二", ["名称"], [("x",)])]))

    first, second = book["一"], book["二"]
    assert first.max_row == 1201
    assert first["B1200"].is_date and first["B1200"].number_format == DATE_FORMAT
    assert second.freeze_panes == "A2" and second["A1"].font.b


def test_an_unknown_money_unit_is_refused():
    with pytest.raises(ValueError):
        amount("金额", "美元")
