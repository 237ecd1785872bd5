"""Urban renewal's JSON API: projects, mediation cases with their steps, supervision accounts with
their releases and steps, and the quarterly mediation statistics — the same services and access rules
as the pages. Households' and parties' phone numbers are given to case officers only; files
(evidence, session documents) are uploaded on the pages."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from duban.core.api import READ_ERRORS, WRITE_ERRORS, Id, Pages, PathId, StepEventOut
from duban.orgs.models import Person
from duban.renewal import access, services, stats
from duban.renewal.choices import (
    CaseOrigin,
    CaseState,
    ClaimType,
    EndReason,
    Milestone,
    PartySide,
    ProjectKind,
    ProjectStage,
    Referral,
    ReleaseState,
    RuleKind,
)
from duban.renewal.models import Account, ReleaseRule

router = Router(tags=["renewal"])


class RenewalProjectOut(Schema):
    id: int
    name: str
    street_id: int
    community: str
    kind: ProjectKind
    developer: str
    stage: ProjectStage
    consent_percent: Decimal | None

    @staticmethod
    def resolve_consent_percent(project) -> Decimal | None:
        return project.consent_percent()


class PartyOut(Schema):
    id: int
    side: PartySide
    name: str
    phone: str | None  # case officers only
    consented_on: dt.date | None
    signed_on: dt.date | None

    @staticmethod
    def resolve_phone(party, context) -> str | None:
        return party.phone if access.sees_contacts(context["request"].auth) else None


class MediationCaseOut(Schema):
    id: int
    number: str
    project_id: int
    stage: ProjectStage
    origin: CaseOrigin
    claim_type: ClaimType
    claim: str
    state: CaseState
    applied_at: dt.datetime
    accepted_on: dt.date | None
    ends_on: dt.date | None
    extensions: int
    agreement_number: str
    ended_on: dt.date | None
    end_reason: EndReason | None
    referral: Referral | None
    parties: list[PartyOut]

    @staticmethod
    def resolve_end_reason(case) -> str | None:
        return case.end_reason or None

    @staticmethod
    def resolve_referral(case) -> str | None:
        return case.referral or None

    @staticmethod
    def resolve_parties(case) -> list:
        return list(case.parties.all())


class SignedIn(Schema):
    party_id: Id
    signed_on: dt.date


class CaseStepIn(Schema):
    code: str = Field(..., pattern="^(accept|decline|extend|settle|terminate|archive)$")
    reason: str = Field("", max_length=500)
    mediator_ids: list[Id] = Field(default_factory=list, max_length=20)
    signed: list[SignedIn] = Field(default_factory=list, max_length=50)
    end_reason: EndReason | None = None
    referral: Referral | None = None


class ReleaseRuleOut(Schema):
    id: int
    kind: RuleKind
    milestone: Milestone | None
    cap_percent: Decimal
    basis: str


class ReleaseOut(Schema):
    id: int
    number: str
    account_id: int
    rule_id: int
    amount: Decimal
    state: ReleaseState
    applied_at: dt.datetime
    released_on: dt.date | None
    voucher: str


class AccountOut(Schema):
    id: int
    project_id: int
    bank: str
    number: str
    opened_on: dt.date
    required: Decimal
    deposited: Decimal
    released: Decimal
    held: Decimal
    rules: list[ReleaseRuleOut]


class GuaranteeIn(Schema):
    bank: str = Field(..., min_length=1, max_length=120)
    number: str = Field(..., min_length=1, max_length=60)
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    expires_on: dt.date


class ReleaseIn(Schema):
    rule_id: Id
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    guarantee: GuaranteeIn | None = None


class ReleaseStepIn(Schema):
    code: str = Field(..., pattern="^(approve|refer|endorse|transfer|refuse|withdraw)$")
    reason: str = Field("", max_length=500)
    released_on: dt.date | None = None
    voucher: str = Field("", max_length=60)


class QuarterOut(Schema):
    quarter: int  # 0: the whole year
    received: dict[ClaimType, int]
    settled: int
    terminated: int
    settled_percent: Decimal | None
    median_days: float | None


class CaseFilter(Schema):
    state: CaseState | None = None
    project_id: Id | None = None


def _accounts_out(accounts) -> list[dict]:
    """The accounts with their sums, read together (a few queries for the whole list)."""
    return [_account_out(row) for row in stats.funds_rows(accounts.prefetch_related("rules"))]


def _account_out(row) -> dict:
    account = row.account
    return {
        "id": account.pk, "project_id": account.project_id, "bank": account.bank, "number": account.number,
        "opened_on": account.opened_on, "required": row.required, "deposited": row.deposited,
        "released": row.released, "held": row.held,
        "rules": [{"id": r.pk, "kind": r.kind, "milestone": r.milestone or None, "cap_percent": r.cap_percent,
                   "basis": r.basis} for r in sorted(account.rules.all(), key=lambda r: (r.kind, r.pk))],
    }  # fmt: skip


@router.get("/projects", response={200: list[RenewalProjectOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_projects(request, stage: ProjectStage | None = None):
    access.require_use(request.auth)
    found = access.projects_for(request.auth).order_by("pk")
    return found.filter(stage=stage) if stage else found


@router.get("/projects/{project_id}", response={200: RenewalProjectOut, **READ_ERRORS})
def get_project(request, project_id: PathId):
    access.require_use(request.auth)
    return access.get_project_for_user(request.auth, project_id)


@router.get("/cases", response={200: list[MediationCaseOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_cases(request, filters: Query[CaseFilter]):
    access.require_use(request.auth)
    found = access.cases_for(request.auth).order_by("-pk")
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.project_id:
        found = found.filter(project_id=filters.project_id)
    return found.prefetch_related("parties")


@router.get("/cases/{case_id}", response={200: MediationCaseOut, **READ_ERRORS})
def get_case(request, case_id: PathId):
    access.require_use(request.auth)
    return access.get_case_for_user(request.auth, case_id)


@router.get("/cases/{case_id}/events", response={200: list[StepEventOut], **READ_ERRORS})
def case_events(request, case_id: PathId):
    access.require_use(request.auth)
    return list(access.get_case_for_user(request.auth, case_id).events.order_by("at", "pk"))


@router.post("/cases/{case_id}/steps", response={200: MediationCaseOut, **WRITE_ERRORS})
def step_case(request, case_id: PathId, payload: CaseStepIn):
    access.require_use(request.auth)
    case = access.get_case_for_user(request.auth, case_id)
    data: dict = {}
    if payload.code == "accept":
        data["mediators"] = list(Person.objects.filter(pk__in=payload.mediator_ids))
    elif payload.code == "settle":
        data["signed"] = {s.party_id: s.signed_on for s in payload.signed}
    elif payload.code == "terminate":
        data.update(end_reason=payload.end_reason or "", referral=payload.referral or "")
    case = services.case_step(actor=request.auth, case=case, code=payload.code, reason=payload.reason, **data)
    return case


@router.get("/accounts", response={200: list[AccountOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_accounts(request):
    access.require_use(request.auth)
    return _accounts_out(access.accounts_for(request.auth).order_by("pk"))


@router.get("/accounts/{account_id}", response={200: AccountOut, **READ_ERRORS})
def get_account(request, account_id: PathId):
    access.require_use(request.auth)
    return _accounts_out(Account.objects.filter(pk=access.get_account_for_user(request.auth, account_id).pk))[0]


@router.get("/accounts/{account_id}/releases", response={200: list[ReleaseOut], **READ_ERRORS})
def account_releases(request, account_id: PathId):
    access.require_use(request.auth)
    return list(access.get_account_for_user(request.auth, account_id).releases.order_by("applied_at", "pk"))


@router.post("/accounts/{account_id}/releases", response={201: ReleaseOut, **WRITE_ERRORS})
def apply_release(request, account_id: PathId, payload: ReleaseIn):
    access.require_use(request.auth)
    account = access.get_account_for_user(request.auth, account_id)
    rule = get_object_or_404(ReleaseRule, pk=payload.rule_id, account=account)
    guarantee = payload.guarantee.dict() if payload.guarantee else None
    return Status(201, services.release_apply(actor=request.auth, account=account, rule=rule, amount=payload.amount,
                                              guarantee=guarantee))  # fmt: skip


@router.post("/releases/{release_id}/steps", response={200: ReleaseOut, **WRITE_ERRORS})
def step_release(request, release_id: PathId, payload: ReleaseStepIn):
    access.require_use(request.auth)
    release = access.get_release_for_user(request.auth, release_id)
    return services.release_step(actor=request.auth, release=release, code=payload.code, reason=payload.reason,
                                 released_on=payload.released_on, voucher=payload.voucher)  # fmt: skip


@router.get("/statistics", response={200: list[QuarterOut], **READ_ERRORS})
def statistics(request, year: int = Query(..., ge=2000, le=2100)):
    """Mediation by quarter of `year` (quarter 0: the whole year)."""
    access.require_use(request.auth)
    return [
        {"quarter": q.number, "received": q.received, "settled": q.settled, "terminated": q.terminated,
         "settled_percent": q.settled_percent, "median_days": q.median_days}
        for q in stats.mediation_year(year)
    ]  # fmt: skip
