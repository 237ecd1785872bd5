"""The ledger's JSON API: the same services and access rules as the pages.

A refused transition answers 409 with the reason and changes nothing; a step the user may not
take is 403; an item the user may not see is 404; bad input is 400 with the field errors.
"""

import datetime as dt
from typing import Annotated

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from duban.ledger import access
from duban.ledger.choices import OPEN_STATES
from duban.ledger.models import ExtensionRequest, Item, ItemEvent, Notice
from duban.ledger.services import extensions, notices
from duban.ledger.services.items import item_create
from duban.ledger.services.progress import item_report_progress
from duban.ledger.services.transitions import item_transition
from duban.orgs import access as org_access
from duban.orgs.models import Unit

router = Router(tags=["ledger"])


class LedgerOut(Schema):
    id: int
    name: str
    year: int
    kind: str
    owner_unit_id: int
    number_prefix: str


class ItemOut(Schema):
    id: int
    ledger_id: int
    number: str
    title: str
    content: str
    state: str
    light: str
    progress: int
    lead_unit_id: int
    lead_unit: str = Field(..., alias="lead_unit.name")
    leader_id: int | None
    parent_id: int | None
    deadline: dt.date | None
    effective_deadline: dt.date | None
    overdue_days: int
    urgency: str
    basis_kind: str
    basis_document: str
    external_id: str

    @staticmethod
    def resolve_overdue_days(item: Item) -> int:
        return item.overdue_days()


class ItemIn(Schema):
    ledger_id: int
    title: str = Field(..., min_length=1, max_length=200)
    lead_unit_id: int
    content: str = ""
    deadline: dt.date | None = None
    deadline_working_days: int | None = Field(None, ge=1, le=1000)
    parent_id: int | None = None
    co_unit_ids: list[int] = []
    urgency: str = "normal"
    basis_kind: str = "decision"
    basis_document: str = ""
    external_id: str = ""


DATABASE_ID = Field(None, ge=1, le=2**63 - 1)


class ItemFilter(FilterSchema):
    ledger: Annotated[int | None, FilterLookup("ledger_id")] = DATABASE_ID
    unit: int | None = DATABASE_ID
    state: str | None = None
    light: str | None = None
    q: str | None = None
    overdue: bool = False

    def filter_unit(self, value):
        return Q(lead_unit__in=Unit.objects.subtree(get_object_or_404(Unit, pk=value))) if value else Q()

    def filter_q(self, value):
        return Item.matching(value or "")

    def filter_overdue(self, value):
        return Q(state__in=OPEN_STATES, effective_deadline__lt=timezone.localdate()) if value else Q()


class TransitionIn(Schema):
    action: str
    reason: str = ""


class ProgressIn(Schema):
    percent: int
    text: str


class EventOut(Schema):
    at: dt.datetime
    code: str
    actor_id: int | None
    from_state: str
    to_state: str
    data: dict
    points: float | None


class ExtensionIn(Schema):
    new_deadline: dt.date
    reason: str


class ExtensionOut(Schema):
    id: int
    item_id: int
    state: str
    old_deadline: dt.date
    new_deadline: dt.date
    reason: str
    decision_note: str


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class NoticeIn(Schema):
    level: str
    reason: str
    required_response: str = ""
    due_date: dt.date | None = None


class NoticeOut(Schema):
    id: int
    item_id: int
    level: str
    number: str
    recipient_unit_id: int
    reason: str
    required_response: str
    due_date: dt.date
    responded_at: dt.datetime | None
    response_text: str


class AnswerIn(Schema):
    text: str


def _item(request, item_id: int) -> Item:
    return access.get_item_for_user(request.auth, item_id)


class ItemPages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)  # past any list, and short of what an offset can hold


@router.get("/ledgers", response=list[LedgerOut])
def list_ledgers(request):
    return access.visible_ledgers(request.auth).distinct().order_by("-year", "name")


@router.get("/items", response=list[ItemOut])
@paginate(ItemPages, page_size=50)
def list_items(request, filters: Query[ItemFilter]):
    org_access.require_official(request.auth)
    items = access.visible_items(request.auth).select_related("lead_unit").order_by("ledger_id", "seq")
    return filters.filter(items)


@router.get("/items/{item_id}", response=ItemOut)
def get_item(request, item_id: int):
    return _item(request, item_id)


@router.post("/items", response={201: ItemOut})
def create_item(request, payload: ItemIn):
    ledger = access.get_ledger_for_user(request.auth, payload.ledger_id, manage=True)
    parent = _item(request, payload.parent_id) if payload.parent_id else None
    data = payload.dict(exclude={"ledger_id", "lead_unit_id", "parent_id", "co_unit_ids"})
    item = item_create(
        actor=request.auth,
        ledger=ledger,
        lead_unit=get_object_or_404(Unit, pk=payload.lead_unit_id),
        parent=parent,
        co_units=[(get_object_or_404(Unit, pk=pk), "") for pk in payload.co_unit_ids],
        **data,
    )
    return Status(201, item)


@router.post("/items/{item_id}/transitions", response={200: ItemOut, 409: dict})
def transition_item(request, item_id: int, payload: TransitionIn):
    return item_transition(
        actor=request.auth, item=_item(request, item_id), action=payload.action, reason=payload.reason
    )


@router.get("/items/{item_id}/events", response=list[EventOut])
def list_events(request, item_id: int):
    return ItemEvent.objects.filter(item=_item(request, item_id)).order_by("at", "id")


@router.post("/items/{item_id}/progress", response={201: dict})
def report_progress(request, item_id: int, payload: ProgressIn):
    report = item_report_progress(
        actor=request.auth, item=_item(request, item_id), percent=payload.percent, text=payload.text
    )
    return Status(201, {"id": report.pk, "percent": report.percent})


@router.get("/items/{item_id}/extensions", response=list[ExtensionOut])
def list_extensions(request, item_id: int):
    return ExtensionRequest.objects.filter(item=_item(request, item_id))


@router.post("/items/{item_id}/extensions", response={201: ExtensionOut})
def request_extension(request, item_id: int, payload: ExtensionIn):
    extension = extensions.extension_request(
        actor=request.auth, item=_item(request, item_id), new_deadline=payload.new_deadline, reason=payload.reason
    )
    return Status(201, extension)


@router.post("/extensions/{extension_id}/decision", response=ExtensionOut)
def decide_extension(request, extension_id: int, payload: DecisionIn):
    extension = get_object_or_404(ExtensionRequest, pk=extension_id)
    _item(request, extension.item_id)
    return extensions.extension_decide(
        actor=request.auth, request=extension, approve=payload.approve, note=payload.note
    )


@router.get("/items/{item_id}/notices", response=list[NoticeOut])
def list_notices(request, item_id: int):
    return Notice.objects.filter(item=_item(request, item_id))


@router.post("/items/{item_id}/notices", response={201: NoticeOut})
def issue_notice(request, item_id: int, payload: NoticeIn):
    return Status(201, notices.notice_issue(actor=request.auth, item=_item(request, item_id), **payload.dict()))


@router.post("/notices/{notice_id}/answer", response=NoticeOut)
def answer_notice(request, notice_id: int, payload: AnswerIn):
    notice = get_object_or_404(Notice, pk=notice_id)
    _item(request, notice.item_id)
    return notices.notice_answer(actor=request.auth, notice=notice, text=payload.text)
