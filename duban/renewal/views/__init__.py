"""Urban renewal's pages: the projects with their households and signing, the mediation cases from
application to archive with their documents, the supervised funds with each account's releases, and
the quarterly statistics."""

from duban.renewal.views.cases import (
    agreement_save,
    case_agreement,
    case_detail,
    case_new,
    case_notice,
    case_start,
    case_step,
    cases,
    followup_add,
    party_consent,
    session_add,
    session_document,
)
from duban.renewal.views.funds import (
    account_detail,
    account_new,
    deposit_add,
    funds,
    reach_add,
    reach_evidence,
    release_add,
    release_step,
    releases,
    statistics,
)
from duban.renewal.views.projects import (
    home,
    households_add,
    households_sign,
    project_advance,
    project_detail,
    project_new,
)

__all__ = [
    "account_detail",
    "account_new",
    "agreement_save",
    "case_agreement",
    "case_detail",
    "case_new",
    "case_notice",
    "case_start",
    "case_step",
    "cases",
    "deposit_add",
    "followup_add",
    "funds",
    "home",
    "households_add",
    "households_sign",
    "party_consent",
    "project_advance",
    "project_detail",
    "project_new",
    "reach_add",
    "reach_evidence",
    "release_add",
    "release_step",
    "releases",
    "session_add",
    "session_document",
    "statistics",
]
