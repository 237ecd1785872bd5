"""The ledger list in Chromium: an htmx filter, then 导出Excel downloads what the screen shows."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from duban.conftest import sign_in
from duban.core.testing import xlsx_data_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROWS = "#item-table tbody tr"


def _workbook(download):
    with open(download.value.path(), "rb") as handle:
        return load_workbook(handle)


def _shown_numbers(page) -> list[str]:
    return page.locator(f"{ROWS} td:first-child a").all_inner_texts()


def test_the_export_after_an_htmx_filter_holds_exactly_the_filtered_items(page, live_server, personas, make_item):
    lamps = [make_item(title=f"东门路灯修复{n}") for n in range(3)]
    for n in range(4):
        make_item(title=f"桂园绿化补植{n}", lead_unit=personas.unit_b)
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("ledger:item_list"))
    assert len(_shown_numbers(page)) == 7

    page.fill("input[name=q]", "路灯")
    expect(page.locator(ROWS)).to_have_count(3)
    assert "q=" in page.url  # the filter is in the address too: a reload or a shared link shows the same list
    shown = _shown_numbers(page)
    assert sorted(shown) == sorted(item.number for item in lamps)

    with page.expect_download() as download:
        page.click("#item-export")
    sheet = _workbook(download).active
    assert [row[0] for row in xlsx_data_rows(sheet)] == shown

    # A second filter without reloading: the link follows again.
    page.fill("input[name=q]", "")
    expect(page.locator(ROWS)).to_have_count(7)
    with page.expect_download() as download:
        page.click("#item-export")
    assert len(xlsx_data_rows(_workbook(download).active)) == 7
