"""Who may manage audit rectification: office admins, supervisors, and the staff of an office that
owns an audit rectification ledger (the audit bureau). Every official may read the reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from duban.ledger import access as ledger_access
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.orgs import access as org_access


def can_manage_audits(user) -> bool:
    if ledger_access.is_supervisor(user):
        return True
    return any(ledger_access.acts_for_office(user, ledger) for ledger in Ledger.objects.filter(kind=LedgerKind.AUDIT))


def require_manager(user) -> None:
    if not can_manage_audits(user):
        raise PermissionDenied(_("Only the audit rectification office and supervisors manage audits."))


def require_reader(user) -> None:
    org_access.require_official(user)
