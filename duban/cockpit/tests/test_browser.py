"""The cockpit in Chromium, in Chinese: the district leader opens it, clicks a red cell of the heat
table and lands on the item list filtered to exactly those items; the wall screen draws its chart;
the cockpit holds on a phone."""

import pytest
from django.urls import reverse

from duban.cockpit.tests.conftest import build_work
from duban.conftest import sign_in
from duban.core.testing import phone_layout_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_red_cell_opens_the_list_of_its_items(page, live_server, personas, make_item):
    build_work(personas, make_item)
    sign_in(page, live_server, personas.district_leader)
    page.goto(live_server.url + reverse("cockpit:home"))
    assert page.locator("h1").inner_text().startswith("驾驶舱")
    page.wait_for_selector("#chart-lights + .chart canvas, .chart[data-chart=chart-lights] canvas")
    red = page.locator("#heat tbody tr").first.locator("td.heat-1 a")
    assert red.inner_text() == "3"  # 东门街道: two red items of its own and one of its community
    red.click()
    page.wait_for_url("**/ledger/?**")
    rows = page.locator("#item-table tbody tr")
    assert rows.count() == 3
    assert "另按以下条件筛选" not in page.content()  # a unit, a state and a light: the list's own filters
    assert page.locator("select[name=light]").input_value() == "red"
    numbers = {rows.nth(i).locator("td").first.inner_text() for i in range(3)}
    assert len(numbers) == 3


def test_the_wall_screen_and_the_phone(page, live_server, personas, make_item):
    build_work(personas, make_item)
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("cockpit:screen"))
    page.wait_for_selector(".chart[data-chart=chart-lights] canvas")
    assert page.locator("body.screen").count() == 1 and page.locator("#heat a").count() == 0
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("cockpit:home"))
    assert phone_layout_problems(page) == []
