"""The ledger's JSON API: the same services and access rules as the pages.

A refused transition answers 409 with the reason and changes nothing; a step the user may not
take is 403; an item the user may not see is 404; bad input is 400 with the field errors.
"""

import datetime as dt
from typing import Annotated, Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from duban.core.api import READ_ERRORS, WRITE_ERRORS, Id, PathId
from duban.ledger import access
from duban.ledger.choices import (
    ACTIONS,
    OPEN_STATES,
    Actor,
    BasisKind,
    ExtensionState,
    ItemState,
    LedgerKind,
    Light,
    NoticeLevel,
    Urgency,
)
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
    kind: LedgerKind
    owner_unit_id: int
    number_prefix: str


class ItemOut(Schema):
    id: int
    ledger_id: int
    number: str
    title: str
    content: str
    state: ItemState
    light: Light
    progress: int
    lead_unit_id: int
    lead_unit: str = Field(..., alias="lead_unit.name")
    leader_id: int | None
    parent_id: int | None
    deadline: dt.date | None
    effective_deadline: dt.date | None
    overdue_days: int
    urgency: Urgency
    basis_kind: BasisKind
    basis_document: str
    external_id: str

    @staticmethod
    def resolve_overdue_days(item: Item) -> int:
        return item.overdue_days()


class ItemIn(Schema):
    ledger_id: Id
    title: str = Field(..., min_length=1, max_length=200)
    lead_unit_id: Id
    content: str = ""
    deadline: dt.date | None = None
    deadline_working_days: int | None = Field(None, ge=1, le=1000)
    parent_id: Id | None = None
    co_unit_ids: list[Id] = Field([], max_length=50)
    urgency: Urgency = Urgency.NORMAL
    basis_kind: BasisKind = BasisKind.DECISION
    basis_document: str = ""
    external_id: str = ""


class ItemFilter(FilterSchema):
    ledger: Annotated[Id | None, FilterLookup("ledger_id")] = None
    unit: Id | None = None
    state: ItemState | None = None
    light: Light | None = None
    q: str | None = None
    overdue: bool = False

    def filter_unit(self, value):
        return Q(lead_unit__in=Unit.objects.subtree(get_object_or_404(Unit, pk=value))) if value else Q()

    def filter_q(self, value):
        return Item.matching(value or "")

    def filter_overdue(self, value):
        return Q(state__in=OPEN_STATES, effective_deadline__lt=timezone.localdate()) if value else Q()


# The moves an item's page offers too: not the year-end carry-over nor an import's recording.
ITEM_ACTIONS = tuple(m.code for m in ACTIONS.moves if m.actor not in {Actor.YEAR_END, Actor.IMPORT})


class TransitionIn(Schema):
    action: Literal[ITEM_ACTIONS]
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
    state: ExtensionState
    old_deadline: dt.date
    new_deadline: dt.date
    reason: str
    decision_note: str


class DecisionIn(Schema):
    approve: bool
    note: str = ""


class NoticeIn(Schema):
    level: NoticeLevel
    reason: str
    required_response: str = ""
    due_date: dt.date | None = None


class NoticeOut(Schema):
    id: int
    item_id: int
    level: NoticeLevel
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
        page_size: int | None = Field(None, ge=1, le=100)


@router.get("/ledgers", response={200: list[LedgerOut], **READ_ERRORS})
def list_ledgers(request):
    return access.visible_ledgers(request.auth).distinct().order_by("-year", "name")


@router.get("/items", response={200: list[ItemOut], **READ_ERRORS})
@paginate(ItemPages, page_size=50)
def list_items(request, filters: Query[ItemFilter]):
    org_access.require_official(request.auth)
    items = access.visible_items(request.auth).select_related("lead_unit").order_by("ledger_id", "seq")
    return filters.filter(items)


@router.get("/items/{item_id}", response={200: ItemOut, **READ_ERRORS})
def get_item(request, item_id: PathId):
    return _item(request, item_id)


@router.post("/items", response={201: ItemOut, **WRITE_ERRORS})
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


@router.post("/items/{item_id}/transitions", response={200: ItemOut, **WRITE_ERRORS})
def transition_item(request, item_id: PathId, payload: TransitionIn):
    return item_transition(
        actor=request.auth, item=_item(request, item_id), action=payload.action, reason=payload.reason
    )


@router.get("/items/{item_id}/events", response={200: list[EventOut], **READ_ERRORS})
def list_events(request, item_id: PathId):
    return ItemEvent.objects.filter(item=_item(request, item_id)).order_by("at", "id")


@router.post("/items/{item_id}/progress", response={201: dict, **WRITE_ERRORS})
def report_progress(request, item_id: PathId, payload: ProgressIn):
    report = item_report_progress(
        actor=request.auth, item=_item(request, item_id), percent=payload.percent, text=payload.text
    )
    return Status(201, {"id": report.pk, "percent": report.percent})


@router.get("/items/{item_id}/extensions", response={200: list[ExtensionOut], **READ_ERRORS})
def list_extensions(request, item_id: PathId):
    return ExtensionRequest.objects.filter(item=_item(request, item_id))


@router.post("/items/{item_id}/extensions", response={201: ExtensionOut, **WRITE_ERRORS})
def request_extension(request, item_id: PathId, payload: ExtensionIn):
    extension = extensions.extension_request(
        actor=request.auth, item=_item(request, item_id), new_deadline=payload.new_deadline, reason=payload.reason
    )
    return Status(201, extension)


@router.post("/extensions/{extension_id}/decision", response={200: ExtensionOut, **WRITE_ERRORS})
def decide_extension(request, extension_id: PathId, payload: DecisionIn):
    extension = get_object_or_404(ExtensionRequest, pk=extension_id)
    _item(request, extension.item_id)
    return extensions.extension_decide(
        actor=request.auth, request=extension, approve=payload.approve, note=payload.note
    )


@router.get("/items/{item_id}/notices", response={200: list[NoticeOut], **READ_ERRORS})
def list_notices(request, item_id: PathId):
    return Notice.objects.filter(item=_item(request, item_id))


@router.post("/items/{item_id}/notices", response={201: NoticeOut, **WRITE_ERRORS})
def issue_notice(request, item_id: PathId, payload: NoticeIn):
    return Status(201, notices.notice_issue(actor=request.auth, item=_item(request, item_id), **payload.dict()))


@router.post("/notices/{notice_id}/answer", response={200: NoticeOut, **WRITE_ERRORS})
def answer_notice(request, notice_id: PathId, payload: AnswerIn):
    notice = get_object_or_404(Notice, pk=notice_id)
    _item(request, notice.item_id)
    return notices.notice_answer(actor=request.auth, notice=notice, text=payload.text)
