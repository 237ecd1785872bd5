"""Every write to the ledger goes through these modules; each writes ItemEvent rows and sends
notifications only after the transaction commits.

`__all__` is the ledger's public surface: other contexts import from `duban.ledger.services` only
these names (a test checks it). A call on a person's behalf passes that person as `actor`; a
context applying its own rule to the items it owns passes `owner_rule=True` (see
`duban.ledger.owners`)."""

from duban.ledger.services import events, notify
from duban.ledger.services.attachments import attachments_add
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.extensions import extension_decide, extension_request
from duban.ledger.services.imports import job_check, job_run, job_start
from duban.ledger.services.instructions import instruction_add
from duban.ledger.services.items import item_create, item_update, items_register, leader_in_charge, leaders_in_charge
from duban.ledger.services.ledgers import ledger_create, ledger_of_year, ledger_update
from duban.ledger.services.notices import interview_record, notice_answer, notice_issue
from duban.ledger.services.progress import co_unit_acknowledge, co_unit_report, item_report_progress
from duban.ledger.services.scoring import scoring_feed
from duban.ledger.services.sweep import SweepResult, sweep_run
from duban.ledger.services.transitions import item_check, item_transition, items_transition_many
from duban.ledger.services.yearend import carry_over_plan, ledger_carry_over

__all__ = [
    "LedgerPermissionError",
    "SweepResult",
    "attachments_add",
    "carry_over_plan",
    "co_unit_acknowledge",
    "co_unit_report",
    "events",
    "extension_decide",
    "extension_request",
    "instruction_add",
    "interview_record",
    "item_check",
    "item_create",
    "item_report_progress",
    "item_transition",
    "item_update",
    "items_register",
    "items_transition_many",
    "job_check",
    "job_run",
    "job_start",
    "leader_in_charge",
    "leaders_in_charge",
    "ledger_carry_over",
    "ledger_create",
    "ledger_of_year",
    "ledger_update",
    "notice_answer",
    "notice_issue",
    "notify",
    "scoring_feed",
    "sweep_run",
]
