"""What the green channel tells the ledger about a missing document's item: the document governs it.

| item action | what happens |
| --- | --- |
| acknowledge, start | the ledger's own |
| submit | refused: the document is supplied on the payment request, with the file |
| accept (审核通过) | the document's "confirm" (the item is accepted and closed) |
| return (退回) | the document's "will not do" |
| close, cancel, reopen | refused: confirming closes; the centre waives on the request |

The unit and the deadline are the commitment letter's: an item's responsible unit, deadline and
extensions are refused.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duban.ledger.choices import ItemState
from duban.ledger.owners import OwnedItemRefused, SubjectOwner, refused_elsewhere
from duban.payments.choices import GapState
from duban.payments.models import Gap

# The item states a missing document's item may be in, for each of its states.
AGREEING = {
    GapState.PENDING: {ItemState.ASSIGNED, ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED},
    GapState.OVERDUE: {ItemState.ASSIGNED, ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED},
    GapState.WAIVED: {ItemState.CANCELLED},
}
STEPS = {"accept": "confirm", "return": "reject"}


class GapOwner(SubjectOwner):
    model = Gap
    url_name = "payments:request_detail"

    def url(self, subject) -> str:
        from django.urls import reverse

        return reverse(self.url_name, args=[subject.request_id])

    def describe(self, subject) -> str:
        return _("missing document of payment request %(number)s") % {"number": subject.request.number}

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        if action == "submit":
            return refused_elsewhere(self, subject, _("supply the document on the payment request"))
        if action in ("close", "cancel", "reopen"):
            return refused_elsewhere(self, subject, _("the centre confirms or waives it on the payment request"))
        return None

    def take(self, action: str, items: list, subjects: dict, *, actor, reason: str, at) -> list:
        from duban.payments.services import gap_step

        left = []
        for item in super().take(action, items, subjects, actor=actor, reason=reason, at=at):
            if action in STEPS:
                gap_step(actor=actor, gap=subjects[item.subject_id], code=STEPS[action], reason=reason, at=at)
            else:
                left.append(item)
        return left

    def check_update(self, subject, item, changes: dict) -> None:
        if {"lead_unit", "deadline"} & set(changes):
            raise refused_elsewhere(self, subject, _("the commitment letter fixes the unit and the date"))

    def check_extension(self, subject, item, new_deadline) -> None:
        raise refused_elsewhere(self, subject, _("the commitment letter fixes the unit and the date"))

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("a missing document is one item"))

    def disagreements(self, subject) -> list[str]:
        from duban.ledger.models import Item

        gap = Gap.objects.select_related("request").get(pk=subject.pk)
        item = Item.objects.for_subject(gap).order_by("-pk").first()
        if item is None:
            return [f"gap {gap.pk} is committed without an item"] if gap.committed else []
        if gap.state == GapState.SUPPLIED:
            wanted = {ItemState.CLOSED} if gap.confirmed_at else {ItemState.SUBMITTED}
        else:
            wanted = AGREEING[gap.state]
        problems = []
        if item.state not in wanted:
            problems.append(f"gap {gap.pk} is {gap.state}, its item {item.number} is {item.state}")
        if item.lead_unit_id != gap.request.unit_id:
            problems.append(f"gap {gap.pk} is the unit {gap.request.unit_id}'s, item led by {item.lead_unit_id}")
        # the commitment fixed the date of the item it made; a carried-over item is next year's
        # chase of the same document, with the deadline the office set for the carry-over
        first = Item.objects.for_subject(gap).order_by("pk").first()
        if first.deadline != gap.due_on:
            problems.append(f"gap {gap.pk} due {gap.due_on}, its item due {first.deadline}")
        return problems
