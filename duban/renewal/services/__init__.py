"""Every write in urban renewal: projects and their households (`projects`), administrative
mediation (`cases`) and the supervised funds (`funds`)."""

from duban.renewal.services.cases import (
    agreement_draft,
    bureau_unit,
    case_apply,
    case_step,
    followup_record,
    item_of,
    may_case_step,
    mediation_ledger,
    mediators_pool,
    party_consent,
    referrals_open,
    session_record,
)
from duban.renewal.services.funds import (
    account_open,
    deposit_record,
    may_release_step,
    milestone_reach,
    over_threshold,
    release_apply,
    release_step,
    room,
)
from duban.renewal.services.projects import (
    clean_phone,
    consent_history,
    households_add,
    households_sign,
    project_advance,
    project_register,
)
from duban.renewal.services.setup import post_add, post_remove, settings_save

__all__ = [
    "account_open",
    "agreement_draft",
    "bureau_unit",
    "case_apply",
    "case_step",
    "clean_phone",
    "consent_history",
    "deposit_record",
    "followup_record",
    "households_add",
    "households_sign",
    "item_of",
    "may_case_step",
    "may_release_step",
    "mediation_ledger",
    "mediators_pool",
    "milestone_reach",
    "over_threshold",
    "party_consent",
    "post_add",
    "post_remove",
    "project_advance",
    "project_register",
    "referrals_open",
    "release_apply",
    "release_step",
    "room",
    "session_record",
    "settings_save",
]
