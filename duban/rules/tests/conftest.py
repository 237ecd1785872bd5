"""A rule-revision ledger of the year, 东门街道's categories and its rule-building plan."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services import item_transition
from duban.rules import services
from duban.rules.choices import PlanScheme, RuleKind, RuleScope


@pytest.fixture
def rules_ledger(personas) -> Ledger:
    return Ledger.objects.create(
        name=f"{timezone.localdate().year}年制度建设台账", year=timezone.localdate().year, kind=LedgerKind.RULES,
        owner_unit=personas.reform_office, number_prefix="罗制",
    )  # fmt: skip


@pytest.fixture
def category(personas):
    return services.category_save(actor=personas.unit_a_staff, unit=personas.unit_a, name="政务会务")


@pytest.fixture
def plan(personas, rules_ledger):
    return services.plan_create(
        actor=personas.unit_a_staff, unit=personas.unit_a, ledger=rules_ledger, year=rules_ledger.year,
        title="东门街道制度“废、改、立”工作方案", scheme=PlanScheme.REPEAL_AMEND_MAKE,
    )  # fmt: skip


@pytest.fixture
def meeting_rule(personas, category):
    """A rule 东门街道 keeps, registered as it stands."""
    return services.rule_register(
        actor=personas.unit_a_staff, issuing_unit=personas.unit_a, title="东门街道党工委会议议事规则",
        kind=RuleKind.SYSTEM, scope=RuleScope.INTERNAL, category=category, document_number="罗东党〔2021〕5号",
        adopted_on=dt.date(2021, 3, 1), effective_on=dt.date(2021, 3, 1), text="第一条 为规范党工委会议……",
    )  # fmt: skip


def word_file(*paragraphs: str, name: str = "制度.docx") -> SimpleUploadedFile:
    from docx import Document

    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def assigned_and_signed(personas, action):
    """The office assigns the action's item and the unit signs for it."""
    item = item_transition(actor=personas.office_admin, item=action.item, action="assign")
    return item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge")


def due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=60)


def rule_built_from(personas, cause, *, unit=None, staff=None, title="整改长效制度"):
    """A rule in force, made by a plan's action that cites `cause` (an audit finding, a reform …)
    and went through every step to verification."""
    unit, staff = unit or personas.unit_b, staff or personas.unit_b_staff
    year = timezone.localdate().year
    ledger = Ledger.objects.filter(kind=LedgerKind.RULES, year=year).first() or Ledger.objects.create(
        name=f"{year}年制度建设台账", year=year, kind=LedgerKind.RULES, owner_unit=personas.reform_office,
        number_prefix="罗制",
    )  # fmt: skip
    plan = services.plan_create(
        actor=staff, unit=unit, ledger=ledger, year=year, title=f"{unit.name}制度建设计划",
        scheme=PlanScheme.ADD_SUPPLEMENT_ADJUST,
    )  # fmt: skip
    action = services.action_add(
        actor=staff, plan=plan, kind="make", title=title, rule_kind=RuleKind.SYSTEM, deadline=due(),
        summary="以审促建", causes=[cause],
    )  # fmt: skip
    item = item_transition(actor=personas.office_admin, item=action.item, action="assign")
    item_transition(actor=staff, item=item, action="acknowledge")
    services.action_step(actor=staff, action=action, code="to_deliberation")
    today = timezone.localdate()
    services.action_step(actor=staff, action=action, code="issue", reason="党工委会议", document_number=f"{title}1号",
                         adopted_on=today, effective_on=today, text="第一条")  # fmt: skip
    action = services.action_step(actor=staff, action=action, code="publish")
    item_transition(actor=personas.supervisor, item=action.item, action="accept", reason="核验通过")
    action.refresh_from_db()
    return action.rule
