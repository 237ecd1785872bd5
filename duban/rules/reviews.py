"""定期清理: rules due for review, or about to lapse, get a review item for their unit (the sweep);
the unit decides keep / amend / repeal; verifying the item applies the decision (a kept rule is
renewed for another term; amending or repealing goes through an action of a plan, which can cite
the review as its cause)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_transition, items_register
from duban.orgs.models import User
from duban.rules import access, notices
from duban.rules.choices import (
    LAPSE_YEARS,
    REVIEW_AHEAD_DAYS,
    REVIEW_STEPS,
    REVIEW_YEARS,
    ReviewDecision,
    ReviewState,
    RuleStatus,
)
from duban.rules.models import Rule, RuleReview


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def review_due(effective_on: dt.date, expires_on: dt.date | None) -> dt.date:
    """When a rule in force is to be looked at again: five years on, or before it lapses."""
    due = _years_after(effective_on, REVIEW_YEARS)
    return min(due, expires_on) if expires_on else due


@transaction.atomic
def reviews_open(today: dt.date | None = None) -> tuple[int, int]:
    """Open a review, with an assigned item in this year's rule-revision ledger, for every rule in
    force due within REVIEW_AHEAD_DAYS that has none open. Returns (opened, waiting for a ledger)."""
    today = today or timezone.localdate()
    due = Rule.objects.filter(
        status=RuleStatus.IN_FORCE, review_due_on__lte=today + dt.timedelta(days=REVIEW_AHEAD_DAYS)
    ).exclude(reviews__state__in=[ReviewState.OPEN, ReviewState.DECIDED])
    rules = list(due.select_related("issuing_unit").order_by("review_due_on", "pk")[:500])
    if not rules:
        return 0, 0
    ledger = Ledger.objects.filter(kind=LedgerKind.RULES, year=today.year).order_by("pk").first()
    if ledger is None:
        return 0, len(rules)
    reviews = [RuleReview(rule=rule, due_on=rule.review_due_on) for rule in rules]
    for review in reviews:
        save_with_history(review, actor=None, reason="rules.review.opened")
    items = items_register(
        actor=None,
        ledger=ledger,
        specs=[
            {"title": f"清理：{review.rule.title}"[:200], "lead_unit": review.rule.issuing_unit,
             "deadline": max(review.due_on, today + dt.timedelta(days=30)), "subject": review,
             "content": _("Review the rule: keep it, amend it or repeal it."), "category": _("Rule review")}
            for review in reviews
        ],
        owner_rule=True,
    )  # fmt: skip
    for item in items:
        item_transition(actor=None, item=item, action="assign", owner_rule=True)
    return len(reviews), 0


def _lock(review: RuleReview) -> RuleReview:
    return RuleReview.objects.select_for_update(of=("self",)).select_related("rule__issuing_unit").get(pk=review.pk)


@transaction.atomic
def review_decide(
    *, actor: User | None, review: RuleReview, decision: str, opinion: str, at: dt.datetime | None = None
) -> RuleReview:
    """The unit's decision, which submits the review's item for verification."""
    review = _lock(review)
    move = REVIEW_STEPS.check(
        review.state, "decide", may=lambda _m: actor is None or access.keeps_rules_of(actor, review.rule.issuing_unit),
        refusal=_("Only the rule's own unit reviews it."), reason=opinion,
    )  # fmt: skip
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": _("Choose keep, amend or repeal.")})
    item = review.item
    if item is None or item.state not in {ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED}:
        raise ValidationError(_("Sign for the review's ledger item first."))
    if item.state != ItemState.IN_PROGRESS:
        item = item_transition(actor=actor, item=item, action="start", at=at, owner_rule=True)
    review.decision, review.opinion, review.state = decision, opinion.strip(), move.target
    save_with_history(review, actor=actor, reason=move.event)
    summary = f"{ReviewDecision(decision).label}：{review.opinion}"[:500]
    item_transition(actor=actor, item=item, action="submit", reason=summary, at=at, owner_rule=True)
    notices.review_decided(review, actor)
    return review


def review_follow_item(review: RuleReview, *, actor: User | None, item_action: str, at) -> None:
    """The review's side of a step on its item: verified, a kept rule is renewed; returned, the
    review is open again; cancelled, it is cancelled."""
    review = _lock(review)
    code = {"accept": "apply", "return": "reopen", "cancel": "cancel"}[item_action]
    move = REVIEW_STEPS.check(review.state, code)
    if code == "apply" and review.decision == ReviewDecision.KEEP:
        _today = moment(at)[1]
        rule = Rule.objects.select_for_update().get(pk=review.rule_id)
        if rule.kind in LAPSE_YEARS and rule.expires_on:
            rule.expires_on = _years_after(max(rule.expires_on, _today), LAPSE_YEARS[rule.kind])
        rule.review_due_on = review_due(_today, rule.expires_on)
        save_with_history(rule, actor=actor, reason="rules.rule.renewed")
    if code == "reopen":
        review.decision = ""
    review.state = move.target
    save_with_history(review, actor=actor, reason=move.event)


def items_of(reviews) -> dict[int, Item]:
    return Item.objects.for_subjects(list(reviews)).newest_by_subject() if reviews else {}
