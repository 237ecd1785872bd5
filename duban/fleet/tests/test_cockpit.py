"""Official cars on the cockpit: for each persona, every linked figure equals what its page shows
them, the waiting bookings equal the bookings list where the person may read it, and a leader in
charge never counts another street's bookings."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from duban.cockpit.access import scope_of
from duban.core.workdays import is_workday, on_day
from duban.fleet import services
from duban.fleet.cockpit import tiles
from duban.fleet.models import Vehicle

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 17)  # a Wednesday: the month's trips so far, and bookings still to come


def _working_hours() -> int:
    return 8 * sum(is_workday(TODAY.replace(day=day)) for day in range(1, TODAY.day + 1))


def _booking(personas, *, day: dt.date, hour: int, hours: int, b: bool = False, unit=None):
    """A request made the day before (unit B's when `b`), approved by the unit's approver."""
    start = on_day(day, hour)
    user = personas.unit_b_staff if b else personas.unit_a_staff
    booking = services.booking_request(
        actor=user, unit=personas.unit_b if b else unit or personas.unit_a, starts_at=start,
        ends_at=start + dt.timedelta(hours=hours), origin="街道办事处", destination="罗湖区人民政府",
        purpose="参加工作会议", passengers=2, vehicle_type="sedan", contact_name="联系人", contact_phone="13900001111",
        official_use=True, at=start - dt.timedelta(days=1),
    )  # fmt: skip
    approver = None if b else personas.unit_a_head  # the system for unit B, which has no approver here
    return services.booking_step(actor=approver, booking=booking, code="approve", at=start - dt.timedelta(hours=20))


def _trip(personas, fleet, *, vehicle, day: dt.date, hours: int, b: bool = False, unit=None):
    """A trip driven and back on `day`, from nine o'clock."""
    booking = _booking(personas, day=day, hour=9, hours=hours, b=b, unit=unit)
    driver, user = (fleet.driver, fleet.driver_user) if vehicle.vehicle_type == "mpv" or not b else (
        fleet.other_driver, fleet.other_driver_user)  # fmt: skip
    start = on_day(day, 9)
    booking = services.booking_step(actor=fleet.dispatcher, booking=booking, code="dispatch", vehicle=vehicle,
                                    driver=driver, at=start - dt.timedelta(hours=18))  # fmt: skip
    booking = services.booking_step(actor=user, booking=booking, code="take", at=start - dt.timedelta(hours=17))
    odometer = Vehicle.objects.get(pk=vehicle.pk).odometer_km
    booking = services.booking_step(actor=user, booking=booking, code="depart", odometer_out=odometer, at=start)
    return services.booking_step(actor=user, booking=booking, code="return", odometer_in=odometer + 30,
                                 at=start + dt.timedelta(hours=hours))  # fmt: skip


@pytest.fixture
def cars(personas, fleet):
    """This month: unit A's sedan trip (3 h), its community's van trip (5 h), unit B's sedan trip
    (2 h); last month a trip of unit A. Waiting: unit A two requests to approve and one to dispatch;
    unit B one to approve and two to dispatch."""
    with time_machine.travel(on_day(TODAY, 15), tick=False):
        _trip(personas, fleet, vehicle=fleet.sedan, day=TODAY - dt.timedelta(days=1), hours=3)
        _trip(personas, fleet, vehicle=fleet.van, day=TODAY.replace(day=10), hours=5, unit=personas.unit_a_community)
        _trip(personas, fleet, vehicle=fleet.other_sedan, day=TODAY.replace(day=12), hours=2, b=True)
        _trip(personas, fleet, vehicle=fleet.sedan, day=TODAY.replace(day=1) - dt.timedelta(days=4), hours=2)
        tomorrow = TODAY + dt.timedelta(days=1)
        for hour in (9, 14):
            services.booking_request(
                actor=personas.unit_a_staff, unit=personas.unit_a, starts_at=on_day(tomorrow, hour),
                ends_at=on_day(tomorrow, hour + 2), origin="东门街道", destination="罗湖口岸", purpose="现场检查",
                passengers=1, vehicle_type="sedan", contact_name="联系人", contact_phone="13900001111",
                official_use=True,
            )  # fmt: skip
        _booking(personas, day=tomorrow, hour=16, hours=1)
        services.booking_request(
            actor=personas.unit_b_staff, unit=personas.unit_b, starts_at=on_day(tomorrow, 10),
            ends_at=on_day(tomorrow, 11), origin="桂园街道", destination="区政府", purpose="送文件", passengers=1,
            vehicle_type="sedan", contact_name="联系人", contact_phone="13900002222", official_use=True,
        )  # fmt: skip
        for hour in (8, 13):
            _booking(personas, day=tomorrow, hour=hour, hours=1, b=True)


def _figures(client, user, scope) -> dict[str, object]:
    """Every linked figure against the utilisation page as `user` sees it; the figures by label."""
    client.force_login(user)
    (tile,) = tiles(scope, TODAY)
    for figure in tile.figures:
        if not figure.url:
            continue
        page = client.get(figure.url)
        assert page.status_code == 200, figure.url
        shown = page.context["figures"]
        if "%" in str(figure.value):
            assert figure.value == f"{round(shown.share * 100)}%" and figure.value in page.content.decode()
        else:
            assert figure.value == shown.trips, figure.label
    return {figure.label: (figure.value, bool(figure.url)) for figure in tile.figures}


def _listed(client, state: str) -> int:
    response = client.get(reverse("fleet:home"), {"state": state})
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_every_figure_equals_what_its_page_shows_each_persona(client, personas, fleet, cars):
    with time_machine.travel(on_day(TODAY, 15), tick=False):
        everyone = _figures(client, personas.office_admin, scope_of(personas.office_admin))
        share = f"{round(100 * (3 + 5 + 2) / (3 * _working_hours()))}%"  # three cars, ten hours on the road
        assert list(everyone.values()) == [(share, True), (3, True), (3, False), (3, False)]
        assert _figures(client, personas.supervisor, scope_of(personas.supervisor)) == everyone
        leader = _figures(client, personas.district_leader, scope_of(personas.district_leader))
        assert list(leader.values()) == [(2, True), (2, False), (1, False)]  # unit A and its community only
        head = _figures(client, personas.unit_a_head, scope_of(personas.unit_a_head))
        assert list(head.values()) == [(2, False), (2, False), (1, False)]
        # what the head counts waiting is what the bookings list shows them
        assert _listed(client, "pending") + _listed(client, "over_quota") == 2 and _listed(client, "approved") == 1
        community = _figures(client, personas.office_admin, scope_of(personas.office_admin, personas.unit_a_community))
        assert list(community.values()) == [(1, False), (0, False), (0, False)]


def test_a_leader_in_charge_never_counts_another_streets_trips(client, personas, fleet, cars):
    with time_machine.travel(on_day(TODAY, 15), tick=False):
        client.force_login(personas.district_leader)
        (tile,) = tiles(scope_of(personas.district_leader), TODAY)
        page = client.get(tile.figures[0].url)
        shown = page.context["figures"]
        assert {row.label for row in shown.units} == {"东门街道", "城东社区"} and shown.share is None
        text = page.content.decode()
        assert "桂园街道" not in text and "另按以下条件筛选" in text
        # the cars show the hours of these units' trips only, without an idle share
        assert {row.label: row.hours for row in shown.cars} == {"粤B·A1001": 3, "粤B·A2001": 5}
        assert all(row.idle is None for row in shown.cars)
