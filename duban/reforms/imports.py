"""A reform ledger imported from the office's own workbook: a row naming its special group
becomes a reform, and its item the reform's own (`duban.ledger.owners.import_subjects`);
milestones are then added on the reform's page as for any reform."""

from __future__ import annotations

from django.utils.translation import ngettext

from duban.ledger.models import ImportJob, Item
from duban.reforms.choices import ReformLevel, SpecialGroup
from duban.reforms.models import Reform
from duban.reforms.services import reform_register


class ImportedReforms:
    model = Reform

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.created: dict[str, list[int]] = {"reforms": []}

    def subject_of(self, spec: dict) -> dict:
        """The spec with its reform as subject, when the row records one (matched by year and title)."""
        wanted = spec.get("reform")
        if not wanted:
            return spec
        year = self.job.ledger.year
        reform = Reform.objects.filter(year=year, title=spec["title"][:200]).first()
        if reform is None:
            reform = reform_register(
                actor=None,  # the import is the office's; the reform office's rule is for its pages
                year=year,
                level=wanted["level"],
                group=wanted["group"],
                title=spec["title"][:200],
                goals=wanted["goals"],
                deadline=spec["deadline"],
                lead_unit=spec["lead_unit"],
                co_units=[unit for unit, _part in spec.get("co_units", [])],
            )
            self.created["reforms"].append(reform.pk)
        return {**spec, "subject": reform}

    @staticmethod
    def summary(created: dict) -> list[str]:
        n = len(created.get("reforms", []))
        return [ngettext("%(n)s reform", "%(n)s reforms", n) % {"n": n}] if n else []

    @staticmethod
    def values_of_many(ids) -> dict[int, dict]:
        """What a row in the office's layout shows of each reform, by its id."""
        return {
            reform.pk: {
                "special_group": str(SpecialGroup(reform.group).label),
                "reform_level": str(ReformLevel(reform.level).label),
                "goals": reform.goals,
            }
            for reform in Reform.objects.filter(pk__in=ids)
        }

    @staticmethod
    def remove(created: dict) -> None:
        """A withdrawn import's reforms go with its items, unless something else has come to need them."""
        for reform in Reform.objects.filter(pk__in=created.get("reforms", [])):
            if not Item.objects.for_subject(reform).exists():
                reform.lead_leaders.clear()
                reform.co_units.clear()
                reform.delete()
