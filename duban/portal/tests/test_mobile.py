"""Unit staff, grid inspectors and residents work from phones. At 390×844 the pages they use most fit
the screen: no sideways scrolling, a header folded behind a menu button that opens by click and by
keyboard, buttons big enough to tap, the item's next step in reach. At 1366×900 the navigation stays
in view with no menu button."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.conftest import sign_in
from duban.core.testing import DESKTOP, MIN_TAP, PHONE, desktop_layout_problems, phone_layout_problems
from duban.core.workdays import on_day
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_create, item_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def items(personas):
    """Unit A's work: one item to sign for, one overdue, one waiting for the supervisor's review."""
    p = personas
    today = timezone.localdate()
    ledger = Ledger.objects.create(
        name=f"{today.year}年区级重点改革任务台账",
        year=today.year,
        kind=LedgerKind.REFORM,
        owner_unit=p.reform_office,
        number_prefix="罗改",
    )

    def assigned(title: str, *, days_ago: int, deadline_in: int) -> Item:
        at = on_day(today - dt.timedelta(days=days_ago))
        item = item_create(
            actor=p.office_admin,
            ledger=ledger,
            title=title,
            lead_unit=p.unit_a,
            deadline=today + dt.timedelta(days=deadline_in),
            at=at,
        )
        return item_transition(actor=p.office_admin, item=item, action="assign", at=at)

    to_sign = assigned("推进东门步行街综合整治，打造国际消费中心城市核心商圈示范街区", days_ago=2, deadline_in=60)
    late = assigned("城中村和老旧小区环境卫生整治（垃圾清运不及时、楼道堆物等）", days_ago=60, deadline_in=-20)
    item_transition(actor=p.unit_a_staff, item=late, action="acknowledge")
    to_review = assigned("湖贝片区城市更新项目安置房建设与回迁安置工作", days_ago=30, deadline_in=30)
    item_transition(actor=p.unit_a_staff, item=to_review, action="acknowledge")
    item_transition(actor=p.unit_a_staff, item=to_review, action="submit", reason="已全部完成，附验收材料")
    return {"to_sign": to_sign, "to_review": to_review}


def _phone_problems(page, live_server, *paths: str) -> dict[str, list[str]]:
    """Each page's layout problems on a phone (all pages are looked at before a test judges them)."""
    found = {}
    for path in paths:
        page.goto(live_server.url + path)
        found[path] = phone_layout_problems(page)
    return {path: problems for path, problems in found.items() if problems}


def _next_step(page):
    """The item page's primary action (the viewer's next step), checked to be in reach of a thumb."""
    step = page.locator(".actions-card .btn-primary").first
    step.scroll_into_view_if_needed()
    assert step.is_visible()
    box = step.bounding_box()
    assert box["height"] >= MIN_TAP and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    return step


def test_unit_staff_work_from_a_phone(page, live_server, personas, items):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, personas.unit_a_staff)
    item = items["to_sign"]
    item_page = reverse("ledger:item_detail", args=[item.pk])
    assert _phone_problems(page, live_server, reverse("ledger:inbox"), item_page, reverse("ledger:item_list")) == {}
    assert page.locator(f"tr:has-text('{items['to_sign'].number}')").is_visible()

    # The ledger list's rows are cards whose cells carry their column's name.
    cell = page.locator("#item-table tbody td[data-label]").first
    label = cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"牵头单位"' and cell.bounding_box()["width"] <= PHONE["width"]

    # The item page: its next step (签收) is the first thing under the title, and works by a tap.
    page.goto(live_server.url + item_page)
    step = _next_step(page)
    assert step.inner_text() == "签收"
    step.click()
    page.wait_for_selector(".item-head >> text=已签收")
    assert Item.objects.get(pk=item.pk).state == ItemState.ACKNOWLEDGED
    assert phone_layout_problems(page) == []


def test_a_supervisor_reviews_from_a_phone(page, live_server, personas, items):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, personas.supervisor)
    item_page = reverse("ledger:item_detail", args=[items["to_review"].pk])
    pages = (reverse("ledger:inbox"), reverse("ledger:item_list"), reverse("ledger:queue"), item_page)
    assert _phone_problems(page, live_server, *pages) == {}

    step = _next_step(page)
    assert step.inner_text() == "审核通过"
    step.click()
    opinion = page.locator("#reason-accept")
    assert opinion.is_visible() and opinion.bounding_box()["width"] >= PHONE["width"] * 0.8  # full width
    assert phone_layout_problems(page) == []


@pytest.mark.parametrize("persona", ["anonymous", "resident"])
def test_a_problem_is_reported_from_a_phone(page, live_server, personas, world, persona):
    page.set_viewport_size(PHONE)
    if persona == "resident":
        sign_in(page, live_server, personas.resident)
    assert _phone_problems(page, live_server, reverse("portal:problem_new")) == {}
    send = page.locator("#report-form button[type=submit]")
    send.scroll_into_view_if_needed()
    assert send.bounding_box()["height"] >= MIN_TAP
    assert page.locator("textarea[name=description]").bounding_box()["width"] >= PHONE["width"] * 0.8


@pytest.mark.parametrize("persona", ["unit_a_staff", "supervisor"])
def test_on_a_desktop_the_navigation_stays_in_view(page, live_server, personas, items, persona):
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, getattr(personas, persona))
    for path in (
        reverse("ledger:inbox"),
        reverse("ledger:item_list"),
        reverse("ledger:item_detail", args=[items["to_review"].pk]),
    ):
        page.goto(live_server.url + path)
        assert desktop_layout_problems(page) == [], path
    # One line of header; the ledger list is a table again, its headers shown.
    assert page.locator("header").bounding_box()["height"] < 80
    page.goto(live_server.url + reverse("ledger:item_list"))
    assert page.locator("#item-table thead th").nth(1).is_visible()
