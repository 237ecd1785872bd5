"""Who may see and do what in commissioned research. The research centre (its staff and the office
administrators) runs calls, projects, panels and contracts; the review leading group decides topics;
units see their own proposals and the projects they commissioned; an applicant (a research body
outside the district) sees only its own bids and, once chosen, its project; an expert only what
they score; residents and visitors only the public results."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from duban.orgs import access as org_access
from duban.orgs.choices import UnitKind
from duban.orgs.models import Position, Unit
from duban.research.choices import ProjectState, Visibility
from duban.research.models import Bid, PanelMember, Project, ResearchSettings, Result, Topic


def runs_research(user) -> bool:
    """The research centre's staff, and the office administrators."""
    if org_access.is_office_admin(user):
        return True
    centre_id = ResearchSettings.current().centre_id
    return centre_id is not None and any(root.pk == centre_id for root in org_access.scope_roots(user))


def in_group(user) -> bool:
    person = org_access.person_of(user)
    settings = ResearchSettings.current()
    return person is not None and settings.pk is not None and settings.group.filter(pk=person.pk).exists()


def oversees(user) -> bool:
    return runs_research(user) or in_group(user) or org_access.sees_whole_district(user)


def bodies_of(user) -> list[Unit]:
    """The research bodies outside the district where the user works (an applicant, an expert)."""
    person = org_access.person_of(user)
    if person is None:
        return []
    posts = Position.objects.current().filter(person=person, unit__kind=UnitKind.EXTERNAL)
    return list(Unit.objects.filter(positions__in=posts).distinct())


def acts_for(user, unit: Unit) -> bool:
    return any(unit.is_within(root) for root in org_access.scope_roots(user))


def may_propose(user) -> bool:
    return any(root.kind != UnitKind.EXTERNAL for root in org_access.scope_roots(user))


def topics_for(user):
    if oversees(user):
        return Topic.objects.all()
    roots = [root for root in org_access.scope_roots(user) if root.kind != UnitKind.EXTERNAL]
    return Topic.objects.filter(unit__in=Unit.objects.subtrees(roots)) if roots else Topic.objects.none()


def projects_for(user):
    """The centre and overseers every project; a unit its commissioned projects; an applicant the
    projects open to it or that it bid for; an expert the projects of its panels."""
    if oversees(user):
        return Project.objects.all()
    seen = Q(pk__in=[])
    roots = [root for root in org_access.scope_roots(user) if root.kind != UnitKind.EXTERNAL]
    if roots:
        seen |= Q(topic__unit__in=Unit.objects.subtrees(roots))
    bodies = bodies_of(user)
    if bodies:
        seen |= Q(bids__applicant__in=bodies) | Q(contractor__in=bodies) | Q(invited__in=bodies)
        seen |= Q(selection="open", state=ProjectState.SELECTING)
    if getattr(user, "is_authenticated", False):
        seen |= Q(panels__members__user=user)
    return Project.objects.filter(seen).distinct()


def get_project_for_user(user, pk: int) -> Project:
    return get_object_or_404(projects_for(user).select_related("topic__unit", "contractor"), pk=pk)


def bids_for(user, project: Project):
    """Every bid for the centre and overseers; an expert the bids of its selection panel; an
    applicant only its own."""
    if oversees(user) or PanelMember.objects.filter(panel__project=project, user=user).exists():
        return project.bids.all()
    return project.bids.filter(applicant__in=bodies_of(user))


def results_for(user):
    """Officials read every result; everyone else the public ones."""
    if org_access.is_official(user):
        return Result.objects.all()
    return Result.objects.filter(visibility=Visibility.PUBLIC)


def get_bid_for_user(user, pk: int) -> Bid:
    bid = get_object_or_404(Bid.objects.select_related("project"), pk=pk)
    if not bids_for(user, bid.project).filter(pk=bid.pk).exists():
        raise Http404
    return bid


def require_centre(user) -> None:
    if not runs_research(user):
        raise PermissionDenied(_("Only the research centre does this."))


def require_group(user) -> None:
    if not (runs_research(user) or in_group(user)):
        raise PermissionDenied(_("Only the review leading group decides topics."))


def may_use(user) -> bool:
    """The menu: officials, experts of the pool and people of research bodies outside the district."""
    if not getattr(user, "is_authenticated", False):
        return False
    return org_access.is_official(user) or user.is_expert or bool(bodies_of(user))


def require_use(user) -> None:
    if not may_use(user):
        raise PermissionDenied(
            _("Commissioned research is for the district's officials, its experts and the research bodies.")
        )
