"""Who may manage reforms: office admins, supervisors, and the staff of an office that owns a
reform tasks ledger (the reform office, 区委改革办). Every official may read them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from duban.ledger import access as ledger_access
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.orgs import access as org_access
from duban.orgs.models import User


def can_manage_reforms(user) -> bool:
    if ledger_access.is_supervisor(user):
        return True
    return any(ledger_access.acts_for_office(user, ledger) for ledger in Ledger.objects.filter(kind=LedgerKind.REFORM))


def require_manager(user) -> None:
    if not can_manage_reforms(user):
        raise PermissionDenied(_("Only the reform office and supervisors manage reforms."))


def check_manager(actor: User | None) -> None:
    """`None` is the system (the demo); a person must be allowed to manage reforms."""
    if actor is not None:
        require_manager(actor)


def require_reader(user) -> None:
    org_access.require_official(user)
