"""Policies that reach people: publicity actions for a rule (events, mailings, visits, online
pushes) with the enterprises and practitioners they reached, the reach counted per policy without
counting an enterprise twice, and enterprises confirming receipt (签收) on the portal."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.orgs.models import User
from duban.rules import access
from duban.rules.choices import RuleStatus
from duban.rules.models import Enterprise, Outreach, OutreachEnterprise, Rule

# GB 32100-2015: 18 characters from this alphabet; the last is a check character.
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(CODE_ALPHABET.index(char) * weight for char, weight in zip(first17, CODE_WEIGHTS, strict=True))
    return CODE_ALPHABET[(31 - total % 31) % 31]


def clean_credit_code(code: str) -> str:
    """The code upper-cased, or a ValidationError saying what is wrong with it."""
    code = (code or "").strip().upper()
    if len(code) != 18 or any(char not in CODE_ALPHABET for char in code):
        raise ValidationError(
            _("“%(code)s” is not a unified social credit code: 18 digits and capital letters.") % {"code": code}
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(_("“%(code)s” has a wrong check character; check the code.") % {"code": code})
    return code


def _names(text: str) -> list[str]:
    return sorted({line.strip() for line in (text or "").splitlines() if line.strip()})


@transaction.atomic
def outreach_record(
    *,
    actor: User | None,
    rule: Rule,
    kind: str,
    held_on: dt.date,
    title: str,
    enterprises: list[tuple[str, str]] = (),
    practitioners: int = 0,
    practitioner_names: str = "",
) -> Outreach:
    """A publicity action for a rule in force: `enterprises` as (name, unified social credit code),
    practitioners by count or by name (one per line; the count is then the names')."""
    access.require_keeper(actor, rule.issuing_unit)
    if rule.status != RuleStatus.IN_FORCE:
        raise ValidationError(_("Only a rule in force is publicised."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A publicity action is recorded once it has taken place.")})
    checked, seen = [], set()
    for name, code in enterprises:
        code = clean_credit_code(code)
        if code not in seen and (name or "").strip():
            seen.add(code)
            checked.append((name.strip()[:200], code))
    names = _names(practitioner_names)
    outreach = Outreach(
        rule=rule, kind=kind, held_on=held_on, title=title.strip(), practitioners=len(names) or practitioners,
        practitioner_names="\n".join(names), created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    outreach.full_clean()
    outreach.save()
    known = Enterprise.objects.in_bulk([code for _name, code in checked], field_name="credit_code")
    new = [Enterprise(name=name, credit_code=code) for name, code in checked if code not in known]
    Enterprise.objects.bulk_create(new)
    known.update({enterprise.credit_code: enterprise for enterprise in new})
    OutreachEnterprise.objects.bulk_create(
        OutreachEnterprise(outreach=outreach, enterprise=known[code], token=secrets.token_urlsafe(18))
        for _name, code in checked
    )
    return outreach


@dataclass
class Reach:
    enterprises: int = 0  # each enterprise once, however often reached
    confirmed: int = 0  # enterprises that confirmed receipt
    practitioners: int = 0  # named practitioners once, plus the counts of actions that gave a count
    actions: int = 0


def reach_of(rules) -> Reach:
    """The reach of a set of rules (one policy, or a unit's): enterprises and named practitioners
    counted once, whichever actions reached them."""
    actions = list(Outreach.objects.filter(rule__in=rules))
    reached = OutreachEnterprise.objects.filter(outreach__in=actions)
    names: set[str] = set()
    counted = 0
    for action in actions:
        if action.practitioner_names:
            names.update(action.practitioner_names.splitlines())
        else:
            counted += action.practitioners
    return Reach(
        enterprises=reached.values("enterprise").distinct().count(),
        confirmed=reached.filter(confirmed_at__isnull=False).values("enterprise").distinct().count(),
        practitioners=counted + len(names),
        actions=len(actions),
    )


@transaction.atomic
def receipt_confirm(*, token: str, credit_code: str, confirmed_by: str) -> OutreachEnterprise:
    """An enterprise confirms, from its receipt link, that the policy reached it; its code must
    be the one the link was made for. Confirming again changes nothing."""
    reached = (
        OutreachEnterprise.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .filter(token=token)
        .first()
    )
    if reached is None:
        raise ValidationError(_("This receipt link is not valid."))
    try:
        code = clean_credit_code(credit_code)
    except ValidationError as error:
        raise ValidationError({"credit_code": error.messages}) from None
    if code != reached.enterprise.credit_code:
        raise ValidationError({"credit_code": _("The code is not the one this policy was sent to.")})
    name = (confirmed_by or "").strip()
    if not name:
        raise ValidationError({"confirmed_by": _("Give the name of the person confirming.")})
    if reached.confirmed_at is None:
        reached.confirmed_at, reached.confirmed_by = timezone.now(), name[:60]
        reached.save(update_fields=["confirmed_at", "confirmed_by"])
    return reached
