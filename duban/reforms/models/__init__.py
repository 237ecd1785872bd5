"""The reform portfolio: reforms at every level, run through the reform tasks ledger.

A reform is decomposed into ledger items (the reform's own item and its milestones beneath it);
the ledger owns the loop, the lights and the notices, and the reform's progress is its item's
roll-up. Adjustments (改革深化) change goals, plan or deadline only once approved.
"""

from duban.reforms.models.appraisal import Appraisal, AppraisalBonus, _default_appraisal_rules
from duban.reforms.models.lookbacks import Case, LookBack
from duban.reforms.models.plans import AnnualPlan, Proposal, ProposalCall
from duban.reforms.models.reforms import ADJUSTABLE_FIELDS, Reform, ReformAdjustment, ReformQuerySet
from duban.reforms.models.rounds import (
    ExpertPanel,
    PanelMember,
    Rating,
    RatingRound,
    Round,
    Score,
    Vote,
    VoteRound,
    _default_criteria,
)
from duban.reforms.models.tolerance import ToleranceCase

__all__ = [
    "ADJUSTABLE_FIELDS",
    "AnnualPlan",
    "Appraisal",
    "AppraisalBonus",
    "Case",
    "ExpertPanel",
    "LookBack",
    "PanelMember",
    "Proposal",
    "ProposalCall",
    "Rating",
    "RatingRound",
    "Reform",
    "ReformAdjustment",
    "ReformQuerySet",
    "Round",
    "Score",
    "ToleranceCase",
    "Vote",
    "VoteRound",
    # The migrations refer to the field defaults as `duban.reforms.models._default_*`.
    "_default_appraisal_rules",
    "_default_criteria",
]
