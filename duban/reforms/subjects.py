"""What reforms tell the ledger about their subjects: a reform governs its own item and milestones.

| on a reform's items | what happens |
| --- | --- |
| acknowledge, report, submit, review, close, cancel | the ledger's own: the reform reads them |
| reopen (回头看) | refused: a look-back is recorded on the reform's page (a relapse reopens them) |
| edit the title or content of the reform's own item | refused: they are the reform's title and goals |
| extend the reform's own item | refused: the reform's deadline moves by an adjustment |
| extend a milestone past the reform's deadline | refused: adjust the reform first |
| add a sub-item | refused: milestones are added on the reform's page |

Carried into a new year, the reform's own item and its milestones keep their tree; the reform
reads its items through `Item.subject`, so it follows them with nothing to store.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from duban.ledger.choices import ENDED_STATES, ItemState
from duban.ledger.models import Item
from duban.ledger.owners import OwnedItemRefused, SubjectOwner, refused_elsewhere
from duban.reforms.models import Reform


class ReformOwner(SubjectOwner):
    model = Reform
    url_name = "reforms:reform_detail"

    def describe(self, subject) -> str:
        inner = subject.title.replace("“", "‘").replace("”", "’")  # quotes inside quotes are single
        return _("reform “%(title)s”") % {"title": inner}

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        if action == "reopen":
            return refused_elsewhere(self, subject, _("record a look-back"))
        return None

    def check_update(self, subject, item, changes: dict) -> None:
        if item.parent_id is None and {"title", "content"} & set(changes):
            raise refused_elsewhere(self, subject, _("change the reform's title, or its goals by an adjustment"))

    def check_extension(self, subject, item, new_deadline) -> None:
        if item.parent_id is None:
            raise refused_elsewhere(self, subject, _("ask for an adjustment of its deadline"))
        if new_deadline > subject.deadline:
            raise refused_elsewhere(
                self,
                subject,
                _("a milestone cannot fall after the reform's deadline (%(date)s); adjust the reform")
                % {"date": subject.deadline},
            )

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("add milestones"))

    def disagreements(self, subject) -> list[str]:
        reform = Reform.objects.get(pk=subject.pk)
        items = list(Item.objects.for_subject(reform))
        root = reform.item
        if root is None:
            return [f"reform {reform.pk} has items but none of its own"] if items else []
        problems = []
        if root.state not in ENDED_STATES and root.title != reform.title:
            problems.append(f"reform {reform.pk} is “{reform.title}”, its item “{root.title}”")
        if root.state not in ENDED_STATES and root.state != ItemState.DRAFT and root.carried_from_id is None:
            if root.effective_deadline != reform.deadline:
                problems.append(f"reform {reform.pk} due {reform.deadline}, its item {root.effective_deadline}")
        current = [item for item in items if item.ledger_id == root.ledger_id and item.pk != root.pk]
        for item in current:
            if item.parent_id != root.pk:
                problems.append(f"reform {reform.pk}: milestone {item.number} is not under its own item")
        return problems
