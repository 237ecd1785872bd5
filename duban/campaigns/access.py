"""Who may see and do what with campaigns and problem reports.

- The campaign office (office admins, supervisors, staff of the unit owning the campaign's ledger)
  sets the campaign up, accepts, routes, re-routes, and marks duplicates, transfers and rejections.
- The responsible unit (its heads and staff, and those of units above it) starts and fixes the
  problems routed to it, and sees its reporters' contact details to call them back.
- Verification needs someone outside the responsible unit: the campaign office or a chief of the
  campaign; or the reporter, who confirms or reopens their own report.
- Anyone sees public reports (everything but rejected ones) without contact details; a reporter
  sees their own reports. Contact details are never shown to residents, other reporters or experts.
Refusals follow the project rule: 404 for what one may not know exists, 403 for what one sees but
may not do.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from duban.campaigns.models import Campaign, Chief, Report
from duban.ledger import access as ledger_access
from duban.orgs import access as org_access

NOT_MANAGER = _("Only the campaign's office sets up and runs the campaign.")


def manages(user, campaign: Campaign) -> bool:
    return ledger_access.acts_for_office(user, campaign.ledger)


def require_manager(user, campaign: Campaign | None = None) -> None:
    """The campaign's office for a campaign; office administrators for new campaigns, the map of
    areas and Open311 keys."""
    if campaign is None:
        org_access.require_office_admin(user)
    elif not manages(user, campaign):
        raise PermissionDenied(NOT_MANAGER)


def acts_for_unit(user, report: Report) -> bool:
    return report.routed_unit_id is not None and ledger_access.acts_for_co_unit(user, report.routed_unit)


def is_chief(user, campaign: Campaign) -> bool:
    person = org_access.person_of(user)
    return person is not None and Chief.objects.filter(campaign=campaign, person=person).exists()


def is_reporter(user, report: Report) -> bool:
    return getattr(user, "is_authenticated", False) and report.reporter_id == user.pk


def can_verify(user, report: Report) -> bool:
    """The reporter, or the office or a chief from outside the responsible unit."""
    if is_reporter(user, report):
        return True
    if not (manages(user, report.campaign) or is_chief(user, report.campaign)):
        return False
    return report.routed_unit is None or ledger_access.is_outside(user, report.routed_unit)


def sees_contact(user, report: Report) -> bool:
    """Who may read a reporter's name, phone and email: the office and the responsible unit."""
    return org_access.is_official(user) and (manages(user, report.campaign) or acts_for_unit(user, report))


def get_report_for_staff(user, pk: int) -> Report:
    org_access.require_official(user)
    report = (
        Report.objects.select_related("campaign__ledger__owner_unit", "category", "routed_unit", "street", "area")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def get_public_report(user, pk: int) -> Report:
    """A report anyone may see; a rejected one only by its reporter and officials."""
    report = (
        Report.objects.select_related("campaign", "category", "routed_unit", "street", "area", "duplicate_of")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    if not report.is_public and not (is_reporter(user, report) or org_access.is_official(user)):
        raise Http404
    return report
