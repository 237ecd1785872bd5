"""Urban renewal on the cockpit (领导驾驶舱): administrative mediation (cases in mediation, those past
their mediation period, those settled by agreement this year) and the supervised funds (released
this year and in all, summed from the releases as `/renewal/funds/` sums them, and the releases
awaiting approval). Everything counts by the project's street; each figure links to the cases list
or the releases list filtered to exactly the rows behind it (both open to every official and show
the district's overseers every project, a street's people their own)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.cockpit.tiles import Figure, Tile
from duban.renewal.choices import AWAITING_APPROVAL, CaseState, ReleaseState
from duban.renewal.forms import AWAITING
from duban.renewal.models import ZERO, MediationCase, Release, past_period, released_in, settled_in


def yuan(amount) -> str:
    """An amount as the funds page shows it: thousands grouped, two decimals."""
    return floatformat(amount or ZERO, "2g")


def tiles(scope, today: dt.date) -> list[Tile]:
    base = scope.list_query
    year = today.year

    def figure(label, value, path: str, query: dict, tone: str = "") -> Figure:
        if base is None:
            return Figure(str(label), value, tone=tone)
        return Figure.linked(str(label), value, path, {**base, **query}, tone=tone)

    cases = scope.narrowed(MediationCase.objects.all(), "project__street").aggregate(
        mediating=Count("pk", filter=Q(state=CaseState.MEDIATING)),
        late=Count("pk", filter=past_period(today)),
        settled=Count("pk", filter=settled_in(year)),
    )
    path = reverse("renewal:cases")
    mediation = Tile(_("Administrative mediation"), [
        figure(CaseState.MEDIATING.label, cases["mediating"], path, {"state": CaseState.MEDIATING}),
        figure(_("Past the mediation period"), cases["late"], path, {"overdue": "1"},
               tone="bad" if cases["late"] else ""),
        figure(_("Settled by agreement this year"), cases["settled"], path, {"settled": year}),
    ])  # fmt: skip

    releases = scope.narrowed(Release.objects.all(), "account__project__street").aggregate(
        this_year=Sum("amount", filter=released_in(year)),
        in_all=Sum("amount", filter=released_in()),
        awaiting=Count("pk", filter=Q(state__in=AWAITING_APPROVAL)),
    )
    path = reverse("renewal:releases")
    released = {"state": ReleaseState.RELEASED}
    funds = Tile(_("Supervised funds"), [
        figure(_("Released this year (yuan)"), yuan(releases["this_year"]), path, {**released, "year": year}),
        figure(_("Released in all (yuan)"), yuan(releases["in_all"]), path, released),
        figure(_("Releases awaiting approval"), releases["awaiting"], path, {"state": AWAITING}),
    ])  # fmt: skip
    return [mediation, funds]
