"""The green channel's cast over the fixed personas: 区财政局's treasury payment centre with a clerk,
a reviewer, an approver, a cashier and an administrator; unit A (东门街道) is on the green list with a
livelihood fund; unit B (桂园街道) pays from an ordinary fund."""

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
from duban.payments import services
from duban.payments.choices import CentreRole, Channel
from duban.payments.models import CentrePost, CentreSettings, DocumentType, Fund, GreenUnit, RequestType

PDF = b"%PDF-1.4\n% a scanned page\n"


@dataclass
class Centre:
    unit: object
    admin: User
    clerk: User
    other_clerk: User
    reviewer: User
    approver: User
    cashier: User
    green_fund: Fund
    plain_fund: Fund
    works: RequestType  # 工程款: indicator, approval, account, contract, invoice, acceptance

    def doc(self, code: str) -> DocumentType:
        return DocumentType.objects.get(code=code)


@pytest.fixture
def centre(personas) -> Centre:
    return build_centre(personas)


def build_centre(personas) -> Centre:
    finance = org_services.unit_create(actor=None, parent=personas.district, name="区财政局", kind=UnitKind.DEPARTMENT)
    unit = org_services.unit_create(actor=None, parent=finance, name="区财政局国库支付中心", kind=UnitKind.DEPARTMENT)
    users = {name: _official(unit, name) for name in ("centre_admin", "clerk", "clerk2", "reviewer", "approver",
                                                      "cashier")}  # fmt: skip
    for name, role in [("centre_admin", CentreRole.ADMIN), ("clerk", CentreRole.CLERK), ("clerk2", CentreRole.CLERK),
                       ("reviewer", CentreRole.REVIEWER), ("approver", CentreRole.APPROVER),
                       ("cashier", CentreRole.CASHIER)]:  # fmt: skip
        CentrePost.objects.create(person=users[name].person, role=role)
    CentreSettings.objects.create(centre=unit)
    services.standard_checklist(actor=None)
    year = timezone.localdate().year
    green_fund = Fund.objects.create(number=f"罗财预〔{year}〕101号", name="东门街道困难群众救助资金",
                                     unit=personas.unit_a, year=year, amount=Decimal("5000000"), livelihood=True,
                                     green=True)  # fmt: skip
    plain_fund = Fund.objects.create(number=f"罗财预〔{year}〕202号", name="桂园街道办公设备购置", unit=personas.unit_b,
                                     year=year, amount=Decimal("800000"))  # fmt: skip
    GreenUnit.objects.create(unit=personas.unit_a)
    return Centre(unit, users["centre_admin"], users["clerk"], users["clerk2"], users["reviewer"], users["approver"],
                  users["cashier"], green_fund, plain_fund, RequestType.objects.get(name="工程款"))  # fmt: skip


def pdf(name: str = "扫描件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def prepare(personas, centre, *, user=None, unit=None, docs=("indicator", "approval", "account", "contract",
                                                             "invoice", "acceptance"), **fields):  # fmt: skip
    values = {
        "request_type": centre.works, "project": "东门街道老旧小区雨污分流改造", "fund": centre.green_fund,
        "amount": Decimal("128500.00"), "payee_name": "深圳市罗湖建筑工程有限公司",
        "payee_account": "44201501100052512345",
        "payee_bank": "中国建设银行深圳罗湖支行", "contract_ref": "罗东合〔2026〕18号", "invoice_ref": "44031234",
        "channel": Channel.GREEN, **fields,
    }  # fmt: skip
    user = user or personas.unit_a_staff
    request = services.request_prepare(actor=user, unit=unit or personas.unit_a, **values)
    services.documents_add(
        actor=user, request=request, uploads=[(centre.doc(code), pdf(f"{code}.pdf")) for code in docs]
    )
    return request


def submitted(personas, centre, **fields):
    request = prepare(personas, centre, **fields)
    return services.request_step(actor=fields.get("user") or personas.unit_a_staff, request=request, code="submit")


def deferred(personas, centre, *, due_on: dt.date | None = None, **fields):
    """A green request without its invoice and acceptance report, accepted with both to follow."""
    request = submitted(personas, centre, docs=("indicator", "approval", "account", "contract"), **fields)
    due = due_on or request.due_on
    gaps = [{"document_type": centre.doc(code), "due_on": due} for code in ("invoice", "acceptance")]
    request = services.request_step(actor=centre.clerk, request=request, code="defer", gaps=gaps)
    return services.request_step(actor=personas.unit_a_head, request=request, code="commit", sealed=True)
