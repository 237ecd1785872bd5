"""The rules' JSON API: the registry, versions, plans and their actions, compilations — the same
services and access rules as the pages."""

import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from duban.core.api import READ_ERRORS, WRITE_ERRORS, Id, Pages, PathId
from duban.ledger.models import Ledger
from duban.orgs import access as org_access
from duban.orgs.models import Unit
from duban.rules import access, services
from duban.rules import compilation as compilations
from duban.rules.choices import (
    ActionKind,
    ActionStage,
    CompilationState,
    PlanScheme,
    RuleKind,
    RuleScope,
    RuleStatus,
)
from duban.rules.models import Compilation, Rule, RuleAction, RuleCategory, RulePlan

router = Router(tags=["rules"])


class RuleOut(Schema):
    id: int
    title: str
    issuing_unit_id: int
    category_id: int | None
    kind: RuleKind
    scope: RuleScope
    status: RuleStatus
    version: int
    document_number: str
    adopted_on: dt.date | None
    effective_on: dt.date | None
    expires_on: dt.date | None
    repealed_on: dt.date | None
    repealed_by_id: int | None
    replaced_by_id: int | None


class VersionOut(Schema):
    id: int
    number: int
    title: str
    document_number: str
    adopted_on: dt.date
    effective_on: dt.date
    expires_on: dt.date | None
    changes: str
    reason: str
    action_id: int | None
    file_name: str


class RuleDetailOut(RuleOut):
    text: str
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(rule: Rule) -> list:
        return list(rule.versions.order_by("number"))


class RuleFilter(Schema):
    unit_id: Id | None = None
    status: RuleStatus | None = None
    kind: RuleKind | None = None
    q: str | None = Field(None, max_length=100)


class RuleIn(Schema):
    issuing_unit_id: Id
    category_id: Id | None = None
    title: str = Field(..., min_length=1, max_length=200)
    kind: RuleKind
    scope: RuleScope
    document_number: str = Field(..., max_length=60)
    adopted_on: dt.date
    effective_on: dt.date
    expires_on: dt.date | None = None
    text: str = Field("", max_length=500_000)


class PlanOut(Schema):
    id: int
    unit_id: int
    ledger_id: int
    year: int
    title: str
    scheme: PlanScheme


class PlanIn(Schema):
    unit_id: Id
    ledger_id: Id
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=200)
    scheme: PlanScheme


class ActionOut(Schema):
    id: int
    plan_id: int
    kind: ActionKind
    rule_id: int | None
    stage: ActionStage
    title: str
    deadline: dt.date
    summary: str
    document_number: str
    item_id: int | None

    @staticmethod
    def resolve_item_id(action: RuleAction) -> int | None:
        item = action.item
        return item.pk if item else None


class ActionIn(Schema):
    kind: ActionKind
    rule_id: Id | None = None
    title: str = Field("", max_length=200)
    rule_kind: RuleKind | None = None
    scope: RuleScope | None = None
    category_id: Id | None = None
    deadline: dt.date
    summary: str = Field(..., min_length=1, max_length=4000)


class StepIn(Schema):
    code: str = Field(..., pattern="^(to_legal_review|to_deliberation|issue|publish)$")
    reason: str = Field("", max_length=2000)
    document_number: str = Field("", max_length=60)
    adopted_on: dt.date | None = None
    effective_on: dt.date | None = None
    text: str = Field("", max_length=500_000)
    replaced_by_id: Id | None = None


class CompilationOut(Schema):
    id: int
    unit_id: int
    title: str
    state: CompilationState
    statuses: list[RuleStatus]
    issued_at: dt.datetime | None
    version_ids: list[int]

    @staticmethod
    def resolve_version_ids(compilation: Compilation) -> list[int]:
        return [version.pk for _heading, version in compilations.compilation_contents(compilation)]


class CompilationIn(Schema):
    unit_id: Id
    title: str = Field(..., min_length=1, max_length=200)
    unit_ids: list[Id] = Field(..., min_length=1, max_length=200)
    category_ids: list[Id] = Field([], max_length=500)
    statuses: list[RuleStatus] = Field([RuleStatus.IN_FORCE], min_length=1, max_length=5)


def _official(request) -> None:
    org_access.require_official(request.auth)


@router.get("/rules", response={200: list[RuleOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_rules(request, filters: Query[RuleFilter]):
    _official(request)
    rules = Rule.objects.order_by("issuing_unit_id", "pk")
    if filters.unit_id:
        rules = rules.filter(issuing_unit_id=filters.unit_id)
    if filters.status:
        rules = rules.filter(status=filters.status)
    if filters.kind:
        rules = rules.filter(kind=filters.kind)
    if filters.q and filters.q.strip():
        rules = rules.search(filters.q)
    return rules


@router.get("/rules/{rule_id}", response={200: RuleDetailOut, **READ_ERRORS})
def get_rule(request, rule_id: PathId):
    _official(request)
    return access.get_rule_for_user(request.auth, rule_id)


@router.post("/rules", response={201: RuleDetailOut, **WRITE_ERRORS})
def register_rule(request, payload: RuleIn):
    _official(request)
    unit = get_object_or_404(Unit, pk=payload.issuing_unit_id)
    category = get_object_or_404(RuleCategory, pk=payload.category_id) if payload.category_id else None
    data = payload.dict(exclude={"issuing_unit_id", "category_id"})
    return Status(201, services.rule_register(actor=request.auth, issuing_unit=unit, category=category, **data))


@router.get("/plans", response={200: list[PlanOut], **READ_ERRORS})
def list_plans(request, year: Annotated[int | None, Query(ge=2000, le=2100)] = None):
    _official(request)
    plans = RulePlan.objects.order_by("-year", "pk")
    return plans.filter(year=year) if year else plans


@router.post("/plans", response={201: PlanOut, **WRITE_ERRORS})
def create_plan(request, payload: PlanIn):
    _official(request)
    plan = services.plan_create(
        actor=request.auth, unit=get_object_or_404(Unit, pk=payload.unit_id),
        ledger=get_object_or_404(Ledger, pk=payload.ledger_id), year=payload.year, title=payload.title,
        scheme=payload.scheme,
    )  # fmt: skip
    return Status(201, plan)


@router.get("/plans/{plan_id}/actions", response={200: list[ActionOut], **READ_ERRORS})
def list_actions(request, plan_id: PathId):
    plan = access.get_plan_for_user(request.auth, plan_id)
    return list(plan.actions.order_by("pk"))


@router.post("/plans/{plan_id}/actions", response={201: ActionOut, **WRITE_ERRORS})
def add_action(request, plan_id: PathId, payload: ActionIn):
    plan = access.get_plan_for_user(request.auth, plan_id)
    action = services.action_add(
        actor=request.auth, plan=plan, kind=payload.kind, deadline=payload.deadline, summary=payload.summary,
        rule=get_object_or_404(Rule, pk=payload.rule_id) if payload.rule_id else None, title=payload.title,
        rule_kind=payload.rule_kind or "", scope=payload.scope or "",
        category=get_object_or_404(RuleCategory, pk=payload.category_id) if payload.category_id else None,
    )  # fmt: skip
    return Status(201, action)


@router.get("/actions/{action_id}", response={200: ActionOut, **READ_ERRORS})
def get_action(request, action_id: PathId):
    return access.get_action_for_user(request.auth, action_id)


@router.post("/actions/{action_id}/steps", response={200: ActionOut, **WRITE_ERRORS})
def step_action(request, action_id: PathId, payload: StepIn):
    action = access.get_action_for_user(request.auth, action_id)
    replaced_by = get_object_or_404(Rule, pk=payload.replaced_by_id) if payload.replaced_by_id else None
    return services.action_step(
        actor=request.auth, action=action, code=payload.code, reason=payload.reason,
        document_number=payload.document_number, adopted_on=payload.adopted_on, effective_on=payload.effective_on,
        text=payload.text, replaced_by=replaced_by,
    )  # fmt: skip


@router.get("/compilations", response={200: list[CompilationOut], **READ_ERRORS})
def list_compilations(request):
    _official(request)
    return list(Compilation.objects.order_by("-created_at", "-pk")[:200])


@router.get("/compilations/{compilation_id}", response={200: CompilationOut, **READ_ERRORS})
def get_compilation(request, compilation_id: PathId):
    _official(request)
    return get_object_or_404(Compilation, pk=compilation_id)


@router.post("/compilations", response={201: CompilationOut, **WRITE_ERRORS})
def create_compilation(request, payload: CompilationIn):
    _official(request)
    compilation = compilations.compilation_create(
        actor=request.auth, unit=get_object_or_404(Unit, pk=payload.unit_id), title=payload.title,
        units=list(Unit.objects.filter(pk__in=payload.unit_ids)),
        categories=list(RuleCategory.objects.filter(pk__in=payload.category_ids)), statuses=payload.statuses,
    )  # fmt: skip
    return Status(201, compilation)


@router.post("/compilations/{compilation_id}/issue", response={200: CompilationOut, **WRITE_ERRORS})
def issue_compilation(request, compilation_id: PathId):
    _official(request)
    compilation = get_object_or_404(Compilation, pk=compilation_id)
    return compilations.compilation_issue(actor=request.auth, compilation=compilation)
