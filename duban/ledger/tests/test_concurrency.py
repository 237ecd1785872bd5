"""Concurrent sweeps and transitions need a real server: these run on PostgreSQL."""

import datetime as dt

import pytest

from duban.core.testing import run_together
from duban.core.workdays import on_day
from duban.ledger.choices import ItemState, NoticeLevel
from duban.ledger.models import ItemEvent, Notice
from duban.ledger.services.sweep import sweep_run
from duban.ledger.services.transitions import item_transition
from duban.ledger.tests.conftest import MONDAY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_sweeps_at_once_issue_each_notice_once(personas, make_item):
    for n in range(40):
        make_item(title=f"任务{n}")

    run_together(*[lambda: sweep_run(today=dt.date(2024, 7, 1), batch_size=5) for _ in range(3)])

    assert Notice.objects.filter(level=NoticeLevel.BLUE).count() == 40
    assert Notice.objects.values("number").distinct().count() == Notice.objects.count()
    assert ItemEvent.objects.filter(code="ledger.notice.blue").count() == 40


def test_two_reviewers_accepting_at_once_make_one_transition(personas, make_item):
    item = make_item()
    item = item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item = item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="报告", at=on_day(MONDAY))

    outcomes = run_together(
        lambda: item_transition(actor=personas.supervisor, item=item, action="accept"),
        lambda: item_transition(actor=personas.office_admin, item=item, action="accept"),
    )

    assert sorted(type(o).__name__ for o in outcomes) == ["Item", "TransitionError"]
    item.refresh_from_db()
    assert item.state == ItemState.DONE
    assert ItemEvent.objects.filter(item=item, code="ledger.item.accepted").count() == 1
