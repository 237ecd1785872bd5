"""States, transition table, sources and labels of special campaigns and problem reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportState(models.TextChoices):
    """The public states a reporter follows (and Open311 collapses to open/closed)."""

    SUBMITTED = "submitted", pgettext_lazy("problem report", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("problem report", "Accepted")
    IN_PROGRESS = "in_progress", pgettext_lazy("problem report", "In progress")
    FIXED = "fixed", pgettext_lazy("problem report", "Fixed, awaiting verification")
    CLOSED = "closed", pgettext_lazy("problem report", "Closed")
    DUPLICATE = "duplicate", pgettext_lazy("problem report", "Duplicate")
    TRANSFERRED = "transferred", pgettext_lazy("problem report", "Transferred")
    REJECTED = "rejected", pgettext_lazy("problem report", "Rejected")


OPEN_REPORT_STATES = frozenset(
    {ReportState.SUBMITTED, ReportState.ACCEPTED, ReportState.IN_PROGRESS, ReportState.FIXED}
)
ENDED_REPORT_STATES = frozenset({ReportState.DUPLICATE, ReportState.TRANSFERRED, ReportState.REJECTED})


class ReportActor(models.TextChoices):
    OFFICE = "office", _("the campaign office")
    UNIT = "unit", _("the responsible unit")
    VERIFIER = "verifier", _("an inspector outside the responsible unit, or the reporter")


@dataclass(frozen=True)
class ReportAction:
    code: str
    label: str
    sources: frozenset[str]
    target: str
    actor: str
    needs_note: bool = False


def _action(code, label, sources, target, actor, needs_note=False) -> ReportAction:
    return ReportAction(code, label, frozenset(sources), target, actor, needs_note)


R = ReportState
# The transition table: every state change of a report is one of these actions.
REPORT_ACTIONS: dict[str, ReportAction] = {
    a.code: a
    for a in [
        _action("accept", _("Accept and dispatch"), {R.SUBMITTED}, R.ACCEPTED, ReportActor.OFFICE),
        _action("start", _("Start work"), {R.ACCEPTED}, R.IN_PROGRESS, ReportActor.UNIT),
        _action("fix", _("Report fixed"), {R.ACCEPTED, R.IN_PROGRESS}, R.FIXED, ReportActor.UNIT, True),
        _action("verify", _("Verify and close"), {R.FIXED}, R.CLOSED, ReportActor.VERIFIER),
        _action("not_fixed", _("Not fixed: reopen"), {R.FIXED, R.CLOSED}, R.IN_PROGRESS, ReportActor.VERIFIER, True),
        _action("duplicate", _("Mark as duplicate"), {R.SUBMITTED, R.ACCEPTED}, R.DUPLICATE, ReportActor.OFFICE),
        _action(
            "transfer",
            _("Transfer (not our responsibility)"),
            {R.SUBMITTED, R.ACCEPTED},
            R.TRANSFERRED,
            ReportActor.OFFICE,
            True,
        ),
        _action("reject", _("Reject"), {R.SUBMITTED, R.ACCEPTED}, R.REJECTED, ReportActor.OFFICE, True),
    ]
}

REPORT_TRANSITIONS: dict[str, set[str]] = {}
for _a in REPORT_ACTIONS.values():
    for _source in _a.sources:
        REPORT_TRANSITIONS.setdefault(_source, set()).add(_a.target)
# Re-routing (`report_reroute`, the office's) hands work in progress to another unit, accepted anew.
REPORT_TRANSITIONS[ReportState.IN_PROGRESS].add(ReportState.ACCEPTED)


class ReportSource(models.TextChoices):
    PORTAL = "portal", _("Resident, on the portal")
    INSPECTOR = "inspector", _("Grid inspector")
    OPEN311 = "open311", _("Open311 client")


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
    VERIFICATION = "verification", _("At verification")


class ChiefKind(models.TextChoices):
    ROAD = "road", _("Road chief (路长)")
    GRID = "grid", _("Grid chief (网格长)")
    AREA = "area", _("Area chief (片长)")
    VENUE = "venue", _("Venue chief (场长)")


class CoordinateSystem(models.TextChoices):
    WGS84 = "wgs84", _("WGS-84 (GPS)")
    GCJ02 = "gcj02", _("GCJ-02 (Chinese map SDKs)")


EVENT_LABELS = {
    "campaigns.report.submitted": _("Reported"),
    "campaigns.report.routed": _("Routed"),
    "campaigns.report.rerouted": _("Re-routed"),
    "campaigns.report.accepted": _("Accepted and dispatched"),
    "campaigns.report.started": _("Work started"),
    "campaigns.report.fixed": _("Reported fixed"),
    "campaigns.report.verified": _("Verified and closed"),
    "campaigns.report.not_fixed": _("Not fixed: reopened"),
    "campaigns.report.duplicate": _("Marked as duplicate"),
    "campaigns.report.transferred": _("Transferred"),
    "campaigns.report.rejected": _("Rejected"),
    "campaigns.report.followed": _("Followed"),
}
