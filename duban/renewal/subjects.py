"""What urban renewal tells the ledger about a mediation period's item: the case governs it.

| item action | what happens |
| --- | --- |
| acknowledge, start | the ledger's own (a session on the case starts it too) |
| submit, accept, return, close | refused: the case ends with a signed agreement or a termination |
| cancel, reopen | refused: the case ends on its own page |

The bureau and the period are the acceptance notice's: edits of them and extensions from the
ledger are refused (the bureau head extends the period on the case's page).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.ledger.choices import ItemState
from duban.ledger.owners import OwnedItemRefused, SubjectOwner, refused_elsewhere
from duban.renewal.choices import CaseState
from duban.renewal.models import MediationCase

OPEN = {ItemState.ASSIGNED, ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS}
AGREEING = {
    CaseState.MEDIATING: OPEN,
    CaseState.SETTLED: {ItemState.CLOSED},
    CaseState.TERMINATED: {ItemState.CLOSED},
    CaseState.ARCHIVED: {ItemState.CLOSED},
}


class CaseOwner(SubjectOwner):
    model = MediationCase
    url_name = "renewal:case_detail"

    def url(self, subject) -> str:
        return reverse(self.url_name, args=[subject.pk])

    def describe(self, subject) -> str:
        return _("mediation case %(number)s") % {"number": subject.number}

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        if action in ("submit", "accept", "return", "close"):
            return refused_elsewhere(self, subject, _("the case ends with a signed agreement or a termination"))
        if action in ("cancel", "reopen"):
            return refused_elsewhere(self, subject, _("the case ends on its own page"))
        return None

    def check_update(self, subject, item, changes: dict) -> None:
        if {"lead_unit", "deadline"} & set(changes):
            raise refused_elsewhere(self, subject, _("the acceptance notice fixes the bureau and the period"))

    def check_extension(self, subject, item, new_deadline) -> None:
        raise refused_elsewhere(self, subject, _("the bureau head extends the period on the case's page"))

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("a mediation period is one item"))

    def disagreements(self, subject) -> list[str]:
        from duban.ledger.models import Item

        case = MediationCase.objects.get(pk=subject.pk)
        item = Item.objects.for_subject(case).order_by("-pk").first()
        if case.state not in AGREEING:
            return [f"case {case.pk} is {case.state} and has item {item.number}"] if item is not None else []
        if item is None:
            return [f"case {case.pk} is {case.state} without an item"]
        if item.state not in AGREEING[case.state]:
            return [f"case {case.pk} is {case.state}, its item {item.number} is {item.state}"]
        return []
