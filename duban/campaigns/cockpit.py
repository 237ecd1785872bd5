"""The special campaigns on the leader's cockpit (领导驾驶舱): a tile per campaign running in the last
eight weeks, with the problems reported and solved this week, the open ones and the overdue ones
(what the exposure board, 曝光台, names units for), and a chart of the problems reported and solved
each week. Counted in the person's scope by the unit each problem is routed to (problems not yet
routed belong to no unit: only the district's scope counts them). Each figure links to the
campaign's report queue with the filters that select exactly what it counts (`campaigns.queue`)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from duban.campaigns import queue
from duban.campaigns.choices import OPEN_REPORT_STATES, ReportState
from duban.campaigns.models import Campaign, Report
from duban.cockpit.tiles import Figure, Tile

WEEKS = 8


def _weeks(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(Monday, Sunday) of this week and the seven before it, oldest first."""
    monday = today - dt.timedelta(days=today.weekday())
    firsts = [monday - dt.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    return [(first, first + dt.timedelta(days=6)) for first in firsts]


def _by_week(reports, field: str, weeks) -> list[int]:
    """How many of `reports` have `field` in each week, in one query (counting `field` itself, which
    the index holds, rather than the primary key, which it may not)."""
    found = reports.filter(**{f"{field}__gte": queue.day_start(weeks[0][0])}).aggregate(**{
        f"w{n}": Count(field, filter=Q(**{f"{field}__gte": queue.day_start(first),
                                        f"{field}__lt": queue.day_start(last + dt.timedelta(days=1))}))
        for n, (first, last) in enumerate(weeks)
    })  # fmt: skip
    return [found[f"w{n}"] for n in range(len(weeks))]


def _tile(campaign: Campaign, scope, today: dt.date, weeks) -> Tile:
    reports = Report.objects.filter(campaign=campaign)
    if scope.totals_linked:  # the queue's own filters, so the queue shows what is counted
        reports = queue.filtered(reports, scope.query, today)
    else:  # a head of several units: no one queue shows their problems, so the figures link nowhere
        reports = reports.filter(scope.units_condition("routed_unit__"))
    reported = _by_week(reports, "created_at", weeks)
    solved = _by_week(reports.filter(state=ReportState.CLOSED), "closed_at", weeks)
    open_ = reports.filter(state__in=sorted(OPEN_REPORT_STATES)).aggregate(
        open=Count("*"), overdue=Count("expected_on", filter=Q(expected_on__lt=today))
    )
    path = reverse("campaigns:report_queue", args=[campaign.pk])

    def url(**extra) -> str:
        return f"{path}?{urlencode({**scope.query, **extra})}" if scope.totals_linked else ""

    def reported_in(first, last) -> str:
        return url(reported_from=first.isoformat(), reported_to=last.isoformat())

    def solved_in(first, last) -> str:
        return url(state=ReportState.CLOSED.value, closed_from=first.isoformat(), closed_to=last.isoformat())

    this_week = weeks[-1]
    figures = [
        Figure(_("Reported this week"), reported[-1], reported_in(*this_week)),
        Figure(_("Solved this week"), solved[-1], solved_in(*this_week), "good" if solved[-1] else ""),
        Figure(pgettext("problem report", "Open"), open_["open"], url(state="open")),
        Figure(_("Overdue, on the exposure board"), open_["overdue"], url(state="overdue"),
               "bad" if open_["overdue"] else ""),
    ]  # fmt: skip
    chart = {
        "labels": [f"{first:%m-%d}" for first, _last in weeks],
        "series": [
            {"name": pgettext("problems a week", "Reported"), "values": reported,
             **({"links": [reported_in(*week) for week in weeks]} if scope.totals_linked else {})},
            {"name": pgettext("problems a week", "Solved"), "values": solved, "color": "#2e7d32",
             **({"links": [solved_in(*week) for week in weeks]} if scope.totals_linked else {})},
        ],
    }  # fmt: skip
    note = _("Problems reported and solved each week, the last eight weeks (weeks from Monday).")
    return Tile(campaign.name, figures, chart=chart, note=note)


def tiles(scope, today: dt.date) -> list[Tile]:
    weeks = _weeks(today)
    running = Campaign.objects.filter(starts_on__lte=today, ends_on__gte=weeks[0][0]).order_by("starts_on", "pk")
    return [_tile(campaign, scope, today, weeks) for campaign in running]
