"""The platform's pages as each persona uses them, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.fleet.models import Booking, Vehicle
from duban.fleet.tests.conftest import approved, dispatched, request_car, soon, tomorrow

pytestmark = pytest.mark.django_db


def _post_step(client, booking, code, data=None):
    return client.post(reverse("fleet:booking_step", args=[booking.pk, code]), data or {})


def test_a_unit_requests_a_car_and_sees_it_move_to_the_driver_and_back(client, personas, fleet):
    client.force_login(personas.unit_a_staff)
    assert "申请用车" in client.get(reverse("fleet:home")).content.decode()
    fields = {"unit": personas.unit_a.pk, "starts_at": soon(40).strftime("%Y-%m-%dT%H:%M"),
              "ends_at": soon(160).strftime("%Y-%m-%dT%H:%M"), "emergency": "客商临时到访", "origin": "东门街道办事处",
              "destination": "罗湖区投资推广和企业服务中心", "purpose": "陪同客商考察项目", "passengers": 3,
              "vehicle_type": "sedan", "contact_name": "李四", "contact_phone": "13900002222"}  # fmt: skip
    refused = client.post(reverse("fleet:booking_new"), fields)
    assert refused.status_code == 400 and not Booking.objects.exists()
    assert "公务" in refused.content.decode()  # the private-use attestation, in Chinese

    response = client.post(reverse("fleet:booking_new"), {**fields, "official_use": "on"})
    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == reverse("fleet:booking_detail", args=[booking.pk])

    client.force_login(personas.unit_a_head)
    page = client.get(reverse("fleet:home")).content.decode()
    assert booking.number in page and "待您审批" in page
    _post_step(client, booking, "approve")

    client.force_login(fleet.dispatcher)
    board = client.get(reverse("fleet:board")).content.decode()
    assert booking.number in board and "粤B·A1001" in board
    _post_step(client, booking, "dispatch", {"dispatch-vehicle": fleet.sedan.pk, "dispatch-driver": fleet.driver.pk})
    booking.refresh_from_db()
    assert (booking.state, booking.vehicle, booking.driver) == ("dispatched", fleet.sedan, fleet.driver)

    client.force_login(personas.unit_a_staff)
    page = client.get(reverse("fleet:booking_detail", args=[booking.pk])).content.decode()
    assert "粤B·A1001" in page and fleet.driver.person.name in page and fleet.driver.person.mobile in page

    client.force_login(fleet.driver_user)
    trips = client.get(reverse("fleet:driver")).content.decode()
    assert booking.number in trips or "粤B·A1001" in trips
    assert client.post(reverse("fleet:booking_step", args=[booking.pk, "take"]), {"next": "driver"}).url == reverse(
        "fleet:driver"
    )
    _post_step(client, booking, "depart", {"odometer_out": 1000, "next": "driver"})
    back = _post_step(client, booking, "return", {"odometer_in": 950, "tolls": "0", "parking": "0"})
    assert back.status_code == 400 and "1000" in back.content.decode()
    receipt = SimpleUploadedFile("停车票.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    _post_step(client, booking, "return", {"odometer_in": 1032, "tolls": "0", "parking": "10", "receipts": receipt})
    booking.refresh_from_db()
    assert (booking.state, booking.km) == ("completed", 32)

    client.force_login(personas.unit_a_staff)
    client.post(reverse("fleet:booking_rate", args=[booking.pk]), {"rating": 5, "comment": "服务周到"})
    booking.refresh_from_db()
    assert booking.rating == 5
    receipt_url = reverse("fleet:receipt", args=[booking.receipts.get().pk])
    assert client.get(receipt_url).status_code == 200
    client.force_login(personas.unit_b_staff)
    assert client.get(receipt_url).status_code == 404


def test_each_persona_reaches_only_its_pages(client, personas, fleet):
    booking = dispatched(personas, fleet)
    detail = reverse("fleet:booking_detail", args=[booking.pk])
    expected = {
        personas.unit_a_staff: {detail: 200, reverse("fleet:board"): 403, reverse("fleet:driver"): 404},
        personas.unit_b_staff: {detail: 404, reverse("fleet:home"): 200},
        fleet.driver_user: {detail: 200, reverse("fleet:driver"): 200, reverse("fleet:board"): 403},
        fleet.other_driver_user: {detail: 404},
        fleet.dispatcher: {detail: 200, reverse("fleet:board"): 200},
        personas.resident: {reverse("fleet:home"): 403, detail: 404},
        personas.expert: {reverse("fleet:home"): 403},
    }
    for user, pages in expected.items():
        client.force_login(user)
        for url, status in pages.items():
            assert client.get(url).status_code == status, (user, url)
    client.logout()
    assert client.get(detail).status_code == 302


def test_a_step_the_user_may_not_take_changes_nothing(client, personas, fleet):
    booking = approved(personas, fleet)
    client.force_login(personas.unit_a_staff)
    response = _post_step(client, booking, "dispatch", {"dispatch-vehicle": fleet.sedan.pk,
                                                         "dispatch-driver": fleet.driver.pk})  # fmt: skip
    booking.refresh_from_db()
    assert response.status_code == 403 and booking.state == "approved" and booking.events.count() == 2


def test_the_dispatcher_is_offered_only_free_cars_and_sees_a_car_still_out(client, personas, fleet):
    first = dispatched(personas, fleet, start=9, end=12)
    second = approved(personas, fleet, start=10, end=11)
    client.force_login(fleet.dispatcher)
    page = client.get(reverse("fleet:booking_detail", args=[second.pk])).content.decode()
    form = page[page.index('name="dispatch-vehicle"') :]
    form = form[: form.index("</select>")]
    assert "粤B·A1002" in form and "粤B·A1001" not in form
    assert first.number not in page


def test_a_car_sent_for_maintenance_says_why_and_leaves_the_week(client, personas, fleet):
    client.force_login(fleet.admin)
    url = reverse("fleet:vehicle_step", args=[fleet.van.pk, "maintain"])
    client.post(url, {"reason": "更换轮胎"})
    fleet.van.refresh_from_db()
    assert (fleet.van.status, fleet.van.status_note) == ("maintenance", "更换轮胎")
    assert "更换轮胎" in client.get(reverse("fleet:vehicle_detail", args=[fleet.van.pk])).content.decode()
    client.force_login(fleet.dispatcher)
    client.post(reverse("fleet:vehicle_step", args=[fleet.van.pk, "restore"]))
    assert Vehicle.objects.get(pk=fleet.van.pk).status == "maintenance"


def test_the_week_shows_each_cars_trips(client, personas, fleet):
    booking = dispatched(personas, fleet, start=9, end=12)
    client.force_login(personas.unit_a_staff)
    page = client.get(reverse("fleet:vehicle_list"), {"week": tomorrow(9).date().isoformat()}).content.decode()
    assert "09:00–12:00" in page and reverse("fleet:booking_detail", args=[booking.pk]) in page
    request_car(personas)  # not dispatched: no car, not on the week


def test_utilisation_and_the_monthly_settlement_come_from_the_trips(client, personas, fleet):
    from duban.fleet import services
    from duban.fleet.models import Settlement

    booking = dispatched(personas, fleet)
    booking = services.booking_step(actor=fleet.driver_user, booking=booking, code="take")
    booking = services.booking_step(actor=fleet.driver_user, booking=booking, code="depart", odometer_out=1000,
                                    at=tomorrow(9))  # fmt: skip
    services.booking_step(actor=fleet.driver_user, booking=booking, code="return", odometer_in=1025, at=tomorrow(11))
    client.force_login(personas.unit_a_staff)
    assert client.get(reverse("fleet:utilisation")).status_code == 403  # every unit's figures: the platform's
    client.force_login(fleet.dispatcher)
    month = tomorrow(9).strftime("%Y-%m")
    page = client.get(reverse("fleet:utilisation"), {"from": month, "to": month})
    assert page.context["figures"].trips == 1 and page.context["figures"].platform_cars == 3
    assert "3辆平台车辆，1次出车" in page.content.decode()
    workbook = client.get(reverse("fleet:utilisation"), {"from": month, "to": month, "format": "xlsx"})
    assert workbook.status_code == 200 and workbook["Content-Type"].endswith("sheet")

    client.force_login(fleet.admin)
    later = services.month_of(tomorrow(9))
    settlement = services.settlement_make(
        actor=fleet.admin, unit=personas.unit_a, month=later, at=tomorrow(9) + dt.timedelta(days=40)
    )
    download = client.get(reverse("fleet:settlement_download", args=[settlement.pk]))
    assert download.status_code == 200
    client.force_login(personas.unit_b_staff)
    assert client.get(reverse("fleet:settlement_download", args=[settlement.pk])).status_code == 404
    assert Settlement.objects.count() == 1


def test_the_approver_is_warned_at_the_quotas_alert_share(client, personas, fleet):
    from duban.fleet.models import Quota

    Quota.objects.create(unit=personas.unit_a, trips_per_month=4, alert_percent=50)
    client.force_login(personas.unit_a_head)
    approved(personas, fleet)
    assert "已达到额度预警比例" not in client.get(reverse("fleet:home")).content.decode()
    approved(personas, fleet, start=14, end=15)
    page = client.get(reverse("fleet:home")).content.decode()
    assert "本月已用2次，额度4次" in page and "已达到额度预警比例" in page


def test_one_day_of_every_car(client, personas, fleet):
    booking = dispatched(personas, fleet, start=14, end=16)
    client.force_login(fleet.dispatcher)
    day = tomorrow(9).date()
    page = client.get(reverse("fleet:vehicle_list"), {"day": day.isoformat()}).content.decode()
    assert "14:00–16:00" in page and reverse("fleet:booking_detail", args=[booking.pk]) in page
    other = client.get(reverse("fleet:vehicle_list"), {"day": (day + dt.timedelta(days=1)).isoformat()})
    assert "14:00–16:00" not in other.content.decode()
    assert client.get(reverse("fleet:vehicle_list"), {"day": "2026-13-45"}).status_code == 200  # the week instead


def test_another_units_trips_on_the_week_are_only_taken_time(client, personas, fleet):
    booking = dispatched(personas, fleet, start=9, end=12)
    week = {"week": tomorrow(9).date().isoformat()}
    client.force_login(personas.unit_b_staff)
    page = client.get(reverse("fleet:vehicle_list"), week).content.decode()
    assert "09:00–12:00 已占用" in page and reverse("fleet:booking_detail", args=[booking.pk]) not in page
    assert "东门街道" not in page[page.index("<table") :]
    client.force_login(personas.unit_a_staff)
    assert (
        reverse("fleet:booking_detail", args=[booking.pk])
        in client.get(reverse("fleet:vehicle_list"), week).content.decode()
    )


def test_a_refused_dispatch_shows_its_error_on_its_own_form_only(client, personas, fleet):
    booking = approved(personas, fleet, passengers=6)
    Vehicle.objects.filter(pk=fleet.van.pk).update(vehicle_type="minibus", seats=14)  # beyond a C1 licence
    client.force_login(fleet.dispatcher)
    response = _post_step(client, booking, "dispatch", {"dispatch-vehicle": fleet.van.pk,
                                                         "dispatch-driver": fleet.other_driver.pk})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400 and "C1驾驶证不能驾驶中型客车" in page
    assert page.count("此项为必填项") == 0  # the refuse and cancel forms were not sent


def test_the_driver_cannot_set_off_a_day_early(client, personas, fleet):
    booking = dispatched(personas, fleet)
    client.force_login(fleet.driver_user)
    _post_step(client, booking, "take", {"next": "driver"})
    page = client.get(reverse("fleet:driver")).content.decode()
    assert "用车开始前两小时可出车" in page and 'name="odometer_out"' not in page
    _post_step(client, booking, "depart", {"odometer_out": 1000})
    booking.refresh_from_db()
    assert booking.state == "accepted" and booking.departed_at is None
