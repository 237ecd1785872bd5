"""The working-day calendar (工作日): public holidays, 调休 make-up workdays and office overrides.

Precedence: an office override (`WorkdayOverride`) first, then the `chinesecalendar` package for
the years it knows, then Monday to Friday for years it does not know yet (the State Council
publishes the next year's schedule around November; such dates are "unverified").
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

import chinese_calendar

_SEARCH_LIMIT_DAYS = 3 * 366


@lru_cache(maxsize=64)
def calendar_knows_year(year: int) -> bool:
    """Whether the published holiday schedule for `year` is in the installed calendar package."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)
def _published_is_workday(day: dt.date) -> bool:
    if calendar_knows_year(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


_snapshot: ContextVar[dict[dt.date, bool] | None] = ContextVar("workday_overrides", default=None)


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    from duban.core.models import WorkdayOverride

    low, high = min(start, end), max(start, end)
    held = _snapshot.get()
    if held is not None:
        return {day: value for day, value in held.items() if low <= day <= high}
    rows = WorkdayOverride.objects.filter(date__range=(low, high)).values_list("date", "is_workday")
    return dict(rows)


@contextmanager
def overrides_held():
    """Read the office's overrides once for a block of work (a batch of transitions in one
    transaction) instead of once per date computed."""
    from duban.core.models import WorkdayOverride

    if _snapshot.get() is not None:
        yield
        return
    token = _snapshot.set(dict(WorkdayOverride.objects.values_list("date", "is_workday")))
    try:
        yield
    finally:
        _snapshot.reset(token)


def is_workday(day: dt.date) -> bool:
    override = _overrides(day, day).get(day)
    return _published_is_workday(day) if override is None else override


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (before it when negative); `start` is not counted.

    add_working_days(a Friday, 1) is the next Monday unless that Monday is a holiday.
    """
    if days == 0:
        return start
    step = 1 if days > 0 else -1
    span = dt.timedelta(days=min(_SEARCH_LIMIT_DAYS, abs(days) * 3 + 30))
    overrides = _overrides(start, start + span * step)
    remaining = abs(days)
    day = start
    while remaining:
        day += dt.timedelta(days=step)
        if abs((day - start).days) > span.days:
            overrides.update(_overrides(day, day + span * step))
            span += span
        override = overrides.get(day)
        if _published_is_workday(day) if override is None else override:
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end`; when `end` is earlier, minus the
    working days from `end` up to (not including) `start`.

    It inverts `add_working_days`: working_days_between(d, add_working_days(d, n)) == n for any n.
    """
    if end == start:
        return 0
    sign = 1 if end > start else -1
    # Count the half-open range (low, high] going forward and [low, high) going back.
    low, high = (start, end) if sign > 0 else (end - dt.timedelta(days=1), start - dt.timedelta(days=1))
    overrides = _overrides(low, high)
    count = 0
    day = low + dt.timedelta(days=1)
    while day <= high:
        override = overrides.get(day)
        if _published_is_workday(day) if override is None else override:
            count += 1
        day += dt.timedelta(days=1)
    return sign * count


def moment(at: dt.datetime | None = None) -> tuple[dt.datetime, dt.date]:
    """The instant a service acts at (now unless given, e.g. by the demo's history) and its local date."""
    from django.utils import timezone

    at = at or timezone.now()
    return at, timezone.localtime(at).date()


def on_day(day: dt.date, hour: int = 10) -> dt.datetime:
    """An aware instant on `day` at `hour` o'clock in the site's time zone (Asia/Shanghai)."""
    from django.utils import timezone

    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_default_timezone())
