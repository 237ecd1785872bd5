"""Commissioned research over the fixed personas: 区发展研究中心 runs it; the leading group is the
district leader and two more; unit A (东门街道) proposes topics; two research bodies outside the
district bid (深圳大学城市治理研究院, 综合开发研究院), and three experts score — one of them works at
the first body, the fixed expert persona at the evaluator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.conftest import PASSWORD, _official
from duban.orgs import services as org_services
from duban.orgs.choices import AccountType, PositionRole, UnitKind
from duban.orgs.models import User
from duban.reforms.tests.conftest import main_leader, make_reform, reform_ledger  # noqa: F401 - reforms to adopt into
from duban.research import services
from duban.research.models import ResearchSettings

PDF = b"%PDF-1.4\n% proposal\n"


@dataclass
class World:
    centre: object
    staff: User
    members: list
    body: object
    other_body: object
    applicant: User
    other_applicant: User
    experts: list  # experts[0] works at `body`


@pytest.fixture
def world(personas) -> World:
    return build_world(personas)


def _external(unit, username: str, *, expert: bool = False) -> User:
    person = org_services.person_create(actor=None, name=f"测试{username}")
    org_services.position_assign(actor=None, person=person, unit=unit, role=PositionRole.STAFF, title="研究员")
    return org_services.official_account_create(actor=None, person=person, username=username, password=PASSWORD,
                                                is_expert=expert, account_type=AccountType.EXTERNAL)  # fmt: skip


def build_world(personas) -> World:
    centre = org_services.unit_create(actor=None, parent=personas.district, name="区发展研究中心",
                                      kind=UnitKind.DEPARTMENT)  # fmt: skip
    staff = _official(centre, "research_staff")
    members = [personas.district_leader.person, _official(centre, "group2").person,
               _official(personas.reform_office, "group3").person]  # fmt: skip
    settings = ResearchSettings.objects.create(centre=centre)
    settings.group.set(members)
    body = org_services.unit_create(actor=None, parent=None, name="深圳大学城市治理研究院", kind=UnitKind.EXTERNAL)
    other = org_services.unit_create(actor=None, parent=None, name="综合开发研究院", kind=UnitKind.EXTERNAL)
    experts = [
        _external(body, "expert_body", expert=True),
        personas.expert,
        _external(personas.evaluator, "expert3", expert=True),
    ]
    return World(centre, staff, members, body, other, _external(body, "applicant"), _external(other, "applicant2"),
                 experts)  # fmt: skip


def pdf(name: str = "申报书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def report_docx(text: str = "研究报告正文") -> SimpleUploadedFile:
    import io

    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("研究报告.docx", buffer.getvalue())


def today() -> dt.date:
    return timezone.localdate()


def call_with_topic(personas, world, *, budget="300000"):
    call = services.call_open(actor=world.staff, year=today().year, title=f"{today().year}年度区委托课题选题征集",
                              closes_on=today() + dt.timedelta(days=10))  # fmt: skip
    topic = services.topic_propose(
        actor=personas.unit_a_staff, call=call, unit=personas.unit_a, title="老旧小区改造居民参与机制研究",
        why="改造中居民意见分歧大", questions="如何建立议事协商机制", expected_use="形成街道工作指引",
        budget=Decimal(budget),
    )  # fmt: skip
    return call, topic


def approved_project(personas, world, *, cap="250000"):
    call, topic = call_with_topic(personas, world)
    services.call_step(actor=world.staff, call=call, code="close")
    services.decision_record(actor=world.staff, call=call, held_on=today(), present=world.members[:2],
                             approved={topic: ("key", Decimal(cap))}, declined={})  # fmt: skip
    topic.refresh_from_db()
    return topic.project


def awarded(personas, world, *, amount="240000"):
    """A project awarded by open call to `world.body` after two bids were scored."""
    project = approved_project(personas, world)
    past = today() - dt.timedelta(days=1)
    services.project_setup(actor=world.staff, project=project, selection="open", bids_until=today())
    bids = [services.bid_submit(actor=user, project=project, applicant=body, price=Decimal(amount),
                                lead_researcher="张研究", summary="问卷与访谈", upload=pdf())
            for user, body in [(world.applicant, world.body), (world.other_applicant, world.other_body)]]  # fmt: skip
    project.bids_until = past
    project.save(update_fields=["bids_until"])
    panel = services.panel_open(actor=world.staff, project=project, stage="selection", experts=world.experts[1:])
    for expert in world.experts[1:]:
        for bid, mark in zip(bids, (90, 70), strict=True):
            services.score_submit(actor=expert, panel=panel, entry=bid.pk, scores=dict.fromkeys(
                ("relevance", "method", "team", "budget"), mark))  # fmt: skip
    services.panel_publish(actor=world.staff, panel=panel)
    return services.project_choose(actor=world.staff, project=project)


def signed(personas, world):
    return sign(world, awarded(personas, world))


def sign(world, project):
    due = {"opening": today() + dt.timedelta(days=20), "midterm": today() + dt.timedelta(days=80),
           "final": today() + dt.timedelta(days=160)}  # fmt: skip
    services.contract_sign(actor=world.staff, project=project, number="罗研合〔2026〕1号", amount=Decimal("240000"),
                           signed_on=today(), deliverables="研究报告一份、政策建议一份", due=due,
                           instalments={"opening": 96000, "midterm": 72000, "final": 72000})  # fmt: skip
    project.refresh_from_db()
    return project


def reviewed(world, project, stage: str, mark: int):
    milestone = project.contract.milestones.get(stage=stage)
    services.milestone_deliver(actor=world.staff, milestone=milestone)
    panel = services.panel_open(actor=world.staff, project=project, stage=stage, experts=world.experts[1:])
    for expert in world.experts[1:]:
        services.score_submit(actor=expert, panel=panel, entry=project.pk,
                              scores=dict.fromkeys(("quality", "use", "form"), mark))  # fmt: skip
    return services.panel_publish(actor=world.staff, panel=panel)
