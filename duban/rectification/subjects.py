"""What audit rectification tells the ledger about its subjects: an audit finding's measures.

A finding's rectification status is read from its items (`services.finding_status`), never
stored, so the ledger's own loop keeps it right: every item action on a finding's items is the
ledger's. A measure is one item; sub-items are added as further measures on the audit's page.
Carried into a new year, a finding reads its items through `Item.subject` and follows them.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.ledger.models import Item
from duban.ledger.owners import SubjectOwner, refused_elsewhere
from duban.rectification.models import AuditFinding


class FindingOwner(SubjectOwner):
    model = AuditFinding

    def url(self, subject) -> str:
        return reverse("rectification:project_detail", args=[subject.project_id]) + f"#finding-{subject.pk}"

    def describe(self, subject) -> str:
        return _("audit finding %(number)s") % {"number": f"{subject.project.report_number}-{subject.seq}"}

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("open another rectification measure"))

    def disagreements(self, subject) -> list[str]:
        early = Item.objects.for_subject(subject).filter(ledger__year__lt=subject.project.year)
        return [f"finding {subject.pk}: {item.number} is in a ledger before the audit" for item in early]
