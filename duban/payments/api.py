"""The green channel's JSON API: requests, their missing documents and steps, and the statistics —
the same services and access rules as the pages. Documents and supplements are files, uploaded on
the pages."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from duban.core.api import READ_ERRORS, WRITE_ERRORS, Id, Pages, PathId, StepEventOut
from duban.orgs.models import Unit
from duban.payments import access, services, stats
from duban.payments.choices import Channel, GapState, RequestState, SupplyForm
from duban.payments.models import DocumentType, Fund, Gap, RequestType

router = Router(tags=["payments"])


class PaymentRequestOut(Schema):
    id: int
    number: str
    unit_id: int
    request_type_id: int
    project: str
    fund_id: int
    amount: Decimal
    payee_name: str
    payee_account: str
    payee_bank: str
    contract_ref: str
    invoice_ref: str
    channel: Channel
    state: RequestState
    submitted_at: dt.datetime | None
    due_on: dt.date | None
    paid_on: dt.date | None
    voucher: str
    notice_number: str


class PaymentEventOut(StepEventOut):
    gap_id: int | None


class GapOut(Schema):
    id: int
    document_type_id: int
    document: str
    supply_form: SupplyForm
    due_on: dt.date
    state: GapState
    supplied_at: dt.datetime | None
    confirmed_at: dt.datetime | None

    @staticmethod
    def resolve_document(gap: Gap) -> str:
        return gap.document_type.name


class PaymentRequestIn(Schema):
    unit_id: Id
    request_type_id: Id
    fund_id: Id
    project: str = Field(..., min_length=1, max_length=200)
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    payee_name: str = Field(..., min_length=1, max_length=120)
    payee_account: str = Field(..., min_length=1, max_length=40)
    payee_bank: str = Field(..., min_length=1, max_length=120)
    contract_ref: str = Field("", max_length=60)
    invoice_ref: str = Field("", max_length=60)
    channel: Channel = Channel.NORMAL


class GapIn(Schema):
    document_type_id: Id
    due_on: dt.date
    supply_form: SupplyForm = SupplyForm.ONLINE


class PaymentStepIn(Schema):
    code: str = Field(..., pattern="^(submit|accept|defer|commit|review|approve|pay|return|refuse|withdraw)$")
    reason: str = Field("", max_length=500)
    gaps: list[GapIn] = Field(default_factory=list, max_length=50)
    sealed: bool = False
    paid_on: dt.date | None = None
    voucher: str = Field("", max_length=40)


class GapStepIn(Schema):
    code: str = Field(..., pattern="^(confirm|reject|waive)$")
    reason: str = Field("", max_length=500)


class PaymentFilter(Schema):
    state: RequestState | None = None
    channel: Channel | None = None
    unit_id: Id | None = None


class ChannelSpeedOut(Schema):
    channel: Channel
    paid: int
    amount: Decimal
    median_days: float | None
    p90_days: float | None
    on_time_percent: int | None


class GreenStatisticsOut(Schema):
    year: int
    speeds: list[ChannelSpeedOut]
    speedup: float | None
    supplied_on_time: int
    supplied_late: int
    overdue: int
    suspensions: int


@router.get("/requests", response={200: list[PaymentRequestOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_requests(request, filters: Query[PaymentFilter]):
    access.require_use(request.auth)
    found = access.requests_for(request.auth).order_by("-pk")
    for name in ("state", "channel", "unit_id"):
        if value := getattr(filters, name):
            found = found.filter(**{name: value})
    return found


@router.get("/requests/{request_id}", response={200: PaymentRequestOut, **READ_ERRORS})
def get_request(request, request_id: PathId):
    return access.get_request_for_user(request.auth, request_id)


@router.get("/requests/{request_id}/events", response={200: list[PaymentEventOut], **READ_ERRORS})
def request_events(request, request_id: PathId):
    return list(access.get_request_for_user(request.auth, request_id).events.order_by("at", "pk"))


@router.get("/requests/{request_id}/missing", response={200: list[GapOut], **READ_ERRORS})
def request_gaps(request, request_id: PathId):
    found = access.get_request_for_user(request.auth, request_id)
    return list(found.gaps.filter(committed=True).select_related("document_type").order_by("pk"))


@router.post("/requests", response={201: PaymentRequestOut, **WRITE_ERRORS})
def prepare_request(request, payload: PaymentRequestIn):
    access.require_use(request.auth)
    data = payload.dict(exclude={"unit_id", "request_type_id", "fund_id"})
    return Status(201, services.request_prepare(
        actor=request.auth, unit=get_object_or_404(Unit, pk=payload.unit_id),
        request_type=get_object_or_404(RequestType, pk=payload.request_type_id),
        fund=get_object_or_404(Fund, pk=payload.fund_id), **data,
    ))  # fmt: skip


@router.post("/requests/{request_id}/steps", response={200: PaymentRequestOut, **WRITE_ERRORS})
def step_request(request, request_id: PathId, payload: PaymentStepIn):
    found = access.get_request_for_user(request.auth, request_id)
    data: dict = {}
    if payload.code == "defer":
        data["gaps"] = [
            {"document_type": get_object_or_404(DocumentType, pk=g.document_type_id), "due_on": g.due_on,
             "supply_form": g.supply_form}
            for g in payload.gaps
        ]  # fmt: skip
    elif payload.code == "commit":
        data["sealed"] = payload.sealed
    elif payload.code == "pay":
        data.update(paid_on=payload.paid_on, voucher=payload.voucher)
    return services.request_step(actor=request.auth, request=found, code=payload.code, reason=payload.reason, **data)


@router.post("/missing/{gap_id}/steps", response={200: GapOut, **WRITE_ERRORS})
def step_gap(request, gap_id: PathId, payload: GapStepIn):
    gap = get_object_or_404(Gap.objects.select_related("document_type"), pk=gap_id)
    access.get_request_for_user(request.auth, gap.request_id)
    return services.gap_step(actor=request.auth, gap=gap, code=payload.code, reason=payload.reason)


@router.get("/statistics", response={200: GreenStatisticsOut, **READ_ERRORS})
def statistics(request, year: int = Query(..., ge=2000, le=2100)):
    """How much faster the green channel pays in `year` (the centre and the supervising offices)."""
    access.require_overseer(request.auth)
    rep = stats.report(year)
    return {
        "year": year, "speedup": rep.speedup, "supplied_on_time": rep.gaps["on_time"],
        "supplied_late": rep.gaps["late"], "overdue": rep.gaps["overdue"], "suspensions": len(rep.suspensions),
        "speeds": [
            {"channel": s.channel, "paid": s.paid, "amount": s.amount, "median_days": s.median_days,
             "p90_days": s.p90_days, "on_time_percent": s.on_time_percent}
            for s in rep.speeds.values()
        ],
    }  # fmt: skip
