"""The platform administrator keeps cars, drivers, quotas, tariffs and roles; nobody else can."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.fleet.models import FleetRole, Quota, Vehicle

pytestmark = pytest.mark.django_db


def test_the_administrator_adds_a_car_and_a_quota_with_their_history(client, personas, fleet):
    client.force_login(fleet.admin)
    assert "平台设置" in client.get(reverse("fleet:settings")).content.decode()
    fields = {"plate": "粤B·D9900", "pool": "leased", "vehicle_type": "mpv", "model_name": "别克GL8", "seats": 7,
              "holder": fleet.affairs.pk, "lessor": "鹏运租赁", "odometer_km": 100}  # fmt: skip
    assert client.post(reverse("fleet:setting_new", args=["car"]), fields).status_code == 302
    car = Vehicle.objects.get(plate="粤B·D9900")
    assert car.history.get().history_change_reason == "fleet.vehicle.saved"
    duplicate = client.post(reverse("fleet:setting_new", args=["car"]), fields)
    assert duplicate.status_code == 400 and Vehicle.objects.filter(plate="粤B·D9900").count() == 1

    client.post(reverse("fleet:setting_new", args=["quota"]), {"unit": personas.unit_a.pk, "trips_per_month": 9,
                                                               "alert_percent": 80})  # fmt: skip
    assert Quota.objects.get(unit=personas.unit_a).trips_per_month == 9


def test_nobody_else_keeps_the_platform(client, personas, fleet):
    role = FleetRole.objects.get(role="dispatcher")
    for user in (fleet.dispatcher, personas.unit_a_head, personas.unit_b_staff):
        client.force_login(user)
        assert client.get(reverse("fleet:settings")).status_code == 403
        assert client.post(reverse("fleet:role_remove", args=[role.pk])).status_code == 403
    assert FleetRole.objects.filter(pk=role.pk).exists()
    client.force_login(fleet.admin)
    client.post(reverse("fleet:role_remove", args=[role.pk]))
    assert not FleetRole.objects.filter(pk=role.pk).exists()
    assert client.get(reverse("fleet:setting_new", args=["nothing"])).status_code == 404
