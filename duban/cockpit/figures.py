"""The ledger's figures for a scope: open items by row and light (from the ledger's own counters,
exact at every moment), overdue items and where they stand on the supervision ladder, and the
on-time rate by row and month. Each figure comes with the query of the item list that shows exactly
its items (the same queryset methods count both)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse

from duban.cockpit.access import Scope
from duban.ledger import counts
from duban.ledger.choices import OPEN_STATES, Light, NoticeLevel
from duban.ledger.models import Item
from duban.orgs.breakdown import Row, row_finder

LIGHTS = [Light.RED, Light.YELLOW, Light.GREEN, Light.NONE]
# The ladder's upper steps a leader asks about: 督查令, 约谈, 通报.
LADDER = [NoticeLevel.RED, NoticeLevel.INTERVIEW, NoticeLevel.PUBLIC_NOTICE]
MONTHS = 6


def items_url(query: dict) -> str:
    """The item list filtered by `query` (its export then gives exactly those rows)."""
    return f"{reverse('ledger:item_list')}?{urlencode(query)}"


@dataclass
class Cell:
    n: int
    query: dict

    @property
    def url(self) -> str:
        return items_url(self.query)


@dataclass
class RateCell:
    """Finished in a month: how many on time of how many."""

    timely: int
    finished: int
    query: dict

    @property
    def percent(self) -> float | None:
        return round(100 * self.timely / self.finished, 1) if self.finished else None

    @property
    def url(self) -> str:
        return items_url(self.query)

    @property
    def timely_url(self) -> str:
        return items_url({**self.query, "timely": "yes"})


@dataclass
class LedgerFigures:
    rows: list[Row]
    lights: dict[str, dict[str, Cell]] = field(default_factory=dict)  # row key → light → cell
    light_totals: dict[str, Cell] = field(default_factory=dict)
    open: dict[str, Cell] = field(default_factory=dict)  # row key → every open item, whatever its light
    open_all: Cell | None = None
    overdue: dict[str, Cell] = field(default_factory=dict)  # row key → cell
    ladder: dict[str, dict[str, Cell]] = field(default_factory=dict)  # row key → level → cell
    overdue_total: Cell | None = None
    ladder_totals: dict[str, Cell] = field(default_factory=dict)
    months: list[dt.date] = field(default_factory=list)
    rates: dict[str, list[RateCell]] = field(default_factory=dict)  # row key → one per month
    rate_totals: list[RateCell] = field(default_factory=list)

    @property
    def open_total(self) -> int:
        return sum(cell.n for cell in self.light_totals.values())


def _month_end(first: dt.date) -> dt.date:
    return (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)


def ledger_figures(scope: Scope, today: dt.date) -> LedgerFigures:
    figures = LedgerFigures(rows=scope.rows)
    row_for = row_finder(scope.rows)

    # Open items by row and light.
    found: dict[tuple[str, str], int] = {}
    for entry in counts.summary():
        row = row_for(entry["lead_unit_id"]) if entry["state"] in OPEN_STATES else None
        if row is not None:
            found[row.key, entry["light"]] = found.get((row.key, entry["light"]), 0) + entry["n"]
    for row in scope.rows:
        figures.lights[row.key] = {
            light: Cell(found.get((row.key, light), 0), {**row.query, "state": "open", "light": light})
            for light in LIGHTS
        }
        figures.open[row.key] = Cell(sum(c.n for c in figures.lights[row.key].values()), {**row.query, "state": "open"})
    for light in LIGHTS:
        total = sum(figures.lights[row.key][light].n for row in scope.rows)
        figures.light_totals[light] = Cell(total, {**scope.query, "state": "open", "light": light})
    figures.open_all = Cell(sum(c.n for c in figures.light_totals.values()), {**scope.query, "state": "open"})

    # Overdue items and their highest step on the ladder. Rows are counted with COUNT(*), which an
    # index alone can answer (COUNT of a column reads the table for it).
    in_scope = scope.narrowed(Item.objects.all(), "lead_unit")
    overdue = in_scope.overdue(today)

    def by_row(items) -> dict[str, int]:
        tally: dict[str, int] = {}
        for unit_id, n in items.order_by().values_list("lead_unit_id").annotate(n=Count("*")):
            row = row_for(unit_id)
            if row is not None:
                tally[row.key] = tally.get(row.key, 0) + n
        return tally

    late = by_row(overdue)
    steps = {level: by_row(overdue.at_ladder_step(level)) for level in LADDER}
    for row in scope.rows:
        figures.overdue[row.key] = Cell(late.get(row.key, 0), {**row.query, "overdue": "on"})
        figures.ladder[row.key] = {
            level: Cell(steps[level].get(row.key, 0), {**row.query, "overdue": "on", "ladder": level})
            for level in LADDER
        }
    figures.overdue_total = Cell(sum(late.values()), {**scope.query, "overdue": "on"})
    figures.ladder_totals = {
        level: Cell(sum(steps[level].values()), {**scope.query, "overdue": "on", "ladder": level}) for level in LADDER
    }

    # On-time rate by row and month, this month and the five before it.
    first = today.replace(day=1)
    months = [first]
    while len(months) < MONTHS:
        months.insert(0, (months[0] - dt.timedelta(days=1)).replace(day=1))
    figures.months = months
    finished = in_scope.finished_between(months[0], _month_end(first)).order_by()
    finished = finished.annotate(month=TruncMonth("finished_on"), on_time=Item.objects.timely_flag())
    tally: dict[tuple[str, dt.date], list[int]] = {}
    for unit_id, month, on_time, n in finished.values_list("lead_unit_id", "month", "on_time").annotate(n=Count("*")):
        row = row_for(unit_id)
        if row is not None:
            month = month.date() if isinstance(month, dt.datetime) else month
            counts_ = tally.setdefault((row.key, month), [0, 0])
            counts_[0 if on_time else 1] += n
    for row in scope.rows:
        figures.rates[row.key] = [
            RateCell(*_split(tally.get((row.key, month), [0, 0])), {**row.query, "finished": f"{month:%Y-%m}"})
            for month in months
        ]
    figures.rate_totals = [
        RateCell(
            sum(figures.rates[row.key][i].timely for row in scope.rows),
            sum(figures.rates[row.key][i].finished for row in scope.rows),
            {**scope.query, "finished": f"{month:%Y-%m}"},
        )
        for i, month in enumerate(months)
    ]
    return figures


def _split(pair: list[int]) -> tuple[int, int]:
    """[on time, late] → (on time, finished)."""
    return pair[0], pair[0] + pair[1]
