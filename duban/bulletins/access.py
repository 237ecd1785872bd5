"""Who may do what with bulletins: the supervising office and the supervisors compose, edit and
issue them; every official reads the issued ones; residents and outside bodies see none."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from duban.bulletins.choices import BulletinState
from duban.bulletins.models import Bulletin
from duban.ledger.access import is_supervisor
from duban.orgs import access as org_access


def may_write(user) -> bool:
    return user is None or is_supervisor(user)


def may_read(user) -> bool:
    return org_access.is_official(user)


def require_writer(user) -> None:
    if not may_write(user):
        raise PermissionDenied(_("Bulletins are composed and issued by the supervising office."))


def bulletins_for(user):
    if not may_read(user):
        raise PermissionDenied(_("Bulletins are for the district's officials."))
    found = Bulletin.objects.select_related("scope_unit", "issuer")
    return found if may_write(user) else found.filter(state=BulletinState.ISSUED)


def get_bulletin_for_user(user, pk: int) -> Bulletin:
    return get_object_or_404(bulletins_for(user), pk=pk)
