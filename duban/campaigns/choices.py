"""States, transition table, sources and labels of special campaigns and problem reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


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
# The one rule for what the public sees (portal pages, map, Open311): every report but these; a
# rejected report is seen by its reporter and by officials only (`Report.is_public`, `.public()`).
HIDDEN_REPORT_STATES = frozenset({ReportState.REJECTED})


class ReportActor(models.TextChoices):
    OFFICE = "office", _("the campaign office")
    UNIT = "unit", _("the responsible unit")
    VERIFIER = "verifier", _("an inspector outside the responsible unit, or the reporter")


R = ReportState
# The transition table: every state change of a report is one of these moves. Routing is too: a
# new report is routed (or routed again) without changing state, and an accepted report re-routed
# to another unit is accepted anew there (`report_reroute`).
E = "campaigns.report."
REPORT_ACTIONS = Table(
    ReportState,
    [
        move("accept", _("Accept and dispatch"), {R.SUBMITTED}, R.ACCEPTED, ReportActor.OFFICE, event=E + "accepted"),
        move("start", _("Start work"), {R.ACCEPTED}, R.IN_PROGRESS, ReportActor.UNIT, event=E + "started"),
        move("fix", _("Report fixed"), {R.ACCEPTED, R.IN_PROGRESS}, R.FIXED, ReportActor.UNIT, needs_reason=True,
             event=E + "fixed"),
        move("verify", _("Verify and close"), {R.FIXED}, R.CLOSED, ReportActor.VERIFIER, event=E + "verified"),
        move("not_fixed", _("Not fixed: reopen"), {R.FIXED, R.CLOSED}, R.IN_PROGRESS, ReportActor.VERIFIER,
             needs_reason=True, event=E + "not_fixed"),
        move("duplicate", _("Mark as duplicate"), {R.SUBMITTED, R.ACCEPTED}, R.DUPLICATE, ReportActor.OFFICE,
             event=E + "duplicate"),
        move("transfer", _("Transfer (not our responsibility)"), {R.SUBMITTED, R.ACCEPTED}, R.TRANSFERRED,
             ReportActor.OFFICE, needs_reason=True, event=E + "transferred"),
        move("reject", pgettext_lazy("problem report", "Reject"), {R.SUBMITTED, R.ACCEPTED}, R.REJECTED,
             ReportActor.OFFICE, needs_reason=True, event=E + "rejected"),
        move("route", _("Re-route"), {R.SUBMITTED}, None, ReportActor.OFFICE, event=E + "rerouted"),
        move("reroute", _("Re-route"), {R.ACCEPTED, R.IN_PROGRESS}, R.ACCEPTED, ReportActor.OFFICE, needs_reason=True,
             event=E + "rerouted"),
    ],
    not_now=_("“%(action)s” is not possible while the report is “%(state)s”."),
)  # fmt: skip
ROUTING_ACTIONS = frozenset({"route", "reroute"})  # their own form on the report's page


class ReportSource(models.TextChoices):
    PORTAL = "portal", _("Resident, on the portal")
    INSPECTOR = "inspector", _("Grid inspector")
    OPEN311 = "open311", _("Open311 client")
    LEDGER = "ledger", _("The office's own ledger, imported")


class PhotoKind(models.TextChoices):
    BEFORE = "before", pgettext_lazy("photo", "Before")
    AFTER = "after", pgettext_lazy("photo", "After")
    VERIFICATION = "verification", _("At verification")


class ChiefKind(models.TextChoices):
    ROAD = "road", _("Road chief")
    GRID = "grid", _("Grid chief")
    AREA = "area", _("Area chief")
    VENUE = "venue", _("Venue chief")


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
    "campaigns.report.rejected": pgettext_lazy("problem report", "Rejected"),
    "campaigns.report.followed": _("Followed"),
}
