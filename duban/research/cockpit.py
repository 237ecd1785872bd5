"""Commissioned research on the cockpit (领导驾驶舱): this year's projects of the scope's units (by
the commissioning unit), by state, and the results adopted this year (成果转化). Each figure links
to the project list or the results library filtered to exactly what it counts: the figures are
counted from those lists' own filters, bound to the query they link with."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.cockpit.tiles import Figure, Tile
from duban.research.choices import ProjectState
from duban.research.forms import ADOPTED_LABEL, ProjectFilterForm, ResultLinksForm
from duban.research.models import Project, Result

TONES = {ProjectState.ACCEPTED: "good", ProjectState.FAILED: "bad"}


def _scope_query(scope) -> dict | None:
    """The lists' filters for the scope's units (a unit with the units below it, or a leader's
    portfolio); None when no one list shows them (a head of several units)."""
    return dict(scope.query) if scope.totals_linked else None


def tiles(scope, today: dt.date) -> list[Tile]:
    base, year = _scope_query(scope), today.year
    projects_query, results_query = {"year": year}, {"adopted": year}
    if base is None:
        projects = Project.objects.filter(topic__call__year=year).filter(scope.units_condition("topic__unit__"))
        results = ResultLinksForm(results_query).apply(Result.objects.all())
        results = results.filter(scope.units_condition("project__topic__unit__"))
    else:  # the lists' own filters, so the lists show what is counted
        projects_query, results_query = {**base, **projects_query}, {**base, **results_query}
        projects = ProjectFilterForm(projects_query).apply(Project.objects.all())
        results = ResultLinksForm(results_query).apply(Result.objects.all())
    by_state = dict(projects.order_by().values_list("state").annotate(n=Count("pk")))

    def figure(label, value, path: str, query: dict, tone: str = "") -> Figure:
        if base is None:
            return Figure(str(label), value, tone=tone)
        return Figure.linked(str(label), value, path, query, tone=tone)

    projects_path = reverse("research:project_list")
    figures = [figure(_("Projects of %(year)s") % {"year": year}, sum(by_state.values()), projects_path,
                      projects_query)]  # fmt: skip
    figures += [
        figure(state.label, by_state[state.value], projects_path, {**projects_query, "state": state.value},
               TONES.get(state, ""))
        for state in ProjectState
        if by_state.get(state.value)
    ]  # fmt: skip
    adopted = results.count()
    figures.append(figure(ADOPTED_LABEL % {"year": year}, adopted, reverse("research:results"), results_query,
                          "good" if adopted else ""))  # fmt: skip
    return [Tile(_("Commissioned research"), figures)]
