"""The car platform's JSON API: the same services and access rules as the pages."""

from __future__ import annotations

import pytest

from duban.fleet.models import Booking
from duban.fleet.tests.conftest import approved, tomorrow

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_unit_requests_and_the_dispatcher_dispatches_through_the_api(client, personas, fleet):
    client.force_login(personas.unit_a_staff)
    payload = {
        "unit_id": personas.unit_a.pk, "starts_at": tomorrow(9).isoformat(), "ends_at": tomorrow(11).isoformat(),
        "origin": "东门街道", "destination": "区政府", "purpose": "参加会议", "passengers": 2, "vehicle_type": "sedan",
        "contact_name": "王五", "contact_phone": "13900003333", "official_use": False,
    }  # fmt: skip
    refused = client.post("/api/fleet/bookings", payload, content_type=JSON)
    assert refused.status_code == 400 and not Booking.objects.exists()
    made = client.post("/api/fleet/bookings", {**payload, "official_use": True}, content_type=JSON)
    assert made.status_code == 201 and made.json()["state"] == "pending"
    booking = Booking.objects.get()
    assert client.post(f"/api/fleet/bookings/{booking.pk}/steps", {"code": "approve"},
                       content_type=JSON).status_code == 403  # fmt: skip

    client.force_login(personas.unit_a_head)
    assert client.post(f"/api/fleet/bookings/{booking.pk}/steps", {"code": "approve"},
                       content_type=JSON).json()["state"] == "approved"  # fmt: skip
    client.force_login(fleet.dispatcher)
    free = client.get(f"/api/fleet/bookings/{booking.pk}/free").json()
    assert fleet.sedan.pk in [v["id"] for v in free["vehicles"]] and len(free["drivers"]) == 2
    step = client.post(f"/api/fleet/bookings/{booking.pk}/steps",
                       {"code": "dispatch", "vehicle_id": fleet.sedan.pk, "driver_id": fleet.driver.pk},
                       content_type=JSON)  # fmt: skip
    assert step.status_code == 200 and step.json()["vehicle_id"] == fleet.sedan.pk
    events = client.get(f"/api/fleet/bookings/{booking.pk}/events").json()
    assert [e["code"] for e in events] == ["fleet.booking.requested", "fleet.booking.approved",
                                           "fleet.booking.dispatched"]  # fmt: skip


def test_a_double_booking_through_the_api_is_a_clear_refusal(client, personas, fleet):
    first, second = approved(personas, fleet, start=9, end=12), approved(personas, fleet, start=10, end=11)
    client.force_login(fleet.dispatcher)
    body = {"code": "dispatch", "vehicle_id": fleet.sedan.pk, "driver_id": fleet.driver.pk}
    assert client.post(f"/api/fleet/bookings/{first.pk}/steps", body, content_type=JSON).status_code == 200
    clash = client.post(f"/api/fleet/bookings/{second.pk}/steps", body, content_type=JSON)
    assert clash.status_code == 400 and first.number in clash.json()["detail"]
    second.refresh_from_db()
    assert second.state == "approved" and second.vehicle is None


def test_others_see_nothing_of_a_units_bookings(client, personas, fleet):
    booking = approved(personas, fleet)
    for user, status in [(personas.unit_b_staff, 404), (fleet.other_driver_user, 404)]:
        client.force_login(user)
        assert client.get(f"/api/fleet/bookings/{booking.pk}").status_code == status
    client.force_login(personas.unit_b_staff)
    assert client.get("/api/fleet/bookings").json()["count"] == 0
    client.force_login(personas.resident)
    assert client.get("/api/fleet/bookings").status_code == 403
