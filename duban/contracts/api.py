"""Construction contracts' JSON API: contracts with their key nodes and settlement, recording a node,
the template's versions and the clause analysis — the same services and access rules as the pages."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from duban.contracts import access, services
from duban.contracts.choices import ContractState, OwnerKind, VersionState
from duban.contracts.models import KeyNode, Template
from duban.core.api import READ_ERRORS, WRITE_ERRORS, Pages, PathId

router = Router(tags=["contracts"])


class KeyNodeOut(Schema):
    id: int
    order: int
    name: str
    weight: Decimal
    planned_on: dt.date
    actual_on: dt.date | None
    days: int | None
    outcome: Decimal | None


class ConstructionContractOut(Schema):
    id: int
    number: str
    project: str
    owner_id: int
    contractor: str
    version_id: int
    amount: Decimal
    starts_on: dt.date
    ends_on: dt.date
    reward_per_day: Decimal
    penalty_per_day: Decimal
    reward_cap: Decimal
    penalty_cap: Decimal
    state: ContractState

    @staticmethod
    def resolve_contractor(contract) -> str:
        return contract.contractor.name


class SettlementOut(Schema):
    rewards: Decimal
    penalties: Decimal
    rating: Decimal | None
    factor: Decimal
    payable_reward: Decimal
    payable_penalty: Decimal
    net: Decimal


class NodeIn(Schema):
    actual_on: dt.date


class TemplateVersionOut(Schema):
    id: int
    number: int
    state: VersionState
    reward_per_day: Decimal
    penalty_per_day: Decimal
    reward_cap_percent: Decimal
    penalty_cap_percent: Decimal
    nodes: list
    criteria: list
    issued_at: dt.datetime | None


class AnalysedOut(Schema):
    id: int
    project: str
    owner_kind: OwnerKind
    owner: str
    contractor: str
    amount: Decimal
    delay_days: int
    settlement_days: int | None
    clauses: list[str]


@router.get("/contracts", response={200: list[ConstructionContractOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_contracts(request):
    access.require_use(request.auth)
    return access.contracts_for(request.auth).select_related("contractor").order_by("pk")


@router.get("/contracts/{contract_id}", response={200: ConstructionContractOut, **READ_ERRORS})
def get_contract(request, contract_id: PathId):
    return access.get_contract_for_user(request.auth, contract_id)


@router.get("/contracts/{contract_id}/nodes", response={200: list[KeyNodeOut], **READ_ERRORS})
def contract_nodes(request, contract_id: PathId):
    return list(access.get_contract_for_user(request.auth, contract_id).nodes.order_by("order"))


@router.get("/contracts/{contract_id}/settlement", response={200: SettlementOut, **READ_ERRORS})
def contract_settlement(request, contract_id: PathId):
    summary = services.settlement(access.get_contract_for_user(request.auth, contract_id))
    return {"rewards": summary.rewards, "penalties": summary.penalties, "rating": summary.rating,
            "factor": summary.factor, "payable_reward": summary.payable_reward,
            "payable_penalty": summary.payable_penalty, "net": summary.net}  # fmt: skip


@router.post("/nodes/{node_id}", response={200: KeyNodeOut, **WRITE_ERRORS})
def record_node(request, node_id: PathId, payload: NodeIn):
    """Record a key node's actual date (the owner): its reward or penalty is computed at once."""
    node = get_object_or_404(KeyNode, pk=node_id)
    access.get_contract_for_user(request.auth, node.contract_id)
    return services.node_record(actor=request.auth, node=node, actual_on=payload.actual_on)


@router.get("/templates/{template_id}/versions", response={200: list[TemplateVersionOut], **READ_ERRORS})
def template_versions(request, template_id: PathId):
    access.require_use(request.auth)
    return list(get_object_or_404(Template, pk=template_id).versions.order_by("-number"))


@router.get("/analysis", response={200: list[AnalysedOut], **READ_ERRORS})
def analysis(request):
    if not access.oversees(request.auth):
        raise PermissionDenied(_("The contract analysis is for the agency, the justice bureau and the overseers."))
    found = services.matrix()
    return [
        {"id": c.pk, "project": c.project, "owner_kind": c.owner_kind, "owner": c.owner, "contractor": c.contractor,
         "amount": c.amount, "delay_days": c.delay_days, "settlement_days": c.settlement_days,
         "clauses": [clause.code for clause, has in zip(found.clauses, present, strict=True) if has]}
        for c, present in found.rows
    ]  # fmt: skip
