"""Construction contracts over the fixed personas: 区建筑工务署 (the agency: drafts the template and owns
the contracts) with a head and two staff, 区司法局 (reviews the template's legality) with a reviewer,
and the district template's first version issued."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from duban.conftest import _official
from duban.contracts import services
from duban.contracts.choices import STANDARD_CRITERIA, STANDARD_NODES
from duban.contracts.models import ContractsSettings, Template, TemplateVersion
from duban.core.workdays import on_day
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole, UnitKind
from duban.orgs.models import User


@dataclass
class Works:
    agency: object
    head: User
    staff: User
    staff2: User
    reviewer: User
    template: Template
    version: TemplateVersion


@pytest.fixture
def works(personas) -> Works:
    return build_works(personas)


def clauses(**overrides) -> dict:
    return {
        "agreement": "发包人与承包人就罗湖区建设工程施工事项协商一致，订立本合同。",
        "general_terms": "通用条款（GF-2017-0201）",
        "special_terms": "专用条款：关键节点工期要求；履约评价与工期奖罚挂钩。", "reward_per_day": Decimal("5000"),
        "penalty_per_day": Decimal("8000"), "reward_cap_percent": Decimal("2"), "penalty_cap_percent": Decimal("5"),
        "criteria": [list(c) for c in STANDARD_CRITERIA], "nodes": [list(n) for n in STANDARD_NODES], **overrides,
    }  # fmt: skip


def build_works(personas) -> Works:
    agency = org_services.unit_create(
        actor=None, parent=personas.district, name="区建筑工务署", kind=UnitKind.DEPARTMENT
    )
    justice = org_services.unit_create(actor=None, parent=personas.district, name="区司法局", kind=UnitKind.DEPARTMENT)
    head = _official(agency, "works_head", role=PositionRole.HEAD)
    staff, staff2 = _official(agency, "works_staff"), _official(agency, "works_staff2")
    reviewer = _official(justice, "justice_reviewer")
    ContractsSettings.objects.create(agency=agency, justice=justice)
    template = Template.objects.create(name="罗湖区建设工程施工合同（示范文本）")
    version = services.version_draft(actor=staff, template=template, **clauses())
    version = services.version_step(actor=staff, version=version, code="submit")
    version = services.version_step(actor=reviewer, version=version, code="issue")
    return Works(agency, head, staff, staff2, reviewer, template, version)


def signed(works: Works, *, start: dt.date, amount="20000000", number="罗工合〔2025〕1号"):
    """A contract of 20 million starting on `start`, its five nodes 100 days apart."""
    planned = [start + dt.timedelta(days=100 * n) for n in range(len(STANDARD_NODES))]
    return services.contract_sign(actor=works.staff, version=works.version, number=number,
                                  project="罗湖区某学校新建工程", owner=works.agency,
                                  contractor="深圳市某建设集团有限公司", amount=amount,
                                  starts_on=start, ends_on=planned[-2], planned=planned,
                                  at=on_day(start - dt.timedelta(days=10)))  # fmt: skip
