"""Routing a report to another unit: a submitted report is routed; an accepted one's item is
cancelled and a new one opened for the new unit, its deadline restarting or kept as the rule
routing there says."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.campaigns import routing
from duban.campaigns.choices import ReportState
from duban.campaigns.models import Chief, Report
from duban.campaigns.services.common import clean_text, record_event, route_data
from duban.campaigns.services.reports import check_action, close_items, lock_reports, open_items
from duban.campaigns.stats import tally_change, tally_key
from duban.core.workdays import moment
from duban.orgs.models import Unit, User


@transaction.atomic
def report_reroute(
    *,
    actor: User | None,
    report: Report,
    unit: Unit,
    chief: Chief | None = None,
    note: str = "",
    public_reply: str = "",
    at: dt.datetime | None = None,
) -> Report:
    """Send a wrongly routed report to another unit. An accepted report's item is cancelled and a
    new one opened for the new unit; its deadline restarts only when the rule routing this
    category and area to the new unit says so (without such a rule, it restarts). `note` (why)
    is internal; `public_reply` is what the public sees of it."""
    report = lock_reports([report])[0]
    now, today = moment(at)
    step = check_action(report, "route" if report.state == ReportState.SUBMITTED else "reroute", actor, None)
    note = clean_text(note, "note", 500, required=report.routed_unit_id is not None)
    public_reply = clean_text(public_reply, "public_reply", 500)
    if not unit.is_active:
        raise ValidationError({"unit": _("A retired unit cannot be responsible for problems.")})
    if unit.pk == report.routed_unit_id and (chief is None or chief.pk == report.chief_id):
        raise ValidationError({"unit": _("The report is already routed there.")})
    if chief is not None and chief.campaign_id != report.campaign_id:
        raise ValidationError({"chief": _("This chief belongs to another campaign.")})
    before, counted = route_data(report.routed_unit, report.chief), tally_key(report)
    table = routing.RoutingTable.of(report.campaign)
    rule = table.best_rule(report.category, report.area, unit=unit)
    restart = rule.restart_deadline if rule else True
    report.routed_unit, report.rule = unit, rule
    report.chief = chief or (rule.chief if rule else None) or table.chief_for(report.area)
    previous = report.state
    if step.code == "reroute":
        old_deadline = report.item.effective_deadline
        close_items([report], actor, _("Re-routed to %(unit)s") % {"unit": unit.name}, now)
        deadline = None if restart or old_deadline is None else max(old_deadline, today)
        open_items([report], actor, now, deadline=deadline)
        report.expected_on = report.item.effective_deadline
    report.state = step.target_from(report.state)
    report.status_note = public_reply
    report.save()
    tally_change([(counted, tally_key(report))])
    record_event(
        report,
        step.event,
        actor=actor,
        from_state=previous,
        to_state=report.state,
        note=note,
        public_note=public_reply,
        data={"before": before, "after": route_data(unit, report.chief), "deadline_restarted": restart},
        at=now,
    )
    return report
