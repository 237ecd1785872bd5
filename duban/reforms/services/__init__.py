"""Reform use-cases: registering reforms under the three-level responsibility rule and decomposing
them into ledger items (`reforms`), deepening them by approved adjustments (`adjustments`), the
annual plan (`plans`), the call for proposals (`proposals`), and look-backs and the case library
(`lookbacks`). Evaluation lives in `duban.reforms.rounds`; the five-year summary, a read, in
`duban.reforms.summary` (also reachable here as `summary`)."""

from duban.reforms.choices import PLAN_LEVELS
from duban.reforms.services.adjustments import adjustment_decide, adjustment_request
from duban.reforms.services.lookbacks import case_save, lookback_record, rules_in_effect
from duban.reforms.services.plans import plan_added_since_approval, plan_approve, plan_of, plan_reforms
from duban.reforms.services.proposals import (
    PROPOSALS_PER_PERSON,
    TEXT_LIMIT,
    TITLE_LIMIT,
    call_create,
    proposal_answer,
    proposal_submit,
    proposer_of,
)
from duban.reforms.services.reforms import (
    DESCRIPTIVE_FIELDS,
    reform_decompose,
    reform_items,
    reform_ledger,
    reform_register,
    reform_update,
    responsibility_problems,
    suggest_leaders,
    unit_head,
)
from duban.reforms.summary import summary

__all__ = [
    "DESCRIPTIVE_FIELDS",
    "PLAN_LEVELS",
    "PROPOSALS_PER_PERSON",
    "TEXT_LIMIT",
    "TITLE_LIMIT",
    "adjustment_decide",
    "adjustment_request",
    "call_create",
    "case_save",
    "lookback_record",
    "rules_in_effect",
    "plan_added_since_approval",
    "plan_approve",
    "plan_of",
    "plan_reforms",
    "proposal_answer",
    "proposal_submit",
    "proposer_of",
    "reform_decompose",
    "reform_items",
    "reform_ledger",
    "reform_register",
    "reform_update",
    "responsibility_problems",
    "suggest_leaders",
    "summary",
    "unit_head",
]
