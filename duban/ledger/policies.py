"""Checking a ledger's policies (lights, escalation, scoring), which offices edit as data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from duban.ledger.choices import EVENT_LABELS, NoticeLevel

RULE_KINDS = {"before_deadline", "overdue", "unanswered", "reds_in_year"}


def validate_light_policy(policy) -> None:
    if not isinstance(policy, dict) or policy.get("mode") not in {"deadline", "pro_rata"}:
        raise ValidationError({"light_policy": _("The light mode is “deadline” or “pro_rata”.")})
    if not isinstance(policy.get("yellow_working_days", 5), int) or not 0 <= policy.get("yellow_working_days", 5) <= 60:
        raise ValidationError({"light_policy": _("Yellow lights start 0 to 60 working days before the deadline.")})
    k = policy.get("k", 0.7)
    if not isinstance(k, int | float) or not 0 < k <= 1:
        raise ValidationError({"light_policy": _("The pro-rata factor k lies between 0 and 1.")})
    if policy.get("period", "month") not in {"month", "week"}:
        raise ValidationError({"light_policy": _("The reporting period is “month” or “week”.")})


def validate_escalation_policy(rules) -> None:
    if not isinstance(rules, list):
        raise ValidationError({"escalation_policy": _("The escalation policy is a list of rules.")})
    keys = set()
    for number, rule in enumerate(rules, start=1):
        where = _("Rule %(n)s: ") % {"n": number}
        if not isinstance(rule, dict):
            raise ValidationError({"escalation_policy": where + _("each rule is an object.")})
        if not rule.get("key") or rule["key"] in keys:
            raise ValidationError({"escalation_policy": where + _("each rule needs its own key.")})
        keys.add(rule["key"])
        if rule.get("level") not in NoticeLevel.values:
            raise ValidationError({"escalation_policy": where + _("unknown notice level.")})
        if rule.get("when") not in RULE_KINDS:
            raise ValidationError(
                {"escalation_policy": where + _("“when” is one of before_deadline, overdue, unanswered, reds_in_year.")}
            )
        if rule["when"] == "unanswered" and rule.get("after") not in NoticeLevel.values:
            raise ValidationError({"escalation_policy": where + _("“after” names the notice level left unanswered.")})
        for field in ("working_days", "count"):
            if field in rule and (not isinstance(rule[field], int) or not 0 <= rule[field] <= 365):
                raise ValidationError(
                    {"escalation_policy": where + _("“%(field)s” is a whole number.") % {"field": field}}
                )


def validate_scoring_scheme(scheme) -> None:
    if not isinstance(scheme, dict):
        raise ValidationError({"scoring_scheme": _("The scoring scheme maps event codes to points.")})
    for code, points in scheme.items():
        if code not in EVENT_LABELS:
            raise ValidationError({"scoring_scheme": _("Unknown event code: %(code)s") % {"code": code}})
        if not isinstance(points, int | float) or isinstance(points, bool) or abs(points) > 100:
            raise ValidationError({"scoring_scheme": _("Points for %(code)s must be a number.") % {"code": code}})
