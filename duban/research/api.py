"""Commissioned research's JSON API: calls, topics, projects with their events, an expert's scores,
and the public results — the same services and access rules as the pages. Documents (bids,
reports) are uploaded on the pages."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from duban.core.api import PUBLIC_READ_ERRORS, READ_ERRORS, WRITE_ERRORS, Id, Pages, PathId, StepEventOut
from duban.orgs.models import Unit
from duban.research import access, services
from duban.research.choices import CallState, Grade, PanelState, ProjectState, Selection, Stage, TopicKind, TopicState
from duban.research.models import Panel, TopicCall

router = Router(tags=["research"])


class TopicCallOut(Schema):
    id: int
    year: int
    title: str
    closes_on: dt.date
    state: CallState


class ResearchTopicOut(Schema):
    id: int
    call_id: int
    unit_id: int
    title: str
    why: str
    questions: str
    expected_use: str
    budget: Decimal
    state: TopicState
    kind: TopicKind | None = None
    budget_cap: Decimal | None

    @staticmethod
    def resolve_kind(topic) -> str | None:
        return topic.kind or None


class ResearchTopicIn(Schema):
    unit_id: Id
    title: str = Field(..., min_length=1, max_length=150)
    why: str = Field(..., min_length=1, max_length=5000)
    questions: str = Field(..., min_length=1, max_length=5000)
    expected_use: str = Field(..., min_length=1, max_length=5000)
    budget: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)


class ResearchProjectOut(Schema):
    id: int
    number: str
    title: str
    kind: TopicKind
    budget_cap: Decimal
    selection: Selection
    state: ProjectState
    commissioning_unit_id: int
    contractor_id: int | None
    grade: Grade | None = None

    @staticmethod
    def resolve_commissioning_unit_id(project) -> int:
        return project.topic.unit_id

    @staticmethod
    def resolve_grade(project) -> str | None:
        return project.grade or None


class ResearchPanelOut(Schema):
    id: int
    project_id: int
    stage: Stage
    round: int
    state: PanelState
    criteria: list[dict]


class ResearchScoresIn(Schema):
    entry: int = Field(..., ge=1)
    scores: dict[str, Decimal]


class ResearchResultOut(Schema):
    id: int
    project_id: int
    title: str
    abstract: str
    published_at: dt.datetime
    adoptions: int

    @staticmethod
    def resolve_adoptions(result) -> int:
        return result.adoptions.count()


@router.get("/calls", response={200: list[TopicCallOut], **READ_ERRORS})
def list_calls(request):
    access.require_use(request.auth)
    return list(TopicCall.objects.order_by("-year"))


@router.get("/topics", response={200: list[ResearchTopicOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_topics(request):
    access.require_use(request.auth)
    return access.topics_for(request.auth).order_by("-pk")


@router.post("/calls/{call_id}/topics", response={201: ResearchTopicOut, **WRITE_ERRORS})
def propose_topic(request, call_id: PathId, payload: ResearchTopicIn):
    access.require_use(request.auth)
    call = get_object_or_404(TopicCall, pk=call_id)
    unit = get_object_or_404(Unit, pk=payload.unit_id)
    return Status(201, services.topic_propose(actor=request.auth, call=call, unit=unit,
                                              **payload.dict(exclude={"unit_id"})))  # fmt: skip


@router.get("/projects", response={200: list[ResearchProjectOut], **READ_ERRORS})
@paginate(Pages, page_size=50)
def list_projects(request, state: Query[ProjectState | None] = None):
    access.require_use(request.auth)
    found = access.projects_for(request.auth).select_related("topic").order_by("-pk")
    return found.filter(state=state) if state else found


@router.get("/projects/{project_id}", response={200: ResearchProjectOut, **READ_ERRORS})
def get_project(request, project_id: PathId):
    return access.get_project_for_user(request.auth, project_id)


@router.get("/projects/{project_id}/events", response={200: list[StepEventOut], **READ_ERRORS})
def project_events(request, project_id: PathId):
    return list(access.get_project_for_user(request.auth, project_id).events.order_by("at", "pk"))


@router.get("/panels", response={200: list[ResearchPanelOut], **READ_ERRORS})
def my_panels(request):
    """The panels the expert sits on."""
    return list(Panel.objects.filter(members__user=request.auth).order_by("-pk"))


@router.post("/panels/{panel_id}/scores", response={200: ResearchPanelOut, **WRITE_ERRORS})
def submit_scores(request, panel_id: PathId, payload: ResearchScoresIn):
    panel = get_object_or_404(Panel.objects.filter(members__user=request.auth), pk=panel_id)
    services.score_submit(actor=request.auth, panel=panel, entry=payload.entry, scores=payload.scores)
    return panel


@router.get("/results", response={200: list[ResearchResultOut], **PUBLIC_READ_ERRORS}, auth=None)
@paginate(Pages, page_size=50)
def public_results(request):
    """The results shared with the public."""
    return access.results_for(None).order_by("-published_at", "-pk")
