import datetime as dt

import pytest

from duban.core.workdays import on_day
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services.items import item_create
from duban.ledger.services.transitions import item_transition

D = dt.date
MONDAY = D(2024, 6, 3)
END_OF_JUNE = D(2024, 6, 28)


@pytest.fixture
def ledger(personas) -> Ledger:
    return Ledger.objects.create(
        name="2024年区级重点改革任务台账",
        year=2024,
        kind=LedgerKind.REFORM,
        owner_unit=personas.reform_office,
        number_prefix="罗改",
    )


@pytest.fixture
def make_item(personas, ledger):
    """Register an item for unit A and, unless told otherwise, assign it on MONDAY."""

    def make(*, assign=True, deadline=END_OF_JUNE, lead_unit=None, **fields):
        item = item_create(
            actor=personas.office_admin,
            ledger=ledger,
            title=fields.pop("title", "推进东门步行街综合整治"),
            lead_unit=lead_unit or personas.unit_a,
            deadline=deadline,
            at=on_day(MONDAY, hour=9),
            **fields,
        )
        if assign:
            item = item_transition(actor=personas.office_admin, item=item, action="assign", at=on_day(MONDAY))
        return item

    return make
