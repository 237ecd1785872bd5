import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from duban.core.errors import TransitionError
from duban.core.workdays import on_day
from duban.ledger import counts
from duban.ledger.choices import ItemState, Light
from duban.ledger.models import Item, ItemEvent, Notification
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import item_create, item_update
from duban.ledger.services.progress import co_unit_acknowledge, co_unit_report, item_report_progress
from duban.ledger.services.transitions import item_transition
from duban.ledger.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
D = dt.date


def codes(item):
    return list(ItemEvent.objects.filter(item=item).values_list("code", flat=True))


def test_the_whole_loop_from_registration_to_close(personas, make_item):
    p = personas
    item = make_item(assign=False)
    assert item.number == "罗改〔2024〕001号"
    assert item.state == ItemState.DRAFT
    assert item.leader == p.district_leader.person  # from the portfolio covering 东门街道

    item = item_transition(actor=p.office_admin, item=item, action="assign", at=on_day(MONDAY))
    item = item_transition(actor=p.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item_report_progress(actor=p.unit_a_staff, item=item, percent=40, text="已完成摸排", at=on_day(D(2024, 6, 10)))
    item = item_transition(
        actor=p.unit_a_head, item=item, action="submit", reason="办结报告：已全部整改", at=on_day(D(2024, 6, 20))
    )
    item = item_transition(
        actor=p.supervisor, item=item, action="return", reason="佐证材料不全", at=on_day(D(2024, 6, 21))
    )
    item = item_transition(
        actor=p.unit_a_staff, item=item, action="submit", reason="补充佐证", at=on_day(D(2024, 6, 24))
    )
    item = item_transition(actor=p.supervisor, item=item, action="accept", at=on_day(D(2024, 6, 25)))
    item = item_transition(actor=p.supervisor, item=item, action="close", at=on_day(D(2024, 6, 26)))

    assert item.state == ItemState.CLOSED
    assert item.closed_by == p.supervisor
    assert item.progress == 100
    assert item.light == Light.NONE
    assert codes(item) == [
        "ledger.item.created",
        "ledger.item.assigned",
        "ledger.item.acknowledged",
        "ledger.item.started",
        "ledger.item.progress",
        "ledger.item.submitted",
        "ledger.item.returned",
        "ledger.item.submitted",
        "ledger.item.accepted",
        "ledger.item.finished_on_time",
        "ledger.item.closed",
    ]


@pytest.mark.parametrize("persona", ["unit_a_head", "unit_a_staff", "unit_b_staff", "district_leader", "resident"])
def test_nobody_inside_the_unit_or_without_a_supervising_role_may_accept(personas, make_item, persona):
    item = make_item()
    item = item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item = item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="报告", at=on_day(MONDAY))
    events_before = ItemEvent.objects.count()

    with pytest.raises(LedgerPermissionError):
        item_transition(actor=getattr(personas, persona), item=item, action="accept", at=on_day(MONDAY))

    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    assert ItemEvent.objects.count() == events_before


def test_an_office_cannot_review_its_own_item(personas, make_item):
    item = make_item(lead_unit=personas.reform_office)
    item = item_transition(actor=personas.office_admin, item=item, action="acknowledge", at=on_day(MONDAY))
    item = item_transition(actor=personas.office_admin, item=item, action="submit", reason="报告", at=on_day(MONDAY))

    with pytest.raises(LedgerPermissionError):
        item_transition(actor=personas.office_admin, item=item, action="accept", at=on_day(MONDAY))
    item = item_transition(actor=personas.supervisor, item=item, action="accept", at=on_day(MONDAY))
    assert item.state == ItemState.DONE


def test_a_refused_transition_changes_nothing(personas, make_item):
    item = make_item(assign=False)
    before = (Item.objects.values().get(pk=item.pk), ItemEvent.objects.count())

    with pytest.raises(TransitionError):
        item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))

    assert (Item.objects.values().get(pk=item.pk), ItemEvent.objects.count()) == before


def test_cancel_and_return_need_a_reason(personas, make_item):
    item = make_item()
    with pytest.raises(ValidationError):
        item_transition(actor=personas.office_admin, item=item, action="cancel", reason="  ")
    item.refresh_from_db()
    assert item.state == ItemState.ASSIGNED


def test_a_deadline_in_working_days_counts_from_assignment(personas, make_item):
    item = make_item(assign=False, deadline=None, deadline_working_days=5)
    item = item_transition(actor=personas.office_admin, item=item, action="assign", at=on_day(D(2024, 9, 27)))
    assert item.deadline == D(2024, 10, 10)  # skips the National Day holiday, counts the 调休 Sunday
    assert item.effective_deadline == D(2024, 10, 10)


def test_assigning_without_a_deadline_is_refused(personas, make_item):
    item = make_item(assign=False, deadline=None)
    with pytest.raises(ValidationError, match="办理期限|deadline|期限"):
        item_transition(actor=personas.office_admin, item=item, action="assign", at=on_day(MONDAY))
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT


def test_late_acknowledgement_is_tracked_and_scored(personas, make_item):
    item = make_item()
    assert item.acknowledge_due == D(2024, 6, 5)

    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(D(2024, 6, 7)))

    late = ItemEvent.objects.get(item=item, code="ledger.item.acknowledged_late")
    assert late.points == Decimal("-0.5")
    assert late.unit == personas.unit_a


def test_lateness_is_frozen_when_the_item_finishes(personas, make_item):
    item = make_item(deadline=D(2024, 6, 10))
    item = item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item = item_transition(
        actor=personas.unit_a_staff, item=item, action="submit", reason="报告", at=on_day(D(2024, 6, 14))
    )
    item = item_transition(actor=personas.supervisor, item=item, action="accept", at=on_day(D(2024, 6, 17)))
    item = item_transition(actor=personas.supervisor, item=item, action="close", at=on_day(D(2024, 6, 18)))

    assert item.late_days == 4
    assert item.overdue_days(D(2025, 1, 1)) == 4
    assert ItemEvent.objects.get(item=item, code="ledger.item.finished_late").points == Decimal("-1")


def test_a_look_back_reopens_a_closed_item(personas, make_item):
    item = make_item()
    for actor, action, reason in [
        (personas.unit_a_staff, "acknowledge", ""),
        (personas.unit_a_staff, "submit", "报告"),
        (personas.supervisor, "accept", ""),
        (personas.supervisor, "close", ""),
    ]:
        item = item_transition(actor=actor, item=item, action=action, reason=reason, at=on_day(MONDAY))

    item = item_transition(actor=personas.supervisor, item=item, action="reopen", reason="回头看发现反弹")

    assert item.state == ItemState.IN_PROGRESS
    assert item.closed_at is None and item.late_days is None
    assert codes(item)[-1] == "ledger.item.reopened"


def test_progress_rolls_up_by_normalised_weights(personas, make_item, ledger):
    parent = make_item(title="总任务")
    first = item_create(
        actor=personas.office_admin,
        ledger=ledger,
        title="子任务一",
        lead_unit=personas.unit_a,
        parent=parent,
        deadline=D(2024, 6, 20),
        weight=1,
    )
    second = item_create(
        actor=personas.office_admin,
        ledger=ledger,
        title="子任务二",
        lead_unit=personas.unit_a,
        parent=parent,
        deadline=D(2024, 6, 20),
        weight=3,
    )
    for child in (first, second):
        item_transition(actor=personas.office_admin, item=child, action="assign", at=on_day(MONDAY))
        item_transition(actor=personas.unit_a_staff, item=child, action="acknowledge", at=on_day(MONDAY))

    item_report_progress(actor=personas.unit_a_staff, item=first, percent=100, text="完成", at=on_day(MONDAY))
    parent.refresh_from_db()
    assert parent.progress == 25
    item_report_progress(actor=personas.unit_a_staff, item=second, percent=50, text="过半", at=on_day(MONDAY))
    parent.refresh_from_db()
    assert parent.progress == 63  # (100×1 + 50×3) / 4 = 62.5, rounded half up

    item_transition(actor=personas.office_admin, item=second, action="cancel", reason="并入其他任务")
    parent.refresh_from_db()
    assert parent.progress == 100
    with pytest.raises(ValidationError):
        item_report_progress(actor=personas.unit_a_staff, item=parent, percent=10, text="x", at=on_day(MONDAY))


def test_progress_must_stay_within_0_to_100(personas, make_item):
    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    with pytest.raises(ValidationError):
        item_report_progress(actor=personas.unit_a_staff, item=item, percent=101, text="x", at=on_day(MONDAY))
    item.refresh_from_db()
    assert item.progress == 0


def test_co_units_acknowledge_and_report_their_own_part(personas, make_item):
    item = make_item(co_units=[(personas.unit_b, "配合做好宣传")])

    with pytest.raises(LedgerPermissionError):
        co_unit_acknowledge(actor=personas.unit_a_staff, item=item, unit=personas.unit_b)
    with pytest.raises(TransitionError):
        co_unit_report(actor=personas.unit_b_staff, item=item, unit=personas.unit_b, percent=10, text="x")
    share = co_unit_acknowledge(actor=personas.unit_b_staff, item=item, unit=personas.unit_b)
    co_unit_report(actor=personas.unit_b_staff, item=item, unit=personas.unit_b, percent=60, text="已张贴海报")

    share.refresh_from_db()
    assert share.progress == 60
    assert ItemEvent.objects.filter(item=item, code="ledger.co_unit.progress", unit=personas.unit_b).count() == 1


def test_deadline_cannot_be_edited_after_assignment(personas, make_item):
    item = make_item()
    with pytest.raises(ValidationError):
        item_update(actor=personas.office_admin, item=item, data={"deadline": D(2024, 12, 31)})
    item.refresh_from_db()
    assert item.effective_deadline == D(2024, 6, 28)
    item = item_update(actor=personas.office_admin, item=item, data={"title": "新标题"})
    assert ItemEvent.objects.filter(item=item, code="ledger.item.updated").get().data == {
        "changes": {"title": ["推进东门步行街综合整治", "新标题"]}
    }


def test_units_are_told_after_commit(personas, make_item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_item()
    assert Notification.objects.count() == 0
    for callback in callbacks:
        callback()
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"unit_a_head", "unit_a_staff"}


def test_only_the_office_registers_items(personas, ledger):
    with pytest.raises(LedgerPermissionError):
        item_create(actor=personas.unit_a_staff, ledger=ledger, title="x", lead_unit=personas.unit_a)
    assert Item.objects.count() == 0


def test_the_summary_counts_items_per_unit_light_and_state(personas, ledger, make_item):
    def keyed(rows):
        return {(r["lead_unit_id"], r["light"], r["state"]): r["n"] for r in rows}

    first = make_item(title="甲")
    make_item(title="乙")
    make_item(title="丙", lead_unit=personas.unit_b, assign=False)
    assert (
        keyed(counts.summary())
        == keyed(Item.objects.summary())
        == {
            (personas.unit_a.pk, Light.GREEN, ItemState.ASSIGNED): 2,
            (personas.unit_b.pk, Light.NONE, ItemState.DRAFT): 1,
        }
    )

    item_transition(actor=personas.unit_a_staff, item=first, action="acknowledge", at=on_day(MONDAY, hour=10))
    Item.objects.filter(lead_unit=personas.unit_b).update(light=Light.RED)  # a bulk write is counted too
    counts.compact()
    Item.objects.filter(pk=first.pk).update(title="甲（改）")  # no counted column changed
    assert (
        keyed(counts.summary())
        == keyed(Item.objects.summary())
        == {
            (personas.unit_a.pk, Light.GREEN, ItemState.ASSIGNED): 1,
            (personas.unit_a.pk, Light.GREEN, ItemState.ACKNOWLEDGED): 1,
            (personas.unit_b.pk, Light.RED, ItemState.DRAFT): 1,
        }
    )
    assert counts.summary(ledger_ids=[ledger.pk + 1]) == []
