import datetime as dt

import pytest

from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.rectification.services import finding_add, project_create


@pytest.fixture
def audit_ledger(personas) -> Ledger:
    return Ledger.objects.create(
        name="2024年审计整改台账",
        year=2024,
        kind=LedgerKind.AUDIT,
        owner_unit=personas.reform_office,
        number_prefix="罗审整",
    )


@pytest.fixture
def project(personas, audit_ledger):
    return project_create(
        actor=personas.office_admin,
        year=2024,
        name="2023年度东门街道预算执行审计",
        audit_type="budget",
        audited_unit=personas.unit_a,
        report_number="罗审报〔2024〕3号",
        report_date=dt.date(2024, 1, 10),
    )


@pytest.fixture
def finding(personas, project):
    return finding_add(
        actor=personas.office_admin,
        project=project,
        title="专项资金闲置未及时拨付",
        finding_type="management",
        amount_involved=1_250_000,
        requirement="限期拨付并建立资金拨付台账",
    )
