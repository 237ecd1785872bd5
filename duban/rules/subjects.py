"""What rules tell the ledger about their subjects: a rule action, and a rule review, each
governs its ledger item.

| item action | a rule action | a rule review |
| --- | --- | --- |
| assign, acknowledge, start, close (销号), extend | the ledger's own | the ledger's own |
| submit (报送办结) | refused: publishing the action submits it | refused: recording the decision submits it |
| accept (审核通过) | the action applies: a new rule, a version, a repeal | the decision applies (keep: renewed) |
| return (退回) | the action goes back to drafting | the review is open again |
| cancel | the action is cancelled; a rule it was making goes with it | the review is cancelled |
| reopen | refused: a rule changes by a new action of a plan | refused |
| edit the item's title or content, add a sub-item | refused | refused |

An approved extension, or a carry-over into a new year, moves an action's deadline.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.ledger.choices import ACTIONS, ENDED_STATES, ItemState
from duban.ledger.models import Item
from duban.ledger.owners import OwnedItemRefused, SubjectOwner, refused_elsewhere
from duban.ledger.services import item_check, items_transition_many
from duban.rules.choices import ActionStage, ReviewState
from duban.rules.models import RuleAction, RuleReview
from duban.rules.reviews import review_follow_item
from duban.rules.services import action_follow_item

OPEN_ITEM = {ItemState.DRAFT, ItemState.ASSIGNED, ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED}
FOLLOWED = ("accept", "return", "cancel")


class _FollowingOwner(SubjectOwner):
    """A subject whose own steps submit its item, and which follows the item's review."""

    agreeing: dict[str, set[str]]  # the item states a subject's newest item may be in, by its state
    state_field: str  # the subject's own state
    follower = None  # the context's service that follows a step on the item: (subject, *, actor, item_action, at)
    submitted_by: str  # what the subject's page does instead of 报送办结

    def refuses(self, action: str, subject, item) -> OwnedItemRefused | None:
        if action == "submit":
            return refused_elsewhere(self, subject, self.submitted_by)
        if action == "reopen":
            return refused_elsewhere(self, subject, _("change the rule by a new action of a plan"))
        return None

    def take(self, action: str, items: list, subjects: dict, *, actor, reason: str, at) -> list:
        items = super().take(action, items, subjects, actor=actor, reason=reason, at=at)
        if action not in FOLLOWED:
            return items
        for item in items:
            item_check(actor=actor, item=item, action=action)
        if ACTIONS[action].needs_reason and not (reason or "").strip():
            raise ValidationError({"reason": _("Give a reason or a report for this step.")})
        with transaction.atomic():  # the subject and its item change together, or neither
            for item in items:
                type(self).follower(subjects[item.subject_id], actor=actor, item_action=action, at=at)
            items_transition_many(actor=actor, items=items, action=action, reason=reason, at=at, owner_rule=True)
        return []

    def check_update(self, subject, item, changes: dict) -> None:
        if {"title", "content"} & set(changes):
            raise refused_elsewhere(self, subject, _("change the action"))

    def check_sub_item(self, subject, parent) -> None:
        raise refused_elsewhere(self, subject, _("a rule action is one item"))

    def disagreements(self, subject) -> list[str]:
        subject = type(subject).objects.get(pk=subject.pk)
        item = Item.objects.for_subject(subject).order_by("-pk").first()
        if item is None:
            return [f"{subject._meta.model_name} {subject.pk} has no item"]
        state = getattr(subject, self.state_field)
        if item.state not in self.agreeing[state]:
            return [f"{subject._meta.model_name} {subject.pk} is {state}, its item {item.number} is {item.state}"]
        return []


class RuleActionOwner(_FollowingOwner):
    model = RuleAction
    url_name = "rules:action_detail"
    state_field = "stage"
    follower = staticmethod(action_follow_item)
    agreeing = {
        ActionStage.DRAFTING: OPEN_ITEM,
        ActionStage.LEGAL_REVIEW: {ItemState.IN_PROGRESS},
        ActionStage.DELIBERATION: {ItemState.IN_PROGRESS},
        ActionStage.ISSUED: {ItemState.IN_PROGRESS},
        ActionStage.PUBLISHED: {ItemState.SUBMITTED},
        ActionStage.APPLIED: {ItemState.DONE, ItemState.CLOSED},
        ActionStage.CANCELLED: {ItemState.CANCELLED},
    }

    @property
    def submitted_by(self) -> str:
        return _("publish it")

    def describe(self, subject) -> str:
        inner = subject.title.replace("“", "‘").replace("”", "’")
        return _("rule action “%(title)s”") % {"title": inner}

    def deadline_moved(self, subject, item) -> None:
        RuleAction.objects.filter(pk=subject.pk).update(deadline=item.effective_deadline)

    def item_continued(self, subject, old, new) -> None:
        RuleAction.objects.filter(pk=subject.pk).update(deadline=new.effective_deadline)

    def disagreements(self, subject) -> list[str]:
        problems = super().disagreements(subject)
        action = RuleAction.objects.select_related("rule").get(pk=subject.pk)
        item = Item.objects.for_subject(action).order_by("-pk").first()
        if item and item.state not in ENDED_STATES and item.effective_deadline not in (None, action.deadline):
            problems.append(f"rule action {action.pk} due {action.deadline}, its item {item.effective_deadline}")
        if action.stage == ActionStage.APPLIED and action.kind != "repeal" and not action.versions.exists():
            problems.append(f"rule action {action.pk} applied without a version")
        if action.stage == ActionStage.CANCELLED and action.kind == "make" and action.rule is not None:
            problems.append(f"rule action {action.pk} cancelled, its rule {action.rule.pk} remains")
        return problems


class RuleReviewOwner(_FollowingOwner):
    model = RuleReview
    url_name = "rules:review_detail"
    state_field = "state"
    follower = staticmethod(review_follow_item)
    agreeing = {
        ReviewState.OPEN: OPEN_ITEM,
        ReviewState.DECIDED: {ItemState.SUBMITTED},
        ReviewState.DONE: {ItemState.DONE, ItemState.CLOSED},
        ReviewState.CANCELLED: {ItemState.CANCELLED},
    }

    @property
    def submitted_by(self) -> str:
        return _("record the review's conclusion")

    def describe(self, subject) -> str:
        inner = subject.rule.title.replace("“", "‘").replace("”", "’")
        return _("review of “%(title)s”") % {"title": inner}
