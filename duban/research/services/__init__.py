"""Every write in commissioned research: calls and topics (`calls`), awarding and panels
(`selection`), contracts, milestones and instalments (`contracts`), the results library (`results`)."""

from duban.research.services.calls import call_open, call_step, decision_record, guide, topic_propose, topic_withdraw
from duban.research.services.contracts import (
    contract_sign,
    instalment_pay,
    item_of,
    milestone_deliver,
    research_ledger,
)
from duban.research.services.results import adoption_add, instruction_add, result_share
from duban.research.services.selection import (
    bid_submit,
    bid_withdraw,
    conflicted,
    entries,
    panel_open,
    panel_publish,
    panel_results,
    project_choose,
    project_setup,
    score_submit,
)

__all__ = [
    "adoption_add",
    "bid_submit",
    "bid_withdraw",
    "call_open",
    "call_step",
    "conflicted",
    "contract_sign",
    "decision_record",
    "entries",
    "guide",
    "instalment_pay",
    "instruction_add",
    "item_of",
    "milestone_deliver",
    "panel_open",
    "panel_publish",
    "panel_results",
    "project_choose",
    "project_setup",
    "research_ledger",
    "result_share",
    "score_submit",
    "topic_propose",
    "topic_withdraw",
]
