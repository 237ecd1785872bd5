"""The campaign's exports (duban.downloads): its problem reports as the queue's filter selects them,
read again with the asker's rights from the query string the list was drawn with."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from duban.campaigns import queue
from duban.campaigns.choices import ReportSource, ReportState
from duban.campaigns.models import Campaign
from duban.core.views import whole_number
from duban.downloads.kinds import Export, ExportKind, counter, titled
from duban.orgs import access as org_access

REPORTS = "campaigns.reports"


def queue_reports(campaign: Campaign, query):
    reports = campaign.reports.select_related("category", "street", "routed_unit")
    return queue.filtered(reports, query, timezone.localdate()).order_by("-created_at", "-id")


def reports_export(user, query) -> Export:
    org_access.require_official(user)
    campaign = get_object_or_404(Campaign, pk=whole_number(query.get("campaign")) or 0)
    reports = queue_reports(campaign, query)
    headers = [
        _("No."), _("Category"), _("Description"), _("Address"), _("Street"), _("Area"), _("Latitude"),
        _("Longitude"), _("Source"), _("Status"), _("Responsible unit"), pgettext("date column", "Reported"),
        _("Expected by"), pgettext("problem report", "Closed at"), _("On time"),
    ]  # fmt: skip
    labels, sources = dict(ReportState.choices), dict(ReportSource.choices)

    def rows():
        values = reports.values_list(
            "pk", "category__name", "description", "address", "street__name", "area__name", "lat", "lng", "source",
            "state", "routed_unit__name", "created_at", "expected_on", "closed_at", "on_time",
        )  # fmt: skip
        for row in values.iterator(chunk_size=2000):
            *head, source, state, unit, created, expected, closed, on_time = row
            yield [
                *head, str(sources.get(source, source)), str(labels.get(state, state)), unit or "", created, expected,
                closed, "" if on_time is None else (pgettext("yes/no", "yes") if on_time else pgettext("yes/no", "no")),
            ]  # fmt: skip

    what = _("%(campaign)s: problem reports") % {"campaign": campaign.name}
    summary = queue.summary(query)
    filename = "-".join(part for part in (what, summary[:40], f"{timezone.localdate():%Y%m%d}") if part) + ".xlsx"
    kept = query.copy()
    kept.pop("campaign", None)
    back = reverse("campaigns:report_queue", args=[campaign.pk]) + (f"?{kept.urlencode()}" if kept else "")
    return Export(filename, titled(what, summary), [(_("Problem reports"), headers, rows())], counter(reports), back)


KINDS = [ExportKind(REPORTS, reports_export)]
