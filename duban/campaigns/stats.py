"""The campaign statistics: solved problems by campaign, category, street and month, the on-time
rate, and the exposure board (曝光台) of units with overdue problems. Counts come from the
append-only `ReportTally` rows the services write, so the page never scans the reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Min, Sum
from django.utils import timezone

from duban.campaigns.choices import OPEN_REPORT_STATES, ReportState
from duban.campaigns.models import Campaign, Category, Report, ReportTally
from duban.core.bulk import insert_many
from duban.orgs.models import Unit

# A unit's on-time rate is ranked only with at least this many closed problems.
MIN_RANKED = 20


KEY_FIELDS = (
    "campaign_id",
    "category_id",
    "street_id",
    "routed_unit_id",
    "state",
    "on_time",
    "created_at",
    "closed_at",
)


def _key(campaign, category, street, unit, state, on_time, created, closed) -> tuple:
    closed_now = state == ReportState.CLOSED
    moment = closed if closed_now and closed else created
    month = timezone.localtime(moment).date().replace(day=1)
    return (campaign, category, street, unit or 0, state, on_time if closed_now else None, month)


def tally_key(report: Report) -> tuple:
    return _key(*(getattr(report, name) for name in KEY_FIELDS))


def _row(key: tuple, n: int) -> ReportTally:
    campaign, category, street, unit, state, on_time, month = key
    return ReportTally(
        campaign_id=campaign,
        category_id=category,
        street_id=street,
        unit_id=unit,
        state=state,
        on_time=on_time,
        month=month,
        n=n,
    )


def tally_change(changes: list[tuple[tuple, tuple]]) -> None:
    """Record that reports left one key and entered another: [(before, after), …]."""
    counts: dict[tuple, int] = defaultdict(int)
    for before, after in changes:
        if before != after:
            counts[before] -= 1
            counts[after] += 1
    insert_many(ReportTally, [_row(key, n) for key, n in counts.items() if n])


def tally_rows(keys: list[tuple]) -> list[ReportTally]:
    """The rows counting +1 for each key (a block of new reports), to insert with them."""
    counts: dict[tuple, int] = defaultdict(int)
    for key in keys:
        counts[key] += 1
    return [_row(key, n) for key, n in counts.items()]


TALLY_DIMS = ["campaign_id", "category_id", "street_id", "unit_id", "state", "on_time", "month"]


@transaction.atomic
def tally_fold() -> int:
    """Fold the rows into one per key (run by the sweep); returns how many rows were folded. Safe
    beside writers: on PostgreSQL the rows are deleted and their sums inserted in one statement, so
    a row committed meanwhile is either folded or left for the next sweep, never lost; SQLite has
    one writer at a time."""
    dims = ", ".join(TALLY_DIMS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH moved AS (DELETE FROM campaigns_reporttally RETURNING {dims}, n), "  # noqa: S608 - fixed names
                f"folded AS (INSERT INTO campaigns_reporttally ({dims}, n) SELECT {dims}, sum(n) FROM moved "
                f"GROUP BY {dims} HAVING sum(n) <> 0) SELECT count(*) FROM moved"
            )
            return cursor.fetchone()[0]
    top = ReportTally.objects.order_by("-id").values_list("id", flat=True).first()
    if top is None:
        return 0
    folded = list(ReportTally.objects.filter(id__lte=top).values(*TALLY_DIMS).annotate(total=Sum("n")).order_by())
    removed, _ = ReportTally.objects.filter(id__lte=top).delete()
    ReportTally.objects.bulk_create(
        [ReportTally(**{d: row[d] for d in TALLY_DIMS}, n=row["total"]) for row in folded if row["total"]],
        batch_size=2000,
    )
    return removed


def tally_rebuild() -> None:
    """Recount every report (after a bulk load outside the services, or to check the tallies)."""
    with transaction.atomic():
        ReportTally.objects.all().delete()
        counts: dict[tuple, int] = defaultdict(int)
        for values in Report.objects.values_list(*KEY_FIELDS).order_by().iterator(chunk_size=5000):
            counts[_key(*values)] += 1
        ReportTally.objects.bulk_create([_row(key, n) for key, n in counts.items()], batch_size=2000)


@dataclass
class Figures:
    campaign: Campaign | None
    solved: int = 0
    closed_on_time: int = 0
    open: int = 0
    received: int = 0
    by_category: list = field(default_factory=list)
    by_street: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    by_unit: list = field(default_factory=list)
    exposure: list = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.closed_on_time / self.solved, 1) if self.solved else None


def _rate(on_time: int, solved: int) -> float | None:
    return round(100 * on_time / solved, 1) if solved else None


def figures(campaign: Campaign | None = None, today: dt.date | None = None) -> Figures:
    """Everything the statistics page shows, for one campaign or all: each breakdown summed by the
    database over the tallies (a few thousand rows even for a million reports)."""
    today = today or timezone.localdate()
    tallies = ReportTally.objects.all()
    if campaign is not None:
        tallies = tallies.filter(campaign_id=campaign.pk)
    result = Figures(campaign)

    def breakdown(dimension: str) -> dict:
        counts: dict = defaultdict(lambda: [0, 0, 0])  # solved, of which on time, open
        rows = tallies.values(dimension, "state", "on_time").annotate(total=Sum("n")).order_by()
        for row in rows:
            n, key = row["total"], row[dimension]
            if row["state"] == ReportState.CLOSED:
                counts[key][0] += n
                counts[key][1] += n if row["on_time"] else 0
            elif row["state"] in OPEN_REPORT_STATES:
                counts[key][2] += n
        return counts

    by_category = breakdown("category_id")
    for solved, on_time, open_ in by_category.values():
        result.solved += solved
        result.closed_on_time += on_time
        result.open += open_
    result.received = tallies.aggregate(total=Sum("n"))["total"] or 0
    by_street, by_unit = breakdown("street_id"), breakdown("unit_id")
    closed = tallies.filter(state=ReportState.CLOSED)
    by_month = dict(closed.values_list("month").annotate(total=Sum("n")).order_by())
    names = dict(Category.objects.filter(pk__in=by_category).values_list("pk", "name"))
    units = dict(Unit.objects.filter(pk__in=set(by_street) | set(by_unit)).values_list("pk", "name"))

    def table(counts, labels):
        out = [
            {
                "name": labels.get(key, "—"),
                "solved": s,
                "on_time": t,
                "open": o,
                "rate": _rate(t, s),
                "ranked": s >= MIN_RANKED,
            }
            for key, (s, t, o) in counts.items()
            if s or o
        ]
        return sorted(out, key=lambda r: (-r["solved"], r["name"]))

    result.by_category = table(by_category, names)
    result.by_street = table(by_street, units)
    result.by_unit = table({k: v for k, v in by_unit.items() if k}, units)
    result.by_month = [{"month": month, "solved": n} for month, n in sorted(by_month.items()) if n]
    result.exposure = exposure(campaign, today)
    return result


def exposure(campaign: Campaign | None, today: dt.date) -> list[dict]:
    """Units with open problems past their expected date, most first (曝光台)."""
    overdue = Report.objects.filter(state__in=sorted(OPEN_REPORT_STATES), expected_on__lt=today)
    if campaign is not None:
        overdue = overdue.filter(campaign=campaign)
    rows = list(overdue.values("routed_unit_id").annotate(n=Count("*"), oldest=Min("expected_on")).order_by())
    names = dict(Unit.objects.filter(pk__in=[row["routed_unit_id"] for row in rows]).values_list("pk", "name"))
    board = [
        {"unit": names.get(row["routed_unit_id"], ""), "overdue": row["n"], "days": (today - row["oldest"]).days}
        for row in rows
    ]
    return sorted(board, key=lambda row: (-row["overdue"], row["unit"]))[:20]
