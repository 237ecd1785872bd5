"""A reform follows its items into the next year: the tree, the weights and the roll-up carry over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from duban.core.workdays import on_day
from duban.ledger.choices import ItemState
from duban.ledger.owners import OwnedItemRefused
from duban.ledger.services import (
    extension_request,
    item_report_progress,
    item_transition,
    item_update,
    ledger_carry_over,
)
from duban.reforms.services import reform_decompose, reform_items
from duban.reforms.tests.conftest import MARCH

pytestmark = pytest.mark.django_db
D = dt.date
DECEMBER = on_day(D(2024, 12, 20), hour=9)


def test_a_carried_reform_keeps_its_tree_weights_and_roll_up(client, personas, make_reform, reform_ledger):
    reform = make_reform()
    first, second = reform_decompose(
        actor=personas.office_admin,
        reform=reform,
        milestones=[
            {"title": "梳理事项清单", "deadline": D(2024, 5, 31)},
            {"title": "上线全程网办系统", "deadline": D(2024, 10, 31), "weight": 3},
        ],
        at=MARCH,
    )
    item_transition(actor=personas.unit_a_staff, item=first, action="acknowledge", at=MARCH)
    item_report_progress(actor=personas.unit_a_staff, item=first, percent=40, text="清单初稿", at=MARCH)
    old_root = reform.item
    assert reform.progress == 10  # (40 × 1 + 0 × 3) / 4

    ledger_carry_over(
        actor=personas.office_admin, ledger=reform_ledger, year=2025, deadline=D(2025, 6, 30), at=DECEMBER
    )

    reform.refresh_from_db()
    root = reform.item
    assert root.ledger.year == 2025 and root.carried_from_id == old_root.pk and root.parent_id is None
    milestones = list(root.children.order_by("seq"))
    assert [(m.title, m.weight, m.progress, m.carried_from_id) for m in milestones] == [
        ("梳理事项清单", 1, 40, first.pk),
        ("上线全程网办系统", 3, 0, second.pk),
    ]
    assert root.progress == reform.progress == 10
    assert set(reform_items(reform)) == {root, *milestones}
    old_root.refresh_from_db()
    assert old_root.state == ItemState.CARRIED_OVER

    new_second = milestones[1]
    item_transition(actor=personas.unit_a_staff, item=new_second, action="acknowledge")
    item_report_progress(actor=personas.unit_a_staff, item=new_second, percent=100, text="系统上线")
    reform.refresh_from_db()
    assert reform.progress == 85  # (40 × 1 + 100 × 3) / 4

    client.force_login(personas.office_admin)
    page = client.get(reverse("reforms:reform_detail", args=[reform.pk]))
    assert page.context["root"] == root and page.context["milestones"] == milestones


def test_the_reforms_own_item_changes_only_through_the_reform(personas, make_reform):
    reform = make_reform()
    (milestone,) = reform_decompose(
        actor=personas.office_admin, reform=reform, milestones=[{"title": "节点", "deadline": D(2024, 6, 30)}], at=MARCH
    )
    root = reform.item

    with pytest.raises(OwnedItemRefused) as refused:
        item_update(actor=personas.office_admin, item=root, data={"title": "另一个标题"})
    assert refused.value.link == reverse("reforms:reform_detail", args=[reform.pk])
    item_transition(actor=personas.unit_a_staff, item=milestone, action="acknowledge", at=MARCH)
    item_transition(actor=personas.unit_a_staff, item=milestone, action="submit", reason="已完成", at=MARCH)
    item_transition(actor=personas.supervisor, item=milestone, action="accept", at=MARCH)
    with pytest.raises(OwnedItemRefused):  # a relapse is found by a look-back, recorded on the reform
        item_transition(actor=personas.supervisor, item=milestone, action="reopen", reason="反弹")
    with pytest.raises(OwnedItemRefused):  # the reform's deadline moves by an adjustment
        extension_request(actor=personas.unit_a_staff, item=root, new_deadline=D(2025, 3, 31), reason="延期", at=MARCH)
    root.refresh_from_db()
    milestone.refresh_from_db()
    assert (root.title, root.effective_deadline, milestone.state) == (reform.title, reform.deadline, ItemState.DONE)
