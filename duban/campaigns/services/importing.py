"""Problem reports an office's own campaign ledger records (`duban.campaigns.imports`): each row
the ledger import writes becomes a report in the campaign, in the state the office recorded, so
the campaign's pages, map and figures show what was found before the platform was used."""

from __future__ import annotations

import datetime as dt

from duban.campaigns import routing
from duban.campaigns.choices import ReportSource, ReportState
from duban.campaigns.models import Campaign, Category, Report, ReportEvent, ReportTally
from duban.campaigns.services.common import build_event, clean_text, route_data
from duban.campaigns.stats import tally_key, tally_rows
from duban.core.bulk import insert_many
from duban.core.workdays import moment
from duban.orgs.models import Unit, User

MAX_DESCRIPTION = 4000
# A row's state in the office's ledger, as the report's: still to be dealt with, awaiting
# verification, or rectified.
IMPORTED_STATES = (ReportState.ACCEPTED, ReportState.FIXED, ReportState.CLOSED)


def report_record_imported(
    *,
    actor: User | None,
    campaign: Campaign,
    table: routing.RoutingTable,
    category: Category,
    address: str,
    lat: float,
    lng: float,
    unit: Unit,
    description: str,
    state: str,
    expected_on: dt.date | None,
    source: dict,
    at: dt.datetime | None = None,
) -> Report:
    """A report as the office's ledger records it, routed to the row's responsible unit (the
    office's word, not the campaign's rules), with the events that say where it came from
    (`source`: file, sheet, row). Its ledger item is the import's."""
    if state not in IMPORTED_STATES:
        raise ValueError(f"an imported report is accepted, fixed or closed, not {state}")
    now, _today = moment(at)
    route = table.route(category, lat, lng)
    report = Report(
        campaign=campaign,
        category=category,
        description=clean_text(description[:MAX_DESCRIPTION], "description", MAX_DESCRIPTION),
        address=clean_text(address[:200], "address", 200),
        lat=lat,
        lng=lng,
        area=route.area,
        street=route.street,
        zone=route.zone,
        source=ReportSource.LEDGER,
        routed_unit=unit,
        chief=route.chief if route.unit is not None and route.unit.pk == unit.pk else None,
        state=state,
        accepted_at=now,
        expected_on=expected_on,
        fixed_at=now if state != ReportState.ACCEPTED else None,
        closed_at=now if state == ReportState.CLOSED else None,
        created_at=now,
        updated_at=now,
    )
    report.refresh_search_tokens()  # written by bulk statements, not save()
    insert_many(Report, [report])
    insert_many(ReportTally, tally_rows([tally_key(report)]))
    insert_many(
        ReportEvent,
        [
            build_event(report, "campaigns.report.imported", actor=actor, to_state=state, data=source, at=now),
            build_event(report, "campaigns.report.routed", data=route_data(unit, report.chief), at=now),
        ],
    )
    return report


def imported_reports_remove(ids: list[int]) -> None:
    """Remove reports a withdrawn import made (with their events and counts), as if never made."""
    reports = list(Report.objects.filter(pk__in=ids, source=ReportSource.LEDGER))
    if not reports:
        return
    counts = tally_rows([tally_key(report) for report in reports])
    for tally in counts:
        tally.n = -tally.n
    insert_many(ReportTally, counts)
    ReportEvent.objects.filter(report__in=reports).delete()
    Report.objects.filter(pk__in=[report.pk for report in reports]).delete()
