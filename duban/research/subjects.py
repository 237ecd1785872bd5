"""What commissioned research tells the ledger about a milestone's item: the milestone governs it.

| item action | what happens |
| --- | --- |
| acknowledge, start | the ledger's own (the commissioning unit signs for the milestone) |
| submit | refused: the research centre records the deliverable on the project's page |
| accept, return, close | refused: the review panel's published grade decides |
| cancel, reopen | refused: the project ends on its own page |

The commissioning unit and the date are the contract's: edits of them and extensions are refused.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.ledger.choices import ItemState
from duban.ledger.owners import OwnedItemRefused, SubjectOwner, refused_elsewhere
from duban.research.models import Milestone

OPEN = {ItemState.ASSIGNED, ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED}


class MilestoneOwner(SubjectOwner):
    model = Milestone
    url_name = "research:project_detail"

    def url(self, subject) -> str:
        return reverse(self.url_name, args=[subject.contract.project_id])

    def describe(self, subject) -> str:
        return _("milestone of research project %(number)s") % {"number": subject.contract.project.number}

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        if action == "submit":
            return refused_elsewhere(self, subject, _("the research centre records the deliverable"))
        if action in ("accept", "return", "close"):
            return refused_elsewhere(self, subject, _("the review panel's grade decides"))
        if action in ("cancel", "reopen"):
            return refused_elsewhere(self, subject, _("the project ends on its own page"))
        return None

    def check_update(self, subject, item, changes: dict) -> None:
        if {"lead_unit", "deadline"} & set(changes):
            raise refused_elsewhere(self, subject, _("the contract fixes the unit and the date"))

    def check_extension(self, subject, item, new_deadline) -> None:
        raise refused_elsewhere(self, subject, _("the contract fixes the unit and the date"))

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("a milestone is one item"))

    def disagreements(self, subject) -> list[str]:
        from duban.ledger.models import Item

        milestone = Milestone.objects.select_related("contract__project__topic").get(pk=subject.pk)
        item = Item.objects.for_subject(milestone).order_by("-pk").first()
        if item is None:
            return [f"milestone {milestone.pk} has no item"]
        if milestone.accepted_at is not None:
            wanted = {ItemState.CLOSED}
        elif milestone.delivered_at is not None:
            wanted = {ItemState.SUBMITTED}
        else:
            wanted = OPEN | {ItemState.CANCELLED}
        problems = []
        if item.state not in wanted:
            problems.append(f"milestone {milestone.pk} ({milestone.stage}), its item {item.number} is {item.state}")
        if item.lead_unit_id != milestone.contract.project.topic.unit_id:
            problems.append(f"milestone {milestone.pk}'s item led by {item.lead_unit_id}")
        return problems
