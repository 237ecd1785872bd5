import datetime as dt
import random

import pytest

from duban.core.models import WorkdayOverride
from duban.core.workdays import add_working_days, calendar_knows_year, is_workday, working_days_between

pytestmark = pytest.mark.django_db

D = dt.date


def test_national_day_is_not_a_working_day_but_its_makeup_sunday_is():
    assert is_workday(D(2024, 10, 1)) is False
    assert is_workday(D(2024, 9, 29)) is True  # Sunday worked in exchange (调休)
    assert is_workday(D(2024, 10, 12)) is True  # Saturday worked in exchange


def test_adding_working_days_skips_weekends_and_the_golden_week():
    assert add_working_days(D(2024, 11, 22), 1) == D(2024, 11, 25)
    assert add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 8)
    assert add_working_days(D(2024, 10, 8), -1) == D(2024, 9, 30)
    assert add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)


def test_zero_working_days_is_the_start_date():
    assert add_working_days(D(2024, 10, 3), 0) == D(2024, 10, 3)


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2024, 9, 30), D(2024, 10, 8)) == 1
    assert working_days_between(D(2024, 10, 8), D(2024, 9, 30)) == -1
    assert working_days_between(D(2024, 11, 25), D(2024, 11, 22)) == -1
    assert working_days_between(D(2024, 11, 18), D(2024, 11, 22)) == 4
    assert working_days_between(D(2024, 11, 22), D(2024, 11, 22)) == 0


def test_office_override_wins_over_the_published_calendar():
    WorkdayOverride.objects.create(date=D(2024, 11, 25), is_workday=False, note="台风停工")
    WorkdayOverride.objects.create(date=D(2024, 11, 23), is_workday=True, note="加班")

    assert is_workday(D(2024, 11, 25)) is False
    assert add_working_days(D(2024, 11, 22), 1) == D(2024, 11, 23)
    assert add_working_days(D(2024, 11, 22), 2) == D(2024, 11, 26)
    assert working_days_between(D(2024, 11, 22), D(2024, 11, 26)) == 2


def test_years_the_calendar_does_not_know_fall_back_to_monday_to_friday():
    assert calendar_knows_year(2024) is True
    assert calendar_knows_year(2099) is False
    assert is_workday(D(2099, 1, 1)) is True  # a Thursday; no published holiday for 2099
    assert is_workday(D(2099, 1, 3)) is False  # Saturday
    assert add_working_days(D(2099, 1, 2), 1) == D(2099, 1, 5)


def test_adding_then_counting_working_days_round_trips():
    rng = random.Random(7)
    for _ in range(200):
        start = D(2023, 1, 1) + dt.timedelta(days=rng.randrange(900))
        days = rng.randrange(-30, 60)
        end = add_working_days(start, days)
        assert working_days_between(start, end) == days, (start, days, end)
