"""Registering an item in Chromium with the pickers: the lead unit from the organisation tree by
typing and the keyboard, co-units as chips, the handler searched by name; and the same form
without JavaScript, as plain selects."""

import datetime as dt

import pytest
from django.urls import reverse

from duban.conftest import build_personas, pick, sign_in
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Ledger
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    personas = build_personas()
    ledger = Ledger.objects.create(
        name="2030年区级重点改革任务台账",
        year=2030,
        kind=LedgerKind.REFORM,
        owner_unit=personas.reform_office,
        number_prefix="罗改",
    )
    handler = org_services.person_create(actor=None, name="黄晓明", mobile="13911112222")
    org_services.position_assign(
        actor=None, person=handler, unit=personas.unit_a_community, role=PositionRole.STAFF, title="网格员"
    )
    return personas, ledger, handler


def ledger_deadline():
    return dt.date(2030, 6, 30)


def _fill_basics(page, ledger):
    page.select_option("select[name=ledger]", str(ledger.pk))
    page.fill("input[name=title]", "城东社区加装电梯")
    page.fill("input[name=deadline]", "2030-06-30")


def test_pick_the_lead_unit_co_units_and_handler_with_the_keyboard(page, live_server):
    personas, ledger, handler = _world()
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("ledger:item_new"))
    _fill_basics(page, ledger)

    # The lead unit: the label points at the box; typing part of a name filters the tree, which
    # keeps the street above the community it found.
    page.click("label[for=id_lead_unit]")
    lead = page.locator("#id_lead_unit")
    assert lead.evaluate("el => el === document.activeElement")
    assert lead.get_attribute("role") == "combobox"
    assert lead.get_attribute("aria-required") == "true"
    page.keyboard.type("城东")
    options = page.locator("#id_lead_unit-list [role=option]:visible")
    assert options.all_inner_texts() == ["东门街道", "城东社区"]
    assert page.locator("#id_lead_unit-list [role=option]:visible.picker-context").inner_text() == "东门街道"
    assert page.locator("#id_lead_unit-list .picker-group:visible").all_inner_texts() == ["街道"]
    page.keyboard.press("Enter")
    assert lead.input_value() == "城东社区"
    assert page.locator("#id_lead_unit-list").is_hidden()
    assert page.locator("select[name=lead_unit]").input_value() == str(personas.unit_a_community.pk)

    # Co-units: chips added from the list, one removed again.
    co = page.locator("#id_co_units")
    co.click()
    page.keyboard.type("桂园")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.type("改革办")
    page.keyboard.press("Enter")
    page.keyboard.type("纪委")
    page.keyboard.press("Enter")
    chips = page.locator(".picker-chips li")
    assert chips.all_text_contents() == ["桂园街道×", "区委改革办×", "区纪委监委×"]
    page.click("button[aria-label$='区委改革办']")
    assert chips.all_text_contents() == ["桂园街道×", "区纪委监委×"]
    page.keyboard.press("Backspace")
    assert chips.all_text_contents() == ["桂园街道×"]

    # The handler, searched by name on the server; the result names the post, never the phone.
    page.locator("#id_handler").click()
    page.keyboard.type("晓明")
    result = page.locator("#id_handler-list [role=option]", has_text="黄晓明")
    result.wait_for()
    assert page.locator("#id_handler").input_value() == "晓明"  # the answer keeps what was typed
    assert "城东社区 网格员" in result.inner_text()
    assert "13911112222" not in page.locator("#id_handler-list").inner_html()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_handler").input_value() == "黄晓明"

    page.click("button[type=submit].btn-primary")
    page.wait_for_url("**/ledger/items/*/")

    item = Item.objects.get(title="城东社区加装电梯")
    assert item.lead_unit == personas.unit_a_community
    assert item.handler == handler
    assert [c.unit for c in item.co_units.all()] == [personas.unit_b]


def test_escape_and_leaving_the_box_keep_the_choice(page, live_server):
    personas, ledger, _handler = _world()
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("ledger:item_new"))
    lead = page.locator("#id_lead_unit")
    lead.click()
    page.keyboard.type("桂园")
    page.keyboard.press("Enter")

    lead.click()
    page.keyboard.type("城东")
    page.keyboard.press("Escape")
    assert lead.input_value() == "桂园街道"
    page.keyboard.type("区委")
    page.keyboard.press("Tab")

    assert lead.input_value() == "桂园街道"
    assert page.locator("select[name=lead_unit]").input_value() == str(personas.unit_b.pk)


def test_without_javascript_the_pickers_are_plain_selects(browser, live_server):
    personas, ledger, handler = _world()
    context = browser.new_context(java_script_enabled=False, locale="en-US", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        sign_in(page, live_server, personas.office_admin)
        page.goto(live_server.url + reverse("ledger:item_new"))
        assert page.locator(".picker").count() == 0
        _fill_basics(page, ledger)
        page.select_option("select[name=lead_unit]", str(personas.unit_a_community.pk))
        page.select_option("select[name=co_units]", [str(personas.unit_b.pk), str(personas.discipline.pk)])
        page.select_option("select[name=handler]", str(handler.pk))

        page.click("button[type=submit].btn-primary")
        page.wait_for_url("**/ledger/items/*/")
    finally:
        context.close()

    item = Item.objects.get(title="城东社区加装电梯")
    assert item.lead_unit == personas.unit_a_community
    assert item.handler == handler
    assert {c.unit for c in item.co_units.all()} == {personas.unit_b, personas.discipline}


def test_the_lists_unit_filter_is_the_same_picker(page, live_server):
    from duban.ledger.services import item_create

    personas, ledger, _handler = _world()
    for title, unit in [("东门的事", personas.unit_a), ("桂园的事", personas.unit_b)]:
        item_create(actor=None, ledger=ledger, title=title, lead_unit=unit, deadline=ledger_deadline())
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("ledger:item_list"))
    assert page.locator("#item-table >> text=东门的事").count() == 1

    pick(page, "unit", "桂园")

    page.wait_for_selector("#item-table >> text=东门的事", state="detached")
    assert page.locator("#item-table >> text=桂园的事").count() == 1
    assert f"unit={personas.unit_b.pk}" in page.url


def test_lead_leaders_are_chips_searched_by_name(page, live_server):
    from duban.reforms.models import Reform

    personas, _ledger, _handler = _world()
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("reforms:reform_new"))
    page.fill("input[name=year]", "2030")
    page.select_option("select[name=level]", "micro")
    page.select_option("select[name=group]", "public_services")
    page.fill("input[name=title]", "社区长者饭堂全覆盖")
    page.fill("textarea[name=goals]", "每个社区建成长者饭堂")
    page.fill("input[name=deadline]", "2030-06-30")
    pick(page, "lead_unit", "东门街道")

    pick(page, "lead_leaders", "区领导")

    assert page.locator(".picker-chips li").all_text_contents() == ["测试区领导×"]
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector("h1:has-text('社区长者饭堂全覆盖')")
    assert list(Reform.objects.get().lead_leaders.all()) == [personas.district_leader.person]
