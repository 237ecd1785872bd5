"""The green channel on the cockpit (领导驾驶舱): the scope's requests paid this year and how fast
(the median days from submission to payment by channel, as the statistics page computes it), the
requests the centre is working on now, and those whose documents to follow (容缺) are overdue. Each
figure links to the payment requests list filtered to exactly the requests behind it (by the
requesting unit); the list opens to every official and shows the centre's overseers every unit's
requests, a unit's people their own."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.cockpit.tiles import Figure, Tile
from duban.payments.choices import Channel, RequestState
from duban.payments.forms import AT_CENTRE
from duban.payments.models import PaymentRequest, at_centre, paid_in, with_overdue_gaps
from duban.payments.stats import median_days_to_pay

CHANNELS = (Channel.GREEN, Channel.NORMAL)


def tiles(scope, today: dt.date) -> list[Tile]:
    base = scope.list_query
    requests = scope.narrowed(PaymentRequest.objects.all())
    year = today.year
    counts = requests.aggregate(
        paid=Count("pk", filter=paid_in(year)),
        **{channel: Count("pk", filter=paid_in(year) & Q(channel=channel)) for channel in CHANNELS},
        waiting=Count("pk", filter=at_centre()),
        overdue=Count("pk", filter=with_overdue_gaps()),
    )
    path = reverse("payments:home")

    def figure(label, value, query: dict, tone: str = "") -> Figure:
        if base is None:
            return Figure(str(label), value, tone=tone)
        return Figure.linked(str(label), value, path, {**base, **query}, tone=tone)

    paid = {"state": RequestState.PAID, "paid": year}
    figures = [figure(_("Paid this year"), counts["paid"], paid)]
    for channel in CHANNELS:
        found = requests.filter(paid_in(year), channel=channel, submitted_at__isnull=False)
        median = median_days_to_pay(found) if counts[channel] else None
        label = _("%(channel)s: median days to pay") % {"channel": channel.label}
        figures.append(figure(label, "—" if median is None else median, {**paid, "channel": channel}))
    overdue = counts["overdue"]
    figures.append(figure(_("Waiting at the centre"), counts["waiting"], {"state": AT_CENTRE}))
    figures.append(figure(_("Requests with documents to follow overdue"), overdue, {"gaps": "overdue"},
                          tone="bad" if overdue else ""))  # fmt: skip
    note = _("Days from submission to payment, of the requests paid this year.")
    return [Tile(_("Treasury green channel"), figures, note=note)]
