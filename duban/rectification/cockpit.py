"""Audit rectification on the leader's cockpit (领导驾驶舱): the findings of this year's audits in the
person's scope (by responsible unit), rectified, ongoing, not rectified and not yet put in the
ledger, with the money involved and recovered. Each figure links to the audit year's page filtered
to exactly the findings it counts: the figures are counted with the page's own filters, bound to
the query they link with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.cockpit.tiles import Figure, Tile
from duban.core.templatetags.figures import money
from duban.rectification.choices import FindingStatus
from duban.rectification.forms import FindingFilterForm
from duban.rectification.models import AuditFinding

TONES = {FindingStatus.RECTIFIED: "good", FindingStatus.NOT_RECTIFIED: "bad"}


def tiles(scope, today: dt.date) -> list[Tile]:
    year = today.year
    findings = AuditFinding.objects.filter(project__year=year)
    if scope.totals_linked:  # the page's own filters, so the page shows what is counted
        findings = FindingFilterForm(scope.query or None).in_scope(findings)
    else:  # a head of several units: no one page shows their findings, so the figures link nowhere
        findings = findings.filter(scope.units_condition("responsible_unit__"))
    by_status = {
        row["status"]: row
        for row in findings.with_status(today).order_by().values("status").annotate(
            n=Count("pk"), involved=Sum("amount_involved"), recovered=Sum("amount_recovered"))
    }  # fmt: skip
    path = reverse("rectification:audit_year_of", args=[year])

    def figure(label, value, status: str = "", tone: str = "") -> Figure:
        if not scope.totals_linked:
            return Figure(label, value, tone=tone)
        return Figure.linked(label, value, path, {**scope.query, **({"status": status} if status else {})}, tone)

    def total(name: str, *statuses) -> Decimal:
        return sum((row[name] or Decimal(0) for status, row in by_status.items() if status in statuses), Decimal(0))

    every = FindingStatus.values
    figures = [figure(_("Findings"), sum(row["n"] for row in by_status.values()))]
    for status in FindingStatus:
        n = by_status.get(status.value, {}).get("n", 0)
        figures.append(figure(str(status.label), n, status.value, TONES.get(status, "") if n else ""))
    late = total("involved", FindingStatus.NOT_RECTIFIED)
    figures += [
        figure(_("Amount involved"), money(total("involved", *every))),
        figure(_("Amount involved in findings not rectified"), money(late), FindingStatus.NOT_RECTIFIED,
               "bad" if late else ""),
        figure(_("Amount recovered"), money(total("recovered", *every))),
    ]  # fmt: skip
    return [Tile(_("Audit rectification, %(year)s") % {"year": year}, figures)]
