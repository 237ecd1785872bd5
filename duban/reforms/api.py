"""The reforms' JSON API: reforms, decomposition, adjustments, calls and proposals, ratings,
votes and expert scores — the same services and access rules as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from duban.core.api import PUBLIC_READ_ERRORS, READ_ERRORS, WRITE_ERRORS, Id, PathId
from duban.orgs import access as org_access
from duban.orgs.models import Person, Unit
from duban.reforms import access, rounds, services
from duban.reforms.choices import (
    AdjustmentState,
    ProposalSource,
    ProposalState,
    ReformLevel,
    Satisfaction,
    SpecialGroup,
)
from duban.reforms.models import ExpertPanel, Proposal, ProposalCall, RatingRound, Reform, ReformAdjustment, VoteRound

router = Router(tags=["reforms"])


class ReformOut(Schema):
    id: int
    year: int
    level: ReformLevel
    group: SpecialGroup
    title: str
    goals: str
    plan: str
    expected_results: str
    deadline: dt.date
    lead_unit_id: int
    lead_unit: str = Field(..., alias="lead_unit.name")
    lead_leader_ids: list[int]
    item_id: int | None
    progress: int

    @staticmethod
    def resolve_lead_leader_ids(reform: Reform) -> list[int]:
        return [leader.pk for leader in reform.lead_leaders.all()]

    @staticmethod
    def resolve_item_id(reform: Reform) -> int | None:
        item = reform.item
        return item.pk if item else None


class ReformDetailOut(ReformOut):
    """One reform, with where it breaks the three-level responsibility rule."""

    problems: list[str]

    @staticmethod
    def resolve_problems(reform: Reform) -> list[str]:
        return services.responsibility_problems(reform)


class ReformIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    level: ReformLevel
    group: SpecialGroup
    title: str = Field(..., min_length=1, max_length=200)
    goals: str = Field(..., min_length=1)
    plan: str = ""
    expected_results: str = ""
    deadline: dt.date
    lead_unit_id: Id
    lead_leader_ids: list[Id] | None = Field(None, max_length=50)
    co_unit_ids: list[Id] = Field([], max_length=50)


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    deadline: dt.date
    weight: Decimal = Field(Decimal(1), gt=0)


class AdjustmentIn(Schema):
    reason: str = Field(..., min_length=1)
    goals: str | None = None
    plan: str | None = None
    expected_results: str | None = None
    deadline: dt.date | None = None


class AdjustmentOut(Schema):
    id: int
    reform_id: int
    state: AdjustmentState
    reason: str
    changes: dict


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class CallOut(Schema):
    id: int
    year: int
    title: str
    description: str
    opens_on: dt.date
    closes_on: dt.date


class ProposalIn(Schema):
    title: str = Field(..., max_length=100)
    text: str = Field(..., max_length=2000)


class ProposalOut(Schema):
    """A proposal as the public sees it: never who sent it, beyond a unit."""

    id: int
    call_id: int
    title: str
    text: str
    source: ProposalSource
    unit: str | None = Field(None, alias="unit.name")
    state: ProposalState
    answer: str
    reform_id: int | None
    merged_into_id: int | None


class RatingIn(Schema):
    reform_id: Id
    level: Satisfaction
    street_id: Id | None = None


class VoteIn(Schema):
    reform_id: Id


class ScoresIn(Schema):
    reform_id: Id
    scores: dict[str, Decimal]


class ResultOut(Schema):
    rank: int | None
    reform_id: int
    score: Decimal | None
    experts: int
    excellent: bool


def _reform(request, reform_id: int) -> Reform:
    access.require_reader(request.auth)
    return get_object_or_404(Reform.objects.select_related("lead_unit").prefetch_related("items"), pk=reform_id)


@router.get("/reforms", response={200: list[ReformOut], **READ_ERRORS})
def list_reforms(
    request, year: Annotated[int | None, Query(ge=2000, le=2100)] = None, level: ReformLevel | None = None
):
    access.require_reader(request.auth)
    reforms = Reform.objects.select_related("lead_unit").prefetch_related("lead_leaders", "items")
    if year:
        reforms = reforms.filter(year=year)
    if level:
        reforms = reforms.filter(level=level)
    return reforms[:1000]


@router.get("/reforms/{reform_id}", response={200: ReformDetailOut, **READ_ERRORS})
def get_reform(request, reform_id: PathId):
    return _reform(request, reform_id)


@router.post("/reforms", response={201: ReformDetailOut, **WRITE_ERRORS})
def create_reform(request, payload: ReformIn):
    data = payload.dict(exclude={"lead_unit_id", "lead_leader_ids", "co_unit_ids"})
    leaders = (
        [get_object_or_404(Person, pk=pk) for pk in payload.lead_leader_ids]
        if payload.lead_leader_ids is not None
        else None
    )
    reform = services.reform_register(
        actor=request.auth,
        lead_unit=get_object_or_404(Unit, pk=payload.lead_unit_id),
        lead_leaders=leaders,
        co_units=[get_object_or_404(Unit, pk=pk) for pk in payload.co_unit_ids],
        **data,
    )
    return Status(201, reform)


@router.post("/reforms/{reform_id}/milestones", response={201: ReformOut, **WRITE_ERRORS})
def decompose_reform(request, reform_id: PathId, payload: list[MilestoneIn]):
    reform = _reform(request, reform_id)
    services.reform_decompose(actor=request.auth, reform=reform, milestones=[m.dict() for m in payload])
    return Status(201, _reform(request, reform_id))


@router.post("/reforms/{reform_id}/adjustments", response={201: AdjustmentOut, **WRITE_ERRORS})
def request_adjustment(request, reform_id: PathId, payload: AdjustmentIn):
    changes = payload.dict(exclude={"reason"}, exclude_none=True)
    adjustment = services.adjustment_request(
        actor=request.auth, reform=_reform(request, reform_id), reason=payload.reason, changes=changes
    )
    return Status(201, adjustment)


@router.post("/adjustments/{adjustment_id}/decision", response={200: AdjustmentOut, **WRITE_ERRORS})
def decide_adjustment(request, adjustment_id: PathId, payload: DecisionIn):
    access.require_reader(request.auth)
    adjustment = get_object_or_404(ReformAdjustment, pk=adjustment_id)
    return services.adjustment_decide(
        actor=request.auth, adjustment=adjustment, approve=payload.approve, note=payload.note
    )


@router.get("/calls", response={200: list[CallOut], **PUBLIC_READ_ERRORS}, auth=None)
def list_calls(request):
    return ProposalCall.objects.all()


@router.get("/calls/{call_id}/proposals", response={200: list[ProposalOut], **PUBLIC_READ_ERRORS}, auth=None)
def list_proposals(request, call_id: PathId):
    return get_object_or_404(ProposalCall, pk=call_id).proposals.select_related("unit")


@router.post("/calls/{call_id}/proposals", response={201: ProposalOut, **WRITE_ERRORS})
def submit_proposal(request, call_id: PathId, payload: ProposalIn):
    call = get_object_or_404(ProposalCall, pk=call_id)
    proposal = services.proposal_submit(actor=request.auth, call=call, title=payload.title, text=payload.text)
    return Status(201, Proposal.objects.select_related("unit").get(pk=proposal.pk))


@router.post("/ratings/{round_id}", response={201: dict, **WRITE_ERRORS})
def rate(request, round_id: PathId, payload: RatingIn):
    round_ = get_object_or_404(RatingRound, pk=round_id)
    street = get_object_or_404(Unit, pk=payload.street_id) if payload.street_id else None
    reform = get_object_or_404(Reform, pk=payload.reform_id)
    rounds.rating_submit(actor=request.auth, round_=round_, reform=reform, level=payload.level, street=street)
    return Status(201, {"detail": _("Thank you for your rating.")})


@router.post("/votes/{round_id}", response={201: dict, **WRITE_ERRORS})
def vote(request, round_id: PathId, payload: VoteIn):
    round_ = get_object_or_404(VoteRound, pk=round_id)
    reform = get_object_or_404(Reform, pk=payload.reform_id)
    rounds.vote_cast(actor=request.auth, round_=round_, reform=reform)
    return Status(201, {"detail": _("Your vote for %(title)s is counted.") % {"title": reform.title}})


@router.post("/panels/{panel_id}/scores", response={201: dict, **WRITE_ERRORS})
def score(request, panel_id: PathId, payload: ScoresIn):
    panel = get_object_or_404(ExpertPanel, pk=panel_id)
    reform = get_object_or_404(Reform, pk=payload.reform_id)
    rounds.score_submit(actor=request.auth, panel=panel, reform=reform, scores=payload.scores)
    return Status(201, {"detail": _("Scores saved for %(title)s.") % {"title": reform.title}})


@router.get("/panels/{panel_id}/results", response={200: list[ResultOut], **PUBLIC_READ_ERRORS}, auth=None)
def panel_results(request, panel_id: PathId):
    """Anyone reads published results; officials follow the scoring before publication."""
    panel = get_object_or_404(ExpertPanel, pk=panel_id)
    if panel.state != "published":
        org_access.require_official(request.user)
    return [
        {"rank": r.rank, "reform_id": r.reform.pk, "score": r.score, "experts": r.experts, "excellent": r.excellent}
        for r in rounds.panel_results(panel)
    ]
