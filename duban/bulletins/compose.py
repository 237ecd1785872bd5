"""A bulletin's figures for its period and scope, composed from the ledger: what was assigned,
finished (on time or late) and is overdue, who got 督查令 (red supervision notices) and interviews,
by unit; the units ranked first and last by their on-time rate, and the units a bulletin names for
通报 (those ranked last with overdue items). Frozen into the bulletin as JSON when it is issued."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from duban.bulletins.choices import RANKED
from duban.ledger.choices import NoticeLevel
from duban.ledger.models import Item, Notice
from duban.orgs.breakdown import district_roots, row_finder, rows_under, units_condition
from duban.orgs.models import Unit

COLUMNS = ["assigned", "finished", "on_time", "overdue", "red", "interviews"]


def _moment(day: dt.date, end: bool = False) -> dt.datetime:
    moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time())
    return timezone.make_aware(moment)


def as_of(ends_on: dt.date) -> dt.date:
    """The day overdue items are counted on: the period's end, or today while it runs."""
    return min(ends_on, timezone.localdate())


def compose(scope_unit: Unit | None, starts_on: dt.date, ends_on: dt.date) -> dict:
    """{"rows": [{unit, name, direct, assigned, finished, on_time, overdue, red, interviews, rate}],
    "totals": {...}, "first": [names], "last": [names], "named": [unit ids]} — plain data, JSON-ready."""
    rows = rows_under([scope_unit] if scope_unit else district_roots())
    row_of = row_finder(rows)
    items = Item.objects.filter(units_condition(rows))
    since, until = _moment(starts_on), _moment(ends_on, end=True)
    tally = {row.key: dict.fromkeys(COLUMNS, 0) for row in rows}

    def add(column: str, pairs) -> None:
        for unit_id, n in pairs:
            row = row_of(unit_id)
            if row is not None:
                tally[row.key][column] += n

    def by_unit(found, field: str = "lead_unit_id"):
        return found.order_by().values_list(field).annotate(n=Count("*"))

    add("assigned", by_unit(items.filter(assigned_at__gte=since, assigned_at__lt=until)))
    finished = items.finished_between(starts_on, ends_on)
    add("finished", by_unit(finished))
    add("on_time", by_unit(finished.timely()))
    add("overdue", by_unit(items.overdue(as_of(ends_on))))
    notices = Notice.objects.filter(item__in=items, created_at__gte=since, created_at__lt=until)
    add("red", by_unit(notices.filter(level=NoticeLevel.RED), "item__lead_unit_id"))
    add("interviews", by_unit(notices.filter(level=NoticeLevel.INTERVIEW), "item__lead_unit_id"))
    table = []
    for row in rows:
        counts = tally[row.key]
        rate = round(100 * counts["on_time"] / counts["finished"], 1) if counts["finished"] else None
        table.append({"unit": row.unit.pk, "name": row.label, "direct": row.direct, **counts, "rate": rate})
    totals = {column: sum(r[column] for r in table) for column in COLUMNS}
    totals["rate"] = round(100 * totals["on_time"] / totals["finished"], 1) if totals["finished"] else None
    # First: the best on-time rates among the units with nothing overdue.
    rated = [r for r in table if r["rate"] is not None and not r["overdue"]]
    first = sorted(rated, key=lambda r: (-r["rate"], -r["finished"], r["name"]))[:RANKED]
    # Last: the most items overdue, then the lowest on-time rate (nothing finished counts as none on
    # time), among the units with overdue items or late finishes.
    lagging = [r for r in table if r not in first and (r["overdue"] or r["finished"] > r["on_time"])]
    last = sorted(lagging, key=lambda r: (-r["overdue"], r["rate"] or 0, r["name"]))[:RANKED]
    named = [r for r in last if r["overdue"]]
    return {
        "rows": table, "totals": totals,
        "first": [r["name"] for r in first], "last": [r["name"] for r in last],
        "named": [{"unit": r["unit"], "direct": r["direct"], "name": r["name"]} for r in named],
    }  # fmt: skip
