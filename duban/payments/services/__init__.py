"""Every write in the green channel: requests (`requests`), the documents accepted as missing and
the suspensions they cause (`gaps`), and the centre's administration (`setup`)."""

from duban.payments.services.gaps import (
    gap_step,
    gap_supplier,
    gaps_lapse,
    item_of,
    may_gap_step,
    supplement_ledger,
    suspension_lift,
    suspension_review,
    suspensions_review,
)
from duban.payments.services.requests import (
    clean_account,
    clean_amount,
    documents_add,
    due_date,
    green_refusal,
    may_step,
    missing_documents,
    request_prepare,
    request_step,
    request_update,
)
from duban.payments.services.setup import setting_remove, setting_save, standard_checklist

__all__ = [
    "clean_account",
    "clean_amount",
    "documents_add",
    "due_date",
    "gap_step",
    "gap_supplier",
    "gaps_lapse",
    "green_refusal",
    "item_of",
    "may_gap_step",
    "may_step",
    "missing_documents",
    "request_prepare",
    "request_step",
    "request_update",
    "setting_remove",
    "setting_save",
    "standard_checklist",
    "supplement_ledger",
    "suspension_lift",
    "suspension_review",
    "suspensions_review",
]
