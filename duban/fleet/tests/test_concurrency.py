"""Two dispatchers giving one car (or one driver) to two overlapping trips at the same moment: the
car and driver rows are locked, so one dispatch waits for the other and is then refused."""

import pytest

from duban.core.testing import run_together
from duban.fleet import services
from duban.fleet.models import Booking
from duban.fleet.tests.conftest import approved

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("shared", ["car", "driver"])
def test_two_dispatchers_at_once_never_double_book_a_car_or_a_driver(personas, fleet, shared):
    first, second = approved(personas, fleet, start=9, end=12), approved(personas, fleet, start=10, end=11)
    cars = [fleet.sedan, fleet.sedan if shared == "car" else fleet.other_sedan]
    drivers = [fleet.driver, fleet.driver if shared == "driver" else fleet.other_driver]

    outcomes = run_together(
        *[
            lambda booking=booking, car=car, driver=driver: services.booking_step(
                actor=fleet.dispatcher, booking=booking, code="dispatch", vehicle=car, driver=driver
            )
            for booking, car, driver in zip([first, second], cars, drivers, strict=True)
        ]
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Booking", "ValidationError"]
    assert Booking.objects.filter(state="dispatched").count() == 1
    assert Booking.objects.filter(state="approved", vehicle=None, driver=None).count() == 1
