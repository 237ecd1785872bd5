"""A car from request to settlement in Chromium, in Chinese: a unit requests, its approver approves,
the dispatcher picks a free car and driver, the driver confirms, departs and comes back on the
phone page, and after the month the platform settles the unit's trips. The pages hold on a phone."""

import datetime as dt

import pytest
from django.urls import reverse

from duban.conftest import build_personas, pick, sign_in
from duban.core.testing import desktop_layout_problems, phone_layout_problems
from duban.fleet.models import Booking, Settlement
from duban.fleet.tests.conftest import build_fleet, soon

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_car_from_request_to_settlement(page, live_server):
    personas = build_personas()
    fleet = build_fleet(personas)

    sign_in(page, live_server, personas.unit_a_staff)
    page.goto(live_server.url + reverse("fleet:home"))
    page.click("text=申请用车")
    page.fill("input[name=starts_at]", soon(40).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=ends_at]", soon(160).strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=emergency]", "客商临时到访，陪同考察")
    page.fill("input[name=origin]", "东门街道办事处")
    page.fill("input[name=destination]", "罗湖区投资推广和企业服务中心")
    page.fill("input[name=purpose]", "陪同客商考察项目")
    page.fill("input[name=passengers]", "2")
    page.select_option("select[name=vehicle_type]", "sedan")
    page.fill("input[name=contact_name]", "李四")
    page.fill("input[name=contact_phone]", "13900002222")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=公务用车只用于公务")  # the attestation was not ticked: nothing saved
    assert not Booking.objects.exists()
    page.check("input[name=official_use]")
    page.click("main button[type=submit]")
    page.wait_for_selector(".badge:has-text('待单位审批')")
    booking = Booking.objects.get()

    sign_in(page, live_server, personas.unit_a_head)
    page.goto(live_server.url + reverse("fleet:home"))
    page.click(f"text={booking.number}")
    page.click("button:has-text('批准')")
    page.wait_for_selector(".badge:has-text('待派车')")

    sign_in(page, live_server, fleet.dispatcher)
    page.goto(live_server.url + reverse("fleet:board"))
    page.click(f"text={booking.number}")
    page.select_option("select[name=dispatch-vehicle]", str(fleet.sedan.pk))
    page.select_option("select[name=dispatch-driver]", str(fleet.driver.pk))
    page.click("form[action$='/dispatch/'] button[type=submit]")
    page.wait_for_selector(".badge:has-text('已派车')")

    sign_in(page, live_server, fleet.driver_user)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("fleet:driver"))
    assert not phone_layout_problems(page)
    page.click("button:has-text('接单')")
    page.wait_for_selector("button:has-text('出车')")
    page.fill("input[name=odometer_out]", "1000")
    page.click("button:has-text('出车')")
    page.wait_for_selector("button:has-text('回车')")
    page.fill("input[name=odometer_in]", "1032")
    page.click("button:has-text('回车')")
    page.wait_for_selector("text=暂无待执行的行程")
    booking.refresh_from_db()
    assert (booking.state, booking.km) == ("completed", 32)

    # a month passes: the trip now lies in a month that is over
    shift = dt.timedelta(days=45)
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - shift, ends_at=booking.ends_at - shift,
        departed_at=booking.departed_at - shift, returned_at=booking.returned_at - shift,
    )  # fmt: skip
    booking.refresh_from_db()
    sign_in(page, live_server, fleet.admin)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("fleet:settlement_list"))
    page.click("summary:has-text('结算单位月度用车')")
    pick(page, "unit", "东门街道")
    page.fill("input[name=month]", booking.returned_at.astimezone().strftime("%Y-%m"))
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("text=已结算")
    settlement = Settlement.objects.get()
    assert (settlement.trips, settlement.km) == (1, 32)
    booking.refresh_from_db()
    assert booking.state == "settled"
    page.goto(live_server.url + reverse("fleet:utilisation"))
    assert not desktop_layout_problems(page)
