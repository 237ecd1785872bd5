"""What campaigns tell the ledger about their subjects: a problem report governs its ledger item.

The report is the public face residents follow; its item is the loop the office supervises. Each
item action, from whatever entry point, becomes the report's own step, so the two never disagree:

| item action | what happens |
| --- | --- |
| acknowledge (签收) | the ledger's own (the report stays accepted) |
| start | the report's "start work" (when it is still accepted) |
| submit (报送办结) | the report's "fixed", which needs a photo taken after the work |
| return (退回) | the report's "not fixed" |
| accept (审核通过) | the report's "verify and close" (the item is accepted and closed) |
| reopen | the report's "not fixed" on a closed report |
| close (销号) | the ledger's own, for a report imported as rectified (its item is done) |
| close, cancel | otherwise refused: verification closes; rejecting, transferring or a duplicate ends a report |
| assign (交办) | of an imported report's draft item: the report is then expected by the item's deadline |

A report's responsible unit changes by re-routing it on its page, never by editing its item.

An approved extension moves the date the report is expected by; carried into a new year, the
report follows its item there.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from duban.campaigns.choices import PhotoKind, ReportState
from duban.campaigns.models import Report
from duban.campaigns.services.reports import report_follow_item, reports_transition_many
from duban.ledger.choices import ItemState
from duban.ledger.owners import OwnedItemRefused, SubjectOwner, refused_elsewhere
from duban.ledger.services import item_check, items_transition_many

# The item states a report's newest item may be in, for each report state.
AGREEING: dict[str, set[str]] = {
    # a draft only when imported from the office's own ledger, until the office assigns it
    ReportState.ACCEPTED: {ItemState.DRAFT, ItemState.ASSIGNED, ItemState.ACKNOWLEDGED},
    # assigned or acknowledged too once carried into a new year, where the unit signs for it again
    ReportState.IN_PROGRESS: {ItemState.ASSIGNED, ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED},
    ReportState.FIXED: {ItemState.SUBMITTED},
    # done (not yet 销号) only when imported as rectified from the office's own ledger
    ReportState.CLOSED: {ItemState.DONE, ItemState.CLOSED},
}
ENDED_WITHOUT_ITEM = {ReportState.DUPLICATE, ReportState.TRANSFERRED, ReportState.REJECTED}


class ReportOwner(SubjectOwner):
    model = Report
    url_name = "campaigns:report_detail"

    def describe(self, subject) -> str:
        return _("problem report #%(n)s") % {"n": subject.pk}

    def _report_action(self, action: str, report: Report) -> str | None:
        """The report's step for an item action; None leaves the action to the ledger."""
        if action == "start":
            return "start" if report.state == ReportState.ACCEPTED else None
        if action == "submit":
            if not report.photos.filter(kind=PhotoKind.AFTER).exists():
                raise refused_elsewhere(self, report, _("report it fixed with a photo taken after the work"))
            return "fix"
        if action == "return" or action == "reopen":
            return "not_fixed"
        if action == "accept":
            return "verify"
        if action == "close" and report.state == ReportState.CLOSED:
            return None  # 销号 of a report the office's ledger recorded as rectified
        if action in {"close", "cancel"}:
            raise refused_elsewhere(self, report, _("verify, reject, transfer or mark it a duplicate"))
        return None

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        try:
            self._report_action(action, subject)
        except OwnedItemRefused as refusal:
            return refusal
        return None

    def take(self, action: str, items: list, subjects: dict, *, actor, reason: str, at) -> list:
        if action == "assign":
            for item in items:
                item_check(actor=actor, item=item, action=action)
            for item in items_transition_many(
                actor=actor, items=items, action=action, reason=reason, at=at, owner_rule=True
            ):
                report_follow_item(report=subjects[item.subject_id], item=item)
            return []
        left, steps = [], defaultdict(list)
        for item in items:
            report = subjects[item.subject_id]
            step = self._report_action(action, report)
            if step is None:
                left.append(item)
            else:
                steps[step].append(report)
        for step, reports in steps.items():
            reports_transition_many(actor=actor, reports=reports, action=step, note=reason, at=at)
        return left

    def check_update(self, subject, item, changes: dict) -> None:
        if "lead_unit" in changes:
            raise refused_elsewhere(self, subject, _("re-route it"))

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("a problem is handled as one item"))

    def deadline_moved(self, subject, item) -> None:
        report_follow_item(report=subject, item=item)

    def item_continued(self, subject, old, new) -> None:
        report_follow_item(report=subject, item=new)

    def disagreements(self, subject) -> list[str]:
        report = Report.objects.get(pk=subject.pk)
        item = report.item
        if item is None:
            if report.state in AGREEING:
                return [f"report #{report.pk} is {report.state} without an item"]
            return []
        if report.state == ReportState.SUBMITTED:
            return [f"report #{report.pk} is submitted but has item {item.number} ({item.state})"]
        if report.state in ENDED_WITHOUT_ITEM:
            return [] if item.state == ItemState.CANCELLED else [f"report #{report.pk} ended, item is {item.state}"]
        problems = []
        if item.state not in AGREEING[report.state]:
            problems.append(f"report #{report.pk} is {report.state}, its item {item.number} is {item.state}")
        if item.state != ItemState.DRAFT and report.expected_on != item.effective_deadline:
            problems.append(f"report #{report.pk} expected {report.expected_on}, item due {item.effective_deadline}")
        if item.lead_unit_id != report.routed_unit_id:
            problems.append(f"report #{report.pk} routed to {report.routed_unit_id}, item led by {item.lead_unit_id}")
        return problems
