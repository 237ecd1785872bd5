"""Who may see and do what in urban renewal. The bureau (its people and the office administrators)
and the district's overseers see every project, case and account; a street's officials see the
projects in their street; residents and experts see nothing. Only the bureau's case officers see the
households' and parties' contact details. Views get records only through the `get_*_for_user`
functions (404 for what the user may not know exists)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from duban.orgs import access as org_access
from duban.orgs.models import Unit
from duban.renewal.choices import BureauRole
from duban.renewal.models import Account, BureauPost, MediationCase, Project, Release, RenewalSettings


def posts_of(user) -> set[str]:
    """The user's urban-renewal posts, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_renewal_posts"):
        person = org_access.person_of(user)
        user._renewal_posts = (
            set(BureauPost.objects.filter(person=person).values_list("role", flat=True)) if person else set()
        )
    return user._renewal_posts


def holds(user, role: str) -> bool:
    return role in posts_of(user)


def sees_contacts(user) -> bool:
    """Households' and parties' phone numbers: the bureau's case officers only."""
    return holds(user, BureauRole.OFFICER)


def in_bureau(user) -> bool:
    if org_access.is_office_admin(user) or posts_of(user):
        return True
    bureau_id = RenewalSettings.current().bureau_id
    return bureau_id is not None and any(root.pk == bureau_id for root in org_access.scope_roots(user))


def oversees(user) -> bool:
    """Every project, case and account (read): the bureau and the district's overseers."""
    return in_bureau(user) or org_access.sees_whole_district(user)


def administers(user) -> bool:
    return org_access.is_office_admin(user) or holds(user, BureauRole.HEAD)


def may_use(user) -> bool:
    return org_access.is_official(user) or bool(posts_of(user))


def require_use(user) -> None:
    if not may_use(user):
        raise PermissionDenied(_("Urban renewal is for the district's officials."))


def require_officer(user) -> None:
    """A case officer (or the system: the demo's history, a migration) acts."""
    if user is not None and not holds(user, BureauRole.OFFICER):
        raise PermissionDenied(_("Only the bureau's case officers do this."))


def projects_for(user):
    if oversees(user):
        return Project.objects.all()
    roots = org_access.scope_roots(user)
    return Project.objects.filter(street__in=Unit.objects.subtrees(roots)) if roots else Project.objects.none()


def cases_for(user):
    return MediationCase.objects.filter(project__in=projects_for(user))


def accounts_for(user):
    return Account.objects.filter(project__in=projects_for(user))


def get_project_for_user(user, pk: int) -> Project:
    return get_object_or_404(projects_for(user).select_related("street"), pk=pk)


def get_case_for_user(user, pk: int) -> MediationCase:
    return get_object_or_404(cases_for(user).select_related("project__street", "officer"), pk=pk)


def get_account_for_user(user, pk: int) -> Account:
    return get_object_or_404(accounts_for(user).select_related("project__street"), pk=pk)


def get_release_for_user(user, pk: int) -> Release:
    return get_object_or_404(
        Release.objects.filter(account__in=accounts_for(user)).select_related("account__project", "rule"), pk=pk
    )
