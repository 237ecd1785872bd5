"""The reform office's summary over a span of years (the five-year summary): a read, counted
from the reforms, their items and the expert panels' results."""

from __future__ import annotations

from duban.reforms.choices import ASSIGNED_LEVELS, ReformLevel
from duban.reforms.models import ExpertPanel, Reform
from duban.reforms.rounds import panel_results


def summary(first_year: int, last_year: int) -> dict:
    """The reform office's figures for a span of years, counted from the reforms and their items:
    tasks assigned from above and how many were completed (item closed), key reforms,
    micro-reforms, projects scored by third-party panels and the excellent ones; and per year."""
    reforms = Reform.objects.filter(year__range=(first_year, last_year)).prefetch_related("items")
    panels = ExpertPanel.objects.filter(year__range=(first_year, last_year))
    years = []
    for year in range(first_year, last_year + 1):
        of_year = [r for r in reforms if r.year == year]
        years.append(_figures(year, of_year, [p for p in panels if p.year == year]))
    total = _figures(None, list(reforms), list(panels))
    return {"years": years, "total": total}


def _figures(year, reforms: list[Reform], panels) -> dict:
    assigned = [r for r in reforms if r.level in ASSIGNED_LEVELS]
    completed = [r for r in assigned if r.item is not None and r.item.state == "closed"]
    scored = excellent = 0
    for panel in panels:
        results = panel_results(panel)
        scored += sum(1 for result in results if result.score is not None)
        excellent += sum(1 for result in results if result.excellent)
    return {
        "year": year,
        "assigned": len(assigned),
        "assigned_completed": len(completed),
        "completion": round(100 * len(completed) / len(assigned)) if assigned else None,
        "key": sum(1 for r in reforms if r.level == ReformLevel.KEY),
        "micro": sum(1 for r in reforms if r.level == ReformLevel.MICRO),
        "scored": scored,
        "excellent": excellent,
    }
