"""Creating and configuring ledgers: name, year, kind, owning office, numbering and policies."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.ledger import access, policies
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services.errors import LedgerPermissionError
from duban.orgs import access as org_access
from duban.orgs.models import User

DISTRICT_KINDS = (LedgerKind.REFORM, LedgerKind.AUDIT)

FIELDS = (
    "name", "year", "kind", "owner_unit", "number_prefix", "light_policy", "escalation_policy", "scoring_scheme",
    "acknowledge_working_days", "is_archived",
)  # fmt: skip


def _validate(ledger: Ledger) -> None:
    policies.validate_light_policy(ledger.light_policy)
    policies.validate_escalation_policy(ledger.escalation_policy)
    policies.validate_scoring_scheme(ledger.scoring_scheme)
    ledger.full_clean()


def _check_district_kind(actor: User | None, kind: str | None) -> None:
    """The reform tasks and audit rectification ledgers make their owning office the manager of
    reforms or audits district-wide, so only an office administrator opens one."""
    if actor is not None and kind in DISTRICT_KINDS and not org_access.is_office_admin(actor):
        raise LedgerPermissionError(_("Only an office administrator opens a reform or audit rectification ledger."))


@transaction.atomic
def ledger_create(*, actor: User | None, **data) -> Ledger:
    """Office admins open ledgers for any office; an office's own staff for their office."""
    owner = data["owner_unit"]
    if actor is not None and not (org_access.is_office_admin(actor) or org_access.can_manage_unit(actor, owner)):
        raise LedgerPermissionError(_("You can only open ledgers for your own office."))
    _check_district_kind(actor, data.get("kind"))
    ledger = Ledger(**{k: v for k, v in data.items() if k in FIELDS})
    _validate(ledger)
    save_with_history(ledger, actor=actor, reason="ledger.ledger.created")
    return ledger


def ledger_of_year(*, kind: str, year: int, owner_unit, name: str, number_prefix: str, **policies) -> Ledger:
    """The year's ledger of `kind`, opened for its owning office the first time a context's rule
    needs it (a supplement to chase, a contract's milestones)."""
    found = Ledger.objects.filter(kind=kind, year=year).order_by("pk").first()
    if found is not None:
        return found
    return ledger_create(actor=None, name=name, year=year, kind=kind, owner_unit=owner_unit,
                         number_prefix=number_prefix, **policies)  # fmt: skip


@transaction.atomic
def ledger_update(*, actor: User | None, ledger: Ledger, data: dict) -> Ledger:
    ledger = Ledger.objects.select_for_update().get(pk=ledger.pk)
    if actor is not None and not access.acts_for_office(actor, ledger):
        raise LedgerPermissionError(_("Only the owning office changes this ledger."))
    if "owner_unit" in data and data["owner_unit"] != ledger.owner_unit and not org_access.is_office_admin(actor):
        raise LedgerPermissionError(_("Only an office administrator hands a ledger to another office."))
    if "kind" in data and data["kind"] != ledger.kind:
        _check_district_kind(actor, data["kind"])
    for name in FIELDS:
        if name in data:
            setattr(ledger, name, data[name])
    _validate(ledger)
    save_with_history(ledger, actor=actor, reason="ledger.ledger.updated")
    return ledger
