"""The cockpit (领导驾驶舱): one screen over every mechanism for the person's scope, each figure a
link to the list behind it; and the wall-screen mode (大屏) for the office."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from duban.cockpit import access
from duban.cockpit.figures import LADDER, LIGHTS, ledger_figures
from duban.cockpit.tiles import tiles_for
from duban.core.views import whole_number
from duban.ledger.choices import Light, NoticeLevel
from duban.orgs.models import Unit

SCREEN_REFRESH_SECONDS = 300


def _context(request) -> dict:
    unit_pk = whole_number(request.GET.get("unit"))
    unit = get_object_or_404(Unit, pk=unit_pk) if unit_pk else None
    scope = access.scope_of(request.user, unit)
    today = timezone.localdate()
    figures = ledger_figures(scope, today)
    rows = [
        {
            "row": row,
            "lights": [figures.lights[row.key][light] for light in LIGHTS],
            "open": figures.open[row.key],
            "overdue": figures.overdue[row.key],
            "ladder": [figures.ladder[row.key][level] for level in LADDER],
            "rates": figures.rates[row.key],
            "narrow": None if row.direct or not row.unit.children.exists() else f"?{urlencode({'unit': row.unit.pk})}",
        }
        for row in scope.rows
    ]
    chart = {
        "labels": [r["row"].unit.short_name or r["row"].unit.name for r in rows if r["open"].n],
        "stacked": True,
        "horizontal": True,
        "series": [
            {"name": str(Light(light).label), "values": [r["lights"][i].n for r in rows if r["open"].n],
             "color": COLOURS[light],
             "links": [r["lights"][i].url for r in rows if r["open"].n]}
            for i, light in enumerate(LIGHTS)
        ],
    }  # fmt: skip
    return {
        "scope": scope,
        "today": today,
        "figures": figures,
        "rows": rows,
        "light_totals": [(Light(light).label, figures.light_totals[light]) for light in LIGHTS],
        "ladder_totals": [(NoticeLevel(level).label, figures.ladder_totals[level]) for level in LADDER],
        "chart": chart,
        "tiles": tiles_for(scope, today),
        "narrowed": unit is not None,
    }


COLOURS = {Light.RED: "#c62828", Light.YELLOW: "#e0a100", Light.GREEN: "#2e7d32", Light.NONE: "#9aa4b1"}


@login_required
def home(request):
    return render(request, "cockpit/home.html", _context(request))


def _unlinked(chart: dict) -> dict:
    return {**chart, "series": [{k: v for k, v in s.items() if k != "links"} for s in chart["series"]]}


@login_required
def screen(request):
    """The wall screen: large type, refreshed every few minutes, unit names and figures only."""
    context = _context(request)
    context["refresh"] = SCREEN_REFRESH_SECONDS
    context["chart"] = {**_unlinked(context["chart"]), "dark": True}
    for tile in context["tiles"]:  # nothing to click through on a wall
        tile.figures = [replace(figure, url="") for figure in tile.figures]
        tile.chart = _unlinked(tile.chart) if tile.chart else None
    return render(request, "cockpit/screen.html", context)
