"""What each context adds to the cockpit: a tile of figures, each linking to the list that shows
exactly what it counts. A context offers them from `cockpit_tiles(scope, today)` on its AppConfig
(as it offers its menu entries from `nav_items()`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps


@dataclass
class Figure:
    label: str
    value: object  # a count, an amount or a share: shown as it is given (already formatted for shares)
    url: str = ""  # the list behind the figure; "" when it has none
    tone: str = ""  # "bad" or "good" to colour it

    @classmethod
    def linked(cls, label, value, path: str, query: dict | None = None, tone: str = "") -> Figure:
        """A figure linking to the list at `path` (a reversed URL) filtered by `query`."""
        return cls(label, value, path + (f"?{urlencode(query)}" if query else ""), tone)


@dataclass
class Tile:
    title: str
    figures: list[Figure] = field(default_factory=list)
    chart: dict | None = None  # {"labels": [...], "series": [{"name", "values"}]} for duban/js/charts.js
    note: str = ""
    chart_id: str = ""  # set by `tiles_for`


def tiles_for(scope, today: dt.date) -> list[Tile]:
    found = []
    for config in apps.get_app_configs():
        if hasattr(config, "cockpit_tiles"):
            found.extend(config.cockpit_tiles(scope, today))
    for number, tile in enumerate(found, start=1):
        tile.chart_id = f"tile-chart-{number}"
    return found
