"""Who may see and do what in the green channel. A unit sees its own requests; the treasury payment
centre, the office, supervisors and district leaders see every request; residents and experts see
nothing. Views get requests only through `get_request_for_user` (404 for what the user may not
know exists)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from duban.orgs import access as org_access
from duban.orgs.models import Unit
from duban.payments.choices import CentreRole
from duban.payments.models import CentrePost, PaymentRequest


def posts_of(user) -> set[str]:
    """The user's posts at the treasury payment centre, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_payments_posts"):
        person = org_access.person_of(user)
        user._payments_posts = (
            set(CentrePost.objects.filter(person=person).values_list("role", flat=True)) if person else set()
        )
    return user._payments_posts


def holds(user, role: str) -> bool:
    return role in posts_of(user)


def administers(user) -> bool:
    """The centre's administrators and the office administrators: settings, the green list, and
    lifting a suspension."""
    return org_access.is_office_admin(user) or holds(user, CentreRole.ADMIN)


def in_centre(user) -> bool:
    return administers(user) or bool(posts_of(user))


def oversees(user) -> bool:
    """Who reads every unit's requests and the statistics."""
    return in_centre(user) or org_access.sees_whole_district(user)


def acts_for(user, unit: Unit) -> bool:
    """Someone of the unit (or of a unit above it) prepares, submits and supplies its requests."""
    return any(unit.is_within(root) for root in org_access.scope_roots(user))


def may_request(user) -> bool:
    """Someone of a unit that pays from a budget indicator registered with the centre."""
    from duban.payments.models import Fund

    roots = org_access.scope_roots(user)
    return bool(roots) and Fund.objects.filter(unit__in=Unit.objects.subtrees(roots)).exists()


def may_use(user) -> bool:
    """The menu: officials and the centre's people."""
    if not getattr(user, "is_authenticated", False):
        return False
    return org_access.is_official(user) or in_centre(user)


def requests_for(user):
    if oversees(user):
        return PaymentRequest.objects.all()
    roots = org_access.scope_roots(user)
    if not roots:
        return PaymentRequest.objects.none()
    return PaymentRequest.objects.filter(unit__in=Unit.objects.subtrees(roots))


def get_request_for_user(user, pk: int) -> PaymentRequest:
    found = requests_for(user).select_related("unit", "preparer", "request_type", "fund", "committed_by")
    return get_object_or_404(found, pk=pk)


def require_use(user) -> None:
    if not may_use(user):
        raise PermissionDenied(_("The green channel is for the district's officials."))


def require_overseer(user) -> None:
    if not oversees(user):
        raise PermissionDenied(
            _("Only the treasury payment centre and the supervising offices read every unit's payments.")
        )


def require_admin(user) -> None:
    if not administers(user):
        raise PermissionDenied(_("Only the centre's administrators do this."))
