"""Urban renewal's cast over the fixed personas: the district's urban-renewal bureau with two case
officers, a mediator, its head and a district approver; a demolition project in unit A's street
(东门街道) with four owners' households and a tenant, three of the owners signed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.conftest import _official
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind
from duban.orgs.models import User
from duban.renewal import services
from duban.renewal.choices import BureauRole, CaseOrigin, ClaimType, PartySide, ProjectKind
from duban.renewal.models import BureauPost, Project, RenewalSettings

PDF = b"%PDF-1.4\n% a scanned page\n"


@dataclass
class Bureau:
    unit: object
    officer: User
    officer2: User
    mediator: User
    head: User
    district: User
    project: Project

    @property
    def mediators(self):
        return [self.officer.person, self.mediator.person]


@pytest.fixture
def bureau(personas) -> Bureau:
    return build_bureau(personas)


def build_bureau(personas) -> Bureau:
    unit = org_services.unit_create(actor=None, parent=personas.district, name="区城市更新和土地整备局",
                                    kind=UnitKind.DEPARTMENT, short_name="区城市更新局")  # fmt: skip
    users = {name: _official(unit, name) for name in ("officer", "officer2", "mediator", "bureau_head")}
    users["district"] = _official(personas.district, "district_approver")
    for name, role in [("officer", BureauRole.OFFICER), ("officer2", BureauRole.OFFICER),
                       ("mediator", BureauRole.MEDIATOR), ("bureau_head", BureauRole.HEAD),
                       ("district", BureauRole.DISTRICT)]:  # fmt: skip
        BureauPost.objects.create(person=users[name].person, role=role)
    RenewalSettings.objects.create(bureau=unit)
    project = services.project_register(actor=None, name="东门老街片区更新单元", street=personas.unit_a,
                                        community="城东社区", kind=ProjectKind.DEMOLITION,
                                        developer="深圳市罗湖城市更新投资有限公司")  # fmt: skip
    services.households_add(actor=None, project=project, rows=[
        {"label": f"{n}栋101", "name": f"业主{n}", "phone": f"1380000000{n}", "area": "86.5"} for n in range(1, 5)
    ] + [{"label": "1栋101", "kind": "tenant", "name": "租户甲", "phone": "13900000001"}])  # fmt: skip
    owners = list(project.households.filter(kind="owner").order_by("label")[:3])
    services.households_sign(actor=None, project=project, households=owners,
                             signed_on=timezone.localdate() - dt.timedelta(days=30))  # fmt: skip
    return Bureau(unit, users["officer"], users["officer2"], users["mediator"], users["bureau_head"],
                  users["district"], project)  # fmt: skip


def pdf(name: str = "扫描件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def applied(bureau: Bureau, *, consented: bool = True, project=None):
    project = project or bureau.project
    owners = project.households.filter(kind="owner").order_by("label")
    owner = owners.filter(signed_on__isnull=True).first() or owners.first()
    day = timezone.localdate() if consented else None
    return services.case_apply(
        actor=bureau.officer,
        project=project,
        origin=CaseOrigin.APPLICATION,
        claim_type=ClaimType.COMPENSATION,
        claim="要求按市场评估价提高货币补偿标准。",
        parties=[
            {"side": PartySide.DEVELOPER, "name": project.developer, "consented_on": day},
            {"side": PartySide.RELOCATED, "household": owner, "consented_on": day},
        ],
    )


def mediating(bureau: Bureau, **kw):
    case = applied(bureau, **kw)
    return services.case_step(actor=bureau.officer, case=case, code="accept", mediators=bureau.mediators)


def building(bureau: Bureau) -> None:
    """Every owner signed and the project under construction: its milestones may come."""
    project = bureau.project
    services.households_sign(actor=None, project=project, households=list(project.households.filter(
        kind="owner", signed_on__isnull=True)), signed_on=timezone.localdate())  # fmt: skip
    while project.stage != "building":
        project = services.project_advance(actor=None, project=project)
    bureau.project = project


def opened(bureau: Bureau, *, required=Decimal("100000000"), guarantee_cap=Decimal(20)):
    rules = [{"kind": "milestone", "milestone": m, "cap_percent": cap}
             for m, cap in (("topped_out", 30), ("completed", 70), ("handover", 100))]  # fmt: skip
    if guarantee_cap:
        rules.append({"kind": "guarantee", "cap_percent": guarantee_cap})
    building(bureau)
    today = timezone.localdate()
    account = services.account_open(actor=bureau.officer, project=bureau.project, bank="中国银行深圳罗湖支行",
                                    number="7555 0001 2345", opened_on=today - dt.timedelta(days=400),
                                    requirements={"housing": required}, rules=rules)  # fmt: skip
    services.deposit_record(actor=bureau.officer, account=account, amount=required,
                            deposited_on=today - dt.timedelta(days=390), reference="存入001")  # fmt: skip
    return account
