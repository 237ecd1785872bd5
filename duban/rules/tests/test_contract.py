"""A rule action and its ledger item never disagree, whatever acts on them, through any entry point."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from duban.ledger.tests.contract import ANYONE, INDEX, MACHINE_SETTINGS, ContractMachine
from duban.rules import reviews, services
from duban.rules.choices import ActionKind, RuleKind
from duban.rules.models import RuleReview
from duban.rules.tests.conftest import due

pytestmark = pytest.mark.django_db

UNIT_STEPS = ["to_legal_review", "to_deliberation", "issue", "publish"]


def test_rule_actions_agree_with_their_items_whatever_acts_on_them(client, personas, plan, meeting_rule):
    class Actions(ContractMachine):
        @initialize(normative=st.booleans())
        def plan_some_actions(self, normative):
            reviews.reviews_open()  # the rule took effect in 2021: due for review
            self.subjects += list(RuleReview.objects.filter(state="open"))
            made = services.action_add(
                actor=personas.unit_a_staff, plan=plan, kind=ActionKind.MAKE, title="东门街道档案管理办法",
                rule_kind=RuleKind.NORMATIVE if normative else RuleKind.SYSTEM, deadline=due(), summary="新立",
            )  # fmt: skip
            self.subjects.append(made)
            if not services.RuleAction.objects.filter(rule=meeting_rule, stage__in=["drafting", "published"]).exists():
                amended = services.action_add(
                    actor=personas.unit_a_staff, plan=plan, kind=ActionKind.AMEND, rule=meeting_rule,
                    deadline=due(), summary="修订",
                )  # fmt: skip
                self.subjects.append(amended)

        @rule(index=INDEX, step=st.sampled_from(UNIT_STEPS), anyone=ANYONE, opinion=st.booleans())
        def on_the_actions_page(self, index, step, anyone, opinion):
            if not isinstance(self.subject(index), services.RuleAction):
                return
            action = services.RuleAction.objects.get(pk=self.subject(index).pk)
            user = self.person(anyone or "unit_a_staff")
            fields = {"reason": "经审查合法" if opinion else ""}
            if step == "issue":
                fields.update(reason="党工委会议", document_number="罗东〔2026〕1号", adopted_on=due(),
                              effective_on=due(), text="第一条")  # fmt: skip
            self.attempt(action, lambda: services.action_step(actor=user, action=action, code=step, **fields))

        @rule(index=INDEX, decision=st.sampled_from(["keep", "amend", "repeal"]), anyone=ANYONE)
        def on_the_reviews_page(self, index, decision, anyone):
            review = self.subject(index)
            if isinstance(review, RuleReview):
                user = self.person(anyone or "unit_a_staff")
                self.attempt(
                    review,
                    lambda: reviews.review_decide(actor=user, review=review, decision=decision, opinion="已评估"),
                )

    Actions.personas, Actions.client = personas, client
    run_state_machine_as_test(Actions, settings=MACHINE_SETTINGS)
