"""What construction contracts tell the ledger about a key node's item: the node governs it.

| item action | what happens |
| --- | --- |
| acknowledge, start | the ledger's own (the owner signs for the node) |
| submit, accept, return, close | refused: the owner records the node's actual date on the contract |
| cancel, reopen | refused: a contract's nodes end with the contract |

The owner and the planned date are the contract's: edits of them and extensions are refused.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duban.contracts.models import KeyNode
from duban.ledger.choices import ItemState
from duban.ledger.owners import OwnedItemRefused, SubjectOwner, refused_elsewhere

OPEN = {ItemState.ASSIGNED, ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS}


class NodeOwner(SubjectOwner):
    model = KeyNode
    url_name = "contracts:contract_detail"

    def url(self, subject) -> str:
        from django.urls import reverse

        return reverse(self.url_name, args=[subject.contract_id])

    def describe(self, subject) -> str:
        return _("key node of construction contract %(number)s") % {"number": subject.contract.number}

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        if action in ("submit", "accept", "return", "close"):
            return refused_elsewhere(self, subject, _("the owner records the node's actual date"))
        if action in ("cancel", "reopen"):
            return refused_elsewhere(self, subject, _("a contract's nodes end with the contract"))
        return None

    def check_update(self, subject, item, changes: dict) -> None:
        if {"lead_unit", "deadline"} & set(changes):
            raise refused_elsewhere(self, subject, _("the contract fixes the owner and the planned date"))

    def check_extension(self, subject, item, new_deadline) -> None:
        raise refused_elsewhere(self, subject, _("the contract fixes the owner and the planned date"))

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("a key node is one item"))

    def disagreements(self, subject) -> list[str]:
        from duban.ledger.models import Item

        node = KeyNode.objects.select_related("contract").get(pk=subject.pk)
        item = Item.objects.for_subject(node).order_by("-pk").first()
        if item is None:
            return [f"node {node.pk} has no item"]
        wanted = {ItemState.CLOSED} if node.actual_on is not None else OPEN
        problems = []
        if item.state not in wanted:
            problems.append(f"node {node.pk} ({node.actual_on}), its item {item.number} is {item.state}")
        if item.lead_unit_id != node.contract.owner_id:
            problems.append(f"node {node.pk}'s item led by {item.lead_unit_id}")
        return problems
