"""The reforms of the year on the leader's cockpit (领导驾驶舱): how many there are in the person's
scope (by lead unit), where they stand, their average progress and how many break the three-level
responsibility rule. Each figure links to the reform list filtered to exactly the reforms it counts:
the figures are counted from the list's own filters, bound to the query they link with."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, BooleanField, Case, Count, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.cockpit.tiles import Figure, Tile
from duban.reforms.choices import ReformStage
from duban.reforms.forms import ReformFilterForm
from duban.reforms.models import Reform
from duban.reforms.models.reforms import breaks_the_rule, stage_condition

TONES = {ReformStage.OVERDUE: "bad", ReformStage.FINISHED: "good"}


def _in_scope(scope, query: dict, today: dt.date):
    if scope.totals_linked:  # the list's own filters, so the list shows what is counted
        return ReformFilterForm(query).apply(Reform.objects.all(), today)
    # A head of several units: no one list shows their reforms, so the figures link nowhere.
    return Reform.objects.filter(year=query["year"]).filter(scope.units_condition("lead_unit__"))


def tiles(scope, today: dt.date) -> list[Tile]:
    query = {"year": today.year, **scope.query}
    reforms = (
        _in_scope(scope, query, today)
        .with_own_item()
        .annotate(
            breaks=Case(When(breaks_the_rule(), then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    )
    found = reforms.aggregate(
        total=Count("pk"),
        progress=Avg(Coalesce("own_progress", 0)),
        rule=Count("pk", filter=Q(breaks=True)),
        **{stage: Count("pk", filter=stage_condition(stage, today)) for stage in ReformStage.values},
    )
    path = reverse("reforms:reform_list")

    def figure(label, value, extra: dict | None = None, tone: str = "") -> Figure:
        if not scope.totals_linked:
            return Figure(label, value, tone=tone)
        return Figure.linked(label, value, path, {**query, **(extra or {})}, tone=tone)

    figures = [figure(_("Reforms this year"), found["total"])]
    for stage in ReformStage:
        n = found[stage.value]
        figures.append(figure(str(stage.label), n, {"stage": stage.value}, TONES.get(stage, "") if n else ""))
    if found["total"]:
        figures.append(figure(_("Average progress"), f"{found['progress']:.0f}%"))
    figures.append(
        figure(_("Breaking the three-level responsibility rule"), found["rule"], {"rule": "on"},
               "bad" if found["rule"] else "")
    )  # fmt: skip
    return [Tile(_("Reforms of %(year)s") % {"year": today.year}, figures)]
