"""What made a rule action necessary (以审促建, 以案促改): records of other contexts, named by their
content type so that neither context imports the other (`duban.core.derived`)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.derived import Built
from duban.core.views import whole_number
from duban.rules import access
from duban.rules.choices import ACTION_WORDS, ActionStage
from duban.rules.models import ActionCause, RulePlan

# The records a rule can be built because of: an audit finding, a reform, a problem category of a
# campaign, an error-tolerance case, a look-back.
CAUSE_MODELS = {
    ("rectification", "auditfinding"),
    ("reforms", "reform"),
    ("campaigns", "category"),
    ("reforms", "tolerancecase"),
    ("reforms", "lookback"),
    ("rules", "rulereview"),
}


def cause_key(subject) -> str:
    return f"{ContentType.objects.get_for_model(subject).pk}-{subject.pk}"


def cause_of(key: str | None):
    """The record a `cause` parameter ("<content type>-<id>") names; 404 for anything else."""
    type_id, _sep, object_id = (key or "").partition("-")
    type_id, object_id = whole_number(type_id), whole_number(object_id)
    if type_id is None or object_id is None:
        raise Http404
    content_type = ContentType.objects.filter(pk=type_id).first()
    if content_type is None or (content_type.app_label, content_type.model) not in CAUSE_MODELS:
        raise Http404
    found = content_type.model_class()._default_manager.filter(pk=object_id).first()
    if found is None:
        raise Http404
    return found


def actions_citing(subjects) -> dict[int, list[Built]]:
    content_type = ContentType.objects.get_for_model(type(subjects[0]))
    if (content_type.app_label, content_type.model) not in CAUSE_MODELS:
        return {}
    links = (
        ActionCause.objects.filter(content_type=content_type, object_id__in=[s.pk for s in subjects])
        .exclude(action__stage=ActionStage.CANCELLED)
        .select_related("action__plan")
        .order_by("action_id")
    )
    found: dict[int, list[Built]] = {}
    for link in links:
        action = link.action
        word = ACTION_WORDS[action.plan.scheme][action.kind]
        found.setdefault(link.object_id, []).append(
            Built(
                label=f"{word}：{action.title}",
                url=reverse("rules:action_detail", args=[action.pk]),
                note=str(action.get_stage_display()),
                counts=action.stage == ActionStage.APPLIED,
            )
        )
    return found


def plans_for(user):
    """The plans of this year and the next that the user may add actions to (read once per user
    object: a project page asks for every finding)."""
    if hasattr(user, "_rule_plans"):
        return user._rule_plans
    year = timezone.localdate().year
    plans = RulePlan.objects.filter(year__in=[year, year + 1]).select_related("unit").order_by("-year", "pk")
    user._rule_plans = [plan for plan in plans if access.keeps_rules_of(user, plan.unit)]
    return user._rule_plans


def build_link(subject, user):
    content_type = ContentType.objects.get_for_model(type(subject))
    if (content_type.app_label, content_type.model) not in CAUSE_MODELS or not getattr(user, "is_authenticated", False):
        return None
    if not plans_for(user):
        return None
    return _("Build a rule from this"), reverse("rules:build_from") + f"?cause={cause_key(subject)}"
