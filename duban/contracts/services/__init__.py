"""Every write about construction contracts: the template's versions (`versions`), contracts in
performance with their key nodes and ratings (`contracts`), and the analysis of existing contracts
(`analysis`)."""

from duban.contracts.services.analysis import analysed_add, matrix, standard_checklist
from duban.contracts.services.analysis_import import analysed_import
from duban.contracts.services.contracts import (
    agency_unit,
    contract_settle,
    contract_sign,
    item_of,
    node_record,
    quarter_end,
    quarter_label,
    quarters_of,
    rating_answer,
    rating_approve,
    rating_record,
    settle_refusal,
    settlement,
)
from duban.contracts.services.versions import template_add, version_draft, version_save, version_step

__all__ = [
    "agency_unit",
    "analysed_add",
    "analysed_import",
    "contract_settle",
    "contract_sign",
    "item_of",
    "matrix",
    "node_record",
    "quarter_end",
    "quarter_label",
    "quarters_of",
    "rating_answer",
    "rating_approve",
    "rating_record",
    "settle_refusal",
    "settlement",
    "standard_checklist",
    "template_add",
    "version_draft",
    "version_save",
    "version_step",
]
