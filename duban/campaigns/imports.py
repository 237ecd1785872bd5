"""A campaign ledger imported from the office's own workbook: a row saying where its problem is
becomes a problem report in the campaign (`duban.ledger.owners.import_subjects`), in the state the
office recorded, and its item is the report's own."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from duban.campaigns import routing
from duban.campaigns.choices import ReportState
from duban.campaigns.models import Campaign, Report
from duban.campaigns.services.importing import imported_reports_remove, report_record_imported
from duban.ledger.models import ImportedDoneAs, ImportJob, Ledger


def _category_named(categories: list, written: str):
    """The campaign's category the sheet names: by its whole name, else the one name it contains or is contained in."""
    exact = [category for category in categories if category.name == written]
    if exact:
        return exact[0]
    near = [category for category in categories if written and (written in category.name or category.name in written)]
    return near[0] if len(near) == 1 else None


class ImportedReports:
    model = Report

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        # A campaign-kind ledger opened by hand has no campaign: its rows stay items.
        self.campaign = Campaign.objects.filter(ledger=job.ledger).first()
        self.created: dict[str, list[int]] = {"reports": []}

    @functools.cached_property
    def table(self) -> routing.RoutingTable:
        return routing.RoutingTable.of(self.campaign)

    @functools.cached_property
    def categories(self) -> dict:
        return self.campaign.categories.in_bulk()

    @staticmethod
    def row_checker(ledger: Ledger):
        """Read a row's problem: its category, one of the campaign's, and its place, found from the
        address or else from the responsible street or community. A row without an address stays
        an item only."""
        campaign = Campaign.objects.filter(ledger=ledger).first()
        if campaign is None:
            return None
        categories = list(campaign.categories.order_by("sort_order", "pk"))
        names = "、".join(category.name for category in categories)

        def check(spec: dict, cell, error) -> None:
            address = str(cell("address") or "")
            if not address:
                return
            if len(address) > 200:
                error("address", _("At most %(n)s characters.") % {"n": 200})
            written = str(cell("category") or "")
            category = _category_named(categories, written) if written else None
            if category is None and not written and len(categories) == 1:
                category = categories[0]
            if category is None:
                error(
                    "category",
                    _("“%(value)s” is not a category of this campaign: write one of %(names)s.")
                    % {"value": written, "names": names},
                )
            place = routing.place_address(address) or routing.place_address(spec["lead_unit"].name)
            if place is not None:
                try:
                    routing.locate(*place)
                except ValidationError:
                    place = None
            if place is None:
                error(
                    "address",
                    _("“%(value)s” names no street, community, road or zone of the district: add one.")
                    % {"value": address},
                )
            if category is not None and place is not None:
                spec["report"] = {"address": address, "category": category.pk, "lat": place[0], "lng": place[1]}

        return check

    def subject_of(self, spec: dict) -> dict:
        """The spec with its new report as subject, when the row says where its problem is."""
        wanted = spec.get("report")
        if not wanted or self.campaign is None:
            return spec
        if not spec.get("done"):
            state = ReportState.ACCEPTED
        elif self.job.done_as == ImportedDoneAs.SUBMITTED:
            state = ReportState.FIXED
        else:
            state = ReportState.CLOSED
        report = report_record_imported(
            actor=self.job.created_by,
            campaign=self.campaign,
            table=self.table,
            category=self.categories[wanted["category"]],
            address=wanted["address"],
            lat=wanted["lat"],
            lng=wanted["lng"],
            unit=spec["lead_unit"],
            description=spec.get("content") or spec["title"],
            state=state,
            expected_on=spec.get("deadline"),
            source={"file": self.job.name, "sheet": self.job.sheet, "row": spec.get("row")},
        )
        self.created["reports"].append(report.pk)
        return {**spec, "subject": report}

    @staticmethod
    def summary(created: dict) -> list[str]:
        n = len(created.get("reports", []))
        return [ngettext("%(n)s problem report", "%(n)s problem reports", n) % {"n": n}] if n else []

    @staticmethod
    def values_of_many(ids) -> dict[int, dict]:
        """What a row in the office's layout shows of each report, by its id."""
        return {
            pk: {"address": address} for pk, address in Report.objects.filter(pk__in=ids).values_list("pk", "address")
        }

    @staticmethod
    def remove(created: dict) -> None:
        """A withdrawn import's reports go with its items."""
        imported_reports_remove(created.get("reports", []))
