"""Who may see and change rules. Every official reads the registry, internal rules included; a
unit keeps its own rules, categories and plans (its heads and staff, and office admins); residents
and visitors see public rules in force, on the portal. An unseen rule is a 404, one seen but not
editable a 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from duban.orgs import access as org_access
from duban.orgs.models import Unit
from duban.rules.models import Rule, RuleAction, RulePlan


def keeps_rules_of(user, unit: Unit) -> bool:
    """Register, categorise and plan the rules of `unit`: the office admin, or someone of the unit."""
    return org_access.can_manage_unit(user, unit)


def require_keeper(user, unit: Unit) -> None:
    if user is not None and not keeps_rules_of(user, unit):
        raise PermissionDenied(_("Only %(unit)s and the office keep the rules of %(unit)s.") % {"unit": unit.name})


def visible_rules(user):
    if org_access.is_official(user):
        return Rule.objects.all()
    return Rule.objects.public_in_force()


def get_rule_for_user(user, pk: int) -> Rule:
    rule = visible_rules(user).select_related("issuing_unit", "category", "replaced_by", "repealed_by").filter(pk=pk)
    found = rule.first()
    if found is None:
        raise Http404
    return found


def get_plan_for_user(user, pk: int) -> RulePlan:
    org_access.require_official(user)
    plan = RulePlan.objects.select_related("unit", "ledger").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def get_action_for_user(user, pk: int) -> RuleAction:
    org_access.require_official(user)
    action = (
        RuleAction.objects.select_related("plan__unit", "plan__ledger", "rule", "replaced_by").filter(pk=pk).first()
    )
    if action is None:
        raise Http404
    return action
