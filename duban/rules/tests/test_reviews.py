"""定期清理: the sweep opens a review for a rule due for review or about to lapse, assigned to its
unit as a ledger item; the unit decides keep, amend or repeal; verification applies the decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from duban.ledger.choices import ItemState
from duban.ledger.services import item_transition
from duban.rules import reviews, services
from duban.rules.choices import ReviewState, RuleKind, RuleScope
from duban.rules.models import RuleReview
from duban.rules.subjects import RuleReviewOwner

pytestmark = pytest.mark.django_db


@pytest.fixture
def ageing_rule(personas, category):
    """A normative document that took effect almost five years ago: it lapses in 30 days."""
    today = timezone.localdate()
    effective = reviews._years_after(today, -5) + dt.timedelta(days=31)
    return services.rule_register(
        actor=personas.unit_a_staff, issuing_unit=personas.unit_a, title="东门街道临时占道管理办法",
        kind=RuleKind.NORMATIVE, scope=RuleScope.PUBLIC, category=category, document_number="罗东规〔2021〕2号",
        adopted_on=effective, effective_on=effective, text="第一条 ……",
    )  # fmt: skip


def test_the_sweep_opens_one_review_for_a_rule_about_to_lapse(personas, ageing_rule, rules_ledger):
    assert ageing_rule.review_due_on == ageing_rule.expires_on
    assert reviews.reviews_open() == (1, 0)
    assert reviews.reviews_open() == (0, 0)  # one open review per rule
    review = RuleReview.objects.get()
    assert (review.item.state, review.item.lead_unit, review.item.ledger) == (
        ItemState.ASSIGNED, personas.unit_a, rules_ledger
    )  # fmt: skip


def test_without_this_years_rule_ledger_the_reviews_wait(personas, ageing_rule):
    assert reviews.reviews_open() == (0, 1)
    assert not RuleReview.objects.exists()


def test_a_kept_rule_is_renewed_when_the_decision_is_verified(personas, ageing_rule, rules_ledger):
    reviews.reviews_open()
    review = RuleReview.objects.get()
    with pytest.raises(ValidationError):  # the unit signs for the item first
        reviews.review_decide(actor=personas.unit_a_staff, review=review, decision="keep", opinion="仍适用")
    item_transition(actor=personas.unit_a_staff, item=review.item, action="acknowledge")
    with pytest.raises(PermissionDenied):
        reviews.review_decide(actor=personas.unit_b_staff, review=review, decision="keep", opinion="仍适用")
    review = reviews.review_decide(actor=personas.unit_a_staff, review=review, decision="keep", opinion="仍适用")
    assert (review.state, review.item.state) == (ReviewState.DECIDED, ItemState.SUBMITTED)
    old_expiry = ageing_rule.expires_on
    item_transition(actor=personas.supervisor, item=review.item, action="accept", reason="同意继续有效")
    review.refresh_from_db()
    ageing_rule.refresh_from_db()
    assert review.state == ReviewState.DONE and ageing_rule.expires_on == reviews._years_after(old_expiry, 5)
    assert ageing_rule.review_due_on > timezone.localdate() + dt.timedelta(days=365 * 4)
    assert RuleReviewOwner().disagreements(review) == []


def test_a_returned_review_is_decided_again_and_amend_leads_to_a_plan_action(client, personas, ageing_rule, plan):
    reviews.reviews_open()
    review = RuleReview.objects.get()
    item_transition(actor=personas.unit_a_staff, item=review.item, action="acknowledge")
    reviews.review_decide(actor=personas.unit_a_staff, review=review, decision="amend", opinion="需修改")
    item_transition(actor=personas.supervisor, item=review.item, action="return", reason="理由不充分")
    review.refresh_from_db()
    assert (review.state, review.decision, review.item.state) == (ReviewState.OPEN, "", ItemState.RETURNED)
    reviews.review_decide(actor=personas.unit_a_staff, review=review, decision="amend", opinion="上位法已修改")
    item_transition(actor=personas.supervisor, item=review.item, action="accept", reason="同意修改")
    client.force_login(personas.unit_a_staff)
    page = client.get(reverse("rules:review_detail", args=[review.pk])).content.decode()
    assert "据此建立制度" in page and "上位法已修改" in page
    assert client.get(reverse("rules:review_list")).status_code == 200


def test_the_ledger_page_does_not_submit_a_review(personas, ageing_rule, rules_ledger):
    reviews.reviews_open()
    review = RuleReview.objects.get()
    item = item_transition(actor=personas.unit_a_staff, item=review.item, action="acknowledge")
    with pytest.raises(ValidationError) as refused:
        item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已清理")
    assert refused.value.link.endswith(f"/rules/reviews/{review.pk}/")
