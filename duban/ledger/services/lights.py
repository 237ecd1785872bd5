"""The light (亮灯) of an item: a pure function of its dates, progress and the ledger's policy."""

from __future__ import annotations

import datetime as dt

from duban.core.workdays import working_days_between
from duban.ledger.choices import OPEN_STATES, ItemState, Light


def compute_light(
    *,
    state: str,
    deadline: dt.date | None,
    start: dt.date | None,
    progress: int,
    submitted_on: dt.date | None,
    policy: dict,
    today: dt.date,
) -> str:
    """Deadline mode: yellow within N working days of the deadline, red past it. Pro-rata mode:
    yellow when progress lags k × the elapsed share of the time, red past the deadline."""
    if state not in OPEN_STATES:
        return Light.NONE
    if deadline is None:
        return Light.GREEN
    if state == ItemState.SUBMITTED:
        return Light.RED if submitted_on and submitted_on > deadline else Light.GREEN
    if today > deadline:
        return Light.RED
    if policy.get("mode") == "pro_rata":
        if start is None or start >= deadline:
            return Light.GREEN
        elapsed = min(1.0, max(0.0, (today - start).days / (deadline - start).days))
        return Light.YELLOW if progress < float(policy.get("k", 0.7)) * elapsed * 100 else Light.GREEN
    if working_days_between(today, deadline) <= int(policy.get("yellow_working_days", 5)):
        return Light.YELLOW
    return Light.GREEN


def period_of(day: dt.date, policy: dict) -> str:
    """The reporting period a day belongs to: '2024-06' by month, '2024-W23' by week."""
    if policy.get("period") == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day:%Y-%m}"
