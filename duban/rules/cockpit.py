"""The rules registry on the cockpit (领导驾驶舱): the rules of the scope's units made, revised and
repealed this year, and those being drafted, being revised or under periodic review; each figure
links to the registry filtered to exactly those rules (by their issuing unit): the figures are
counted from the registry's own filters, bound to the query they link with."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.cockpit.tiles import Figure, Tile
from duban.rules.choices import CHANGE_LABELS, CHANGES, RuleStatus
from duban.rules.forms import RuleLinksForm
from duban.rules.models import Rule, changed_in, under_review


def _scope_query(scope) -> dict | None:
    """The registry's filters for the scope's units: none for the whole district; a unit with the
    units below it, or a leader's portfolio; None when no one list shows them (a head of several units)."""
    if scope.district:
        return {}
    if not scope.totals_linked:
        return None
    query = dict(scope.query)
    if "unit" in query:  # the registry's own `unit` is the issuing unit alone
        query["within"] = query.pop("unit")
    return query


def _in_scope(scope, base: dict | None):
    if base is not None:  # the registry's own filters, so the registry shows what is counted
        return RuleLinksForm(base).apply(Rule.objects.all())
    return Rule.objects.filter(scope.units_condition("issuing_unit__"))


def tiles(scope, today: dt.date) -> list[Tile]:
    base, path = _scope_query(scope), reverse("rules:rule_list")
    rules = _in_scope(scope, base)
    year = today.year
    counts = rules.aggregate(
        **{how: Count("pk", filter=changed_in(year, how)) for how in CHANGES},
        drafting=Count("pk", filter=Q(status=RuleStatus.DRAFTING)),
        revising=Count("pk", filter=Q(status=RuleStatus.REVISING)),
        review=Count("pk", filter=under_review()),
    )

    def figure(label, value, query: dict) -> Figure:
        return Figure(str(label), value) if base is None else Figure.linked(str(label), value, path, {**base, **query})

    figures = [figure(CHANGE_LABELS[how] % {"year": year}, counts[how], {how: year}) for how in CHANGES]
    figures += [
        figure(RuleStatus.DRAFTING.label, counts["drafting"], {"status": RuleStatus.DRAFTING}),
        figure(RuleStatus.REVISING.label, counts["revising"], {"status": RuleStatus.REVISING}),
        figure(_("Under periodic review"), counts["review"], {"review": "open"}),
    ]
    return [Tile(_("Rules"), figures)]
