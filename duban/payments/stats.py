"""What the office reports: how much faster the green channel pays, computed from the requests."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DurationField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.formats import date_format

from duban.payments.choices import Channel, GapState, RequestState
from duban.payments.models import Gap, PaymentRequest, Suspension


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (p50 is the median of an odd count, the lower middle otherwise)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)]


def median_days_to_pay(paid) -> float | None:
    """The median days from submission to payment of the paid requests `paid`, to a tenth of a day,
    as `report` computes it (the nearest rank), with two queries whatever their number."""
    n = paid.count()
    if not n:
        return None
    elapsed = ExpressionWrapper(F("paid_at") - F("submitted_at"), output_field=DurationField())
    ranked = paid.annotate(elapsed=elapsed).order_by("elapsed", "pk").values_list("elapsed", flat=True)
    middle = ranked[max(math.ceil(0.5 * n) - 1, 0)]
    return round(middle.total_seconds() / 86400, 1)


@dataclass
class Speed:
    channel: str
    label: str
    paid: int = 0
    amount: Decimal = Decimal(0)
    median_days: float | None = None
    p90_days: float | None = None
    on_time: int = 0

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.paid) if self.paid else None


@dataclass
class Month:
    month: dt.date
    counts: dict = field(default_factory=lambda: defaultdict(int))
    amounts: dict = field(default_factory=lambda: defaultdict(Decimal))


@dataclass
class Report:
    year: int
    months: list[Month]
    speeds: dict[str, Speed]
    gaps: dict[str, int]
    suspensions: list
    speedup: float | None


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def report(year: int, *, units=None) -> Report:
    """Requests submitted in `year` (of `units` when given): counts and amounts by month and
    channel, the time from submission to payment per channel, and how missing documents came in."""
    zone = timezone.get_default_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)
    requests = PaymentRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    if units is not None:
        requests = requests.filter(unit__in=units)
    months = {m: Month(dt.date(year, m, 1)) for m in range(1, 13)}
    speeds = {value: Speed(value, str(label)) for value, label in Channel.choices}
    elapsed = defaultdict(list)
    rows = requests.values_list("channel", "amount", "submitted_at", "state", "paid_at", "due_on")
    for channel, amount, submitted_at, state, paid_at, due_on in rows.iterator(chunk_size=2000):
        month = months[_local(submitted_at).month]
        month.counts[channel] += 1
        month.amounts[channel] += amount
        if state == RequestState.PAID and paid_at is not None:
            speed = speeds[channel]
            speed.paid += 1
            speed.amount += amount
            elapsed[channel].append((paid_at - submitted_at).total_seconds() / 86400)
            speed.on_time += _local(paid_at).date() <= due_on
    for channel, days in elapsed.items():
        speeds[channel].median_days = round(percentile(days, 0.5), 1)
        speeds[channel].p90_days = round(percentile(days, 0.9), 1)
    green, normal = speeds[Channel.GREEN].median_days, speeds[Channel.NORMAL].median_days
    speedup = round(normal / green, 1) if green and normal else None
    counted = dict.fromkeys(("on_time", "late", "pending", "overdue", "waived"), 0)
    gaps = Gap.objects.filter(committed=True, request__in=requests).values_list("state", "supplied_at", "due_on")
    for state, supplied_at, due_on in gaps.iterator(chunk_size=2000):
        if state == GapState.SUPPLIED:
            counted["on_time" if _local(supplied_at).date() <= due_on else "late"] += 1
        else:
            counted[state] += 1
    suspensions = Suspension.objects.filter(started_at__gte=start, started_at__lt=end).select_related(
        "unit", "ended_by"
    )
    if units is not None:
        suspensions = suspensions.filter(unit__in=units)
    return Report(year, list(months.values()), speeds, counted, list(suspensions.order_by("started_at")), speedup)


def chart(rep: Report) -> dict:
    return {
        "labels": [date_format(m.month, "M") for m in rep.months],
        "series": [{"name": str(label), "values": [m.counts[value] for m in rep.months]}
                   for value, label in Channel.choices],
    }  # fmt: skip
