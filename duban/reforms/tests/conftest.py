import datetime as dt

import pytest

from duban.core.workdays import on_day
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.orgs import services as org_services
from duban.orgs.choices import LeaderRank
from duban.orgs.models import Domain
from duban.reforms.choices import ReformLevel, SpecialGroup
from duban.reforms.services import reform_register

D = dt.date
MARCH = on_day(D(2024, 3, 1), hour=9)


@pytest.fixture
def reform_ledger(personas) -> Ledger:
    return Ledger.objects.create(
        name="2024年区级重点改革任务台账",
        year=2024,
        kind=LedgerKind.REFORM,
        owner_unit=personas.reform_office,
        number_prefix="罗改",
    )


@pytest.fixture
def domain(db) -> Domain:
    return Domain.objects.create(code="business", name="营商环境")


@pytest.fixture
def main_leader(personas):
    person = org_services.person_create(actor=None, name="测试区委书记")
    org_services.portfolio_create(actor=None, leader=person, title="区委书记", rank=LeaderRank.MAIN)
    return person


@pytest.fixture
def make_reform(personas, reform_ledger, main_leader):
    def make(**fields):
        values = {
            "year": 2024,
            "level": ReformLevel.KEY,
            "group": SpecialGroup.INDUSTRY,
            "title": "商事登记“秒批”改革",
            "goals": "企业开办全程网办，一日办结",
            "deadline": D(2024, 12, 31),
            "lead_unit": personas.unit_a,
            **fields,
        }
        return reform_register(actor=personas.office_admin, at=MARCH, **values)

    return make
