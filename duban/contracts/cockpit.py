"""Construction contracts on the cockpit (领导驾驶舱): the scope's contracts (by their owner) in
performance, those with a key node overdue or reached late, and the penalties owed and rewards
earned by their key nodes so far. Each figure links to the contract list filtered to exactly the
contracts it counts (the list adds up the same rewards and penalties): the figures are counted from
the list's own filters, bound to the query they link with."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.cockpit.tiles import Figure, Tile
from duban.contracts.choices import ContractState
from duban.contracts.forms import NODE_LABELS, ContractFilterForm
from duban.contracts.models import Contract, KeyNode, by_nodes, node_condition, node_totals


def _in_scope(scope, base: dict | None, today: dt.date):
    if base is not None:  # the list's own filters, so the list shows what is counted
        return ContractFilterForm(base).apply(Contract.objects.all(), today)
    # A head of several units: no one list shows their contracts, so the figures link nowhere.
    return Contract.objects.filter(scope.units_condition("owner__"))


def money(amount) -> str:
    return f"{amount:,.2f}"


def tiles(scope, today: dt.date) -> list[Tile]:
    base = dict(scope.query) if scope.totals_linked else None
    contracts = _in_scope(scope, base, today)
    found = contracts.aggregate(
        performing=Count("pk", filter=Q(state=ContractState.PERFORMING)),
        **{which: Count("pk", filter=by_nodes(which, today)) for which in ("overdue", "late")},
    )
    nodes = KeyNode.objects.filter(contract__in=contracts).aggregate(
        **{which: Count("pk", filter=node_condition(which, today)) for which in ("overdue", "late")}
    )
    totals = node_totals(contracts)
    path = reverse("contracts:home")

    def figure(label, value, query: dict, tone: str = "") -> Figure:
        if base is None:
            return Figure(str(label), value, tone=tone)
        return Figure.linked(str(label), value, path, {**base, **query}, tone=tone)

    figures = [
        figure(ContractState.PERFORMING.label, found["performing"], {"state": ContractState.PERFORMING}),
        figure(NODE_LABELS["overdue"], found["overdue"], {"nodes": "overdue"}, "bad" if found["overdue"] else ""),
        figure(NODE_LABELS["late"], found["late"], {"nodes": "late"}, "bad" if found["late"] else ""),
        figure(_("Penalties so far (yuan)"), money(totals["penalties"]), {"outcome": "penalty"},
               "bad" if totals["penalties"] else ""),
        figure(_("Rewards so far (yuan)"), money(totals["rewards"]), {"outcome": "reward"},
               "good" if totals["rewards"] else ""),
    ]  # fmt: skip
    note = _("Key nodes: %(overdue)s overdue, %(late)s reached late.") % nodes
    return [Tile(_("Construction contracts"), figures, note=note)]
