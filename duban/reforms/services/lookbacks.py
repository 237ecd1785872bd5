"""Looking back at earlier reforms (回头看) and writing up their outcomes for the case library."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.derived import Built, built_from
from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.ledger.services import item_transition
from duban.orgs.models import User
from duban.reforms.access import check_manager
from duban.reforms.choices import LookBackOutcome
from duban.reforms.models import Case, LookBack, Reform
from duban.reforms.services.reforms import reform_items


@transaction.atomic
def lookback_record(
    *,
    actor: User | None,
    reform: Reform,
    year: int,
    outcome: str,
    findings: str,
    rules: str = "",
    replicated_by: str = "",
    at: dt.datetime | None = None,
) -> LookBack:
    """Record a look-back of an earlier year's reform. A relapse reopens the reform's finished
    ledger items (the ledger's `reopen`, with the findings as the reason) so the loop runs again.
    Institutionalised needs its rules: in effect in the registry, built from the reform, or named in
    `rules` when they are outside it."""
    check_manager(actor)
    at, _today = moment(at)
    reform = Reform.objects.select_for_update().get(pk=reform.pk)
    if year <= reform.year:
        raise ValidationError({"year": _("A look-back checks a reform of an earlier year.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write what the look-back found.")})
    if outcome == LookBackOutcome.INSTITUTIONALISED and not (rules.strip() or rules_in_effect(reform)):
        raise ValidationError(
            {
                "rules": _(
                    "No rule in effect in the registry was built from this reform: build it from the reform's "
                    "page in the rules registry, or name here the rules outside the registry it produced."
                )
            }
        )
    if outcome == LookBackOutcome.REPLICATED and not replicated_by.strip():
        raise ValidationError({"replicated_by": _("Say who replicated the reform.")})
    lookback = LookBack(
        reform=reform,
        year=year,
        outcome=outcome,
        findings=findings.strip(),
        rules=rules.strip(),
        replicated_by=replicated_by.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=at,
    )
    lookback.full_clean()
    if outcome == LookBackOutcome.RELAPSED:
        milestones_first = sorted(reform_items(reform), key=lambda item: item.parent_id is None)
        finished = [item for item in milestones_first if item.state in ("done", "closed")]
        if not finished:
            raise ValidationError(_("The reform has no finished ledger items to reopen."))
        for item in finished:
            item_transition(
                actor=actor, item=item, action="reopen", reason=f"回头看：{findings.strip()}", at=at, owner_rule=True
            )
        lookback.reopened = len(finished)
    lookback.save()
    return lookback


def rules_in_effect(reform: Reform) -> list[Built]:
    """The registry's rules in effect built from the reform: what an institutionalised look-back
    found, as links rather than typed titles."""
    return [record for record in built_from([reform]).get(reform.pk, []) if record.counts]


@transaction.atomic
def case_save(*, actor: User | None, case: Case | None = None, publish: bool = False, **fields) -> Case:
    """Write up (or edit) a case; publishing puts it on the portal's case library."""
    check_manager(actor)
    case = case or Case()
    for name, value in fields.items():
        setattr(case, name, value)
    if publish and case.published_at is None:
        case.published_at = timezone.now()
    case.full_clean()
    save_with_history(case, actor=actor, reason="reforms.case.saved")
    return case
