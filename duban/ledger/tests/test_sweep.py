import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from duban.core.workdays import on_day
from duban.ledger.choices import Light, NoticeLevel
from duban.ledger.models import ItemEvent, LightRecord, Notice, SweepRun
from duban.ledger.services import sweep as sweep_module
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.extensions import extension_decide, extension_request
from duban.ledger.services.lights import compute_light
from duban.ledger.services.notices import notice_answer, notice_issue
from duban.ledger.services.progress import item_report_progress
from duban.ledger.services.sweep import SweepResult, sweep_run
from duban.ledger.services.transitions import item_transition
from duban.ledger.tests.conftest import MONDAY

pytestmark = pytest.mark.django_db
D = dt.date


def levels(item):
    return list(Notice.objects.filter(item=item).order_by("created_at", "id").values_list("level", flat=True))


@pytest.mark.parametrize(
    ("today", "light"),
    [
        (D(2024, 6, 20), Light.GREEN),
        (D(2024, 6, 21), Light.YELLOW),
        (D(2024, 6, 28), Light.YELLOW),
        (D(2024, 7, 1), Light.RED),
    ],
)
def test_deadline_mode_lights(today, light):
    policy = {"mode": "deadline", "yellow_working_days": 5}
    assert (
        compute_light(
            state="in_progress",
            deadline=D(2024, 6, 28),
            start=MONDAY,
            progress=0,
            submitted_on=None,
            policy=policy,
            today=today,
        )
        == light
    )


@pytest.mark.parametrize(("progress", "light"), [(50, Light.GREEN), (35, Light.GREEN), (34, Light.YELLOW)])
def test_pro_rata_mode_compares_progress_with_elapsed_time(progress, light):
    policy = {"mode": "pro_rata", "k": 0.7}
    # Half of the time has passed: yellow below 0.7 × 50 % = 35 %.
    assert (
        compute_light(
            state="in_progress",
            deadline=D(2024, 1, 21),
            start=D(2024, 1, 1),
            progress=progress,
            submitted_on=None,
            policy=policy,
            today=D(2024, 1, 11),
        )
        == light
    )


def test_the_ladder_climbs_day_by_day_and_never_repeats(personas, make_item):
    item = make_item()  # due 2024-06-28, a Friday

    for day in [D(2024, 6, 24), D(2024, 6, 25), D(2024, 6, 26)]:
        sweep_run(today=day)
    assert levels(item) == ["reminder"]  # 3 working days before, once

    sweep_run(today=D(2024, 7, 1))
    assert levels(item) == ["reminder", "blue"]
    sweep_run(today=D(2024, 7, 5))
    assert levels(item) == ["reminder", "blue"]  # the blue is 4 working days old
    sweep_run(today=D(2024, 7, 8))
    assert levels(item) == ["reminder", "blue", "yellow"]
    sweep_run(today=D(2024, 7, 15))
    assert levels(item) == ["reminder", "blue", "yellow", "red"]

    sweep_run(today=D(2024, 7, 15), force=True)
    sweep_run(today=D(2024, 7, 16))
    assert levels(item) == ["reminder", "blue", "yellow", "red"]
    item.refresh_from_db()
    assert item.light == Light.RED
    red = Notice.objects.get(item=item, level=NoticeLevel.RED)
    assert red.number == "罗改督查令〔2024〕1号"
    assert red.recipient_head.name == "测试unit_a_head"
    assert ItemEvent.objects.get(item=item, code="ledger.notice.red").points == Decimal("-2")


def test_an_answered_notice_is_not_escalated(personas, make_item):
    item = make_item()
    sweep_run(today=D(2024, 7, 1))
    blue = Notice.objects.get(item=item, level=NoticeLevel.BLUE)
    notice_answer(actor=personas.unit_a_staff, notice=blue, text="已制定整改计划", at=on_day(D(2024, 7, 2)))

    sweep_run(today=D(2024, 7, 12))

    assert levels(item) == ["blue"]


def test_three_reds_in_a_year_bring_one_interview_of_the_unit_head(personas, make_item):
    items = [make_item(title=f"任务{n}") for n in range(3)]
    for day in [D(2024, 7, 1), D(2024, 7, 8), D(2024, 7, 15), D(2024, 7, 16), D(2024, 7, 17)]:
        sweep_run(today=day)

    assert Notice.objects.filter(level=NoticeLevel.RED).count() == 3
    interview = Notice.objects.get(level=NoticeLevel.INTERVIEW)
    assert interview.recipient_unit == personas.unit_a
    assert interview.item in items


def test_submitted_items_wait_for_review_without_escalation(personas, make_item):
    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="报告", at=on_day(D(2024, 6, 27)))

    sweep_run(today=D(2024, 7, 10))

    item.refresh_from_db()
    assert levels(item) == []
    assert item.light == Light.GREEN


def test_lights_are_kept_per_period_so_a_catch_up_shows(personas, make_item):
    item = make_item(deadline=D(2024, 6, 7))
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    sweep_run(today=D(2024, 6, 4))
    request = extension_request(
        actor=personas.unit_a_staff,
        item=item,
        new_deadline=D(2024, 7, 31),
        reason="需协调产权单位",
        at=on_day(D(2024, 6, 5)),
    )
    extension_decide(actor=personas.supervisor, request=request, approve=True, at=on_day(D(2024, 6, 6)))
    sweep_run(today=D(2024, 7, 2))

    records = {r.period: (r.light, r.last_light) for r in LightRecord.objects.filter(item=item)}
    assert records == {"2024-06": (Light.YELLOW, Light.GREEN), "2024-07": (Light.GREEN, Light.GREEN)}


def test_a_killed_sweep_leaves_whole_batches_and_the_next_run_resumes(personas, make_item, monkeypatch):
    items = [make_item(title=f"任务{n}") for n in range(3)]
    real = sweep_module.escalate
    calls = []

    def dies_on_the_second_item(item, today, at):
        calls.append(item.pk)
        if len(calls) == 2:
            raise RuntimeError("killed")
        return real(item, today, at)

    monkeypatch.setattr(sweep_module, "escalate", dies_on_the_second_item)
    with pytest.raises(RuntimeError):
        sweep_run(today=D(2024, 7, 1), batch_size=1)
    assert list(Notice.objects.values_list("item_id", flat=True)) == [items[0].pk]

    monkeypatch.setattr(sweep_module, "escalate", real)
    result = sweep_run(today=D(2024, 7, 1), batch_size=1)

    assert result.notices == 2
    assert sorted(Notice.objects.filter(level=NoticeLevel.BLUE).values_list("item_id", flat=True)) == [
        i.pk for i in items
    ]
    assert sweep_run(today=D(2024, 7, 1)).notices == 0


def test_extensions_only_before_the_deadline_and_only_decided_from_outside(personas, make_item):
    item = make_item(deadline=D(2024, 6, 7))
    with pytest.raises(ValidationError):
        extension_request(
            actor=personas.unit_a_staff, item=item, new_deadline=D(2024, 6, 30), reason="x", at=on_day(D(2024, 6, 10))
        )
    request = extension_request(
        actor=personas.unit_a_staff, item=item, new_deadline=D(2024, 6, 30), reason="雨季施工", at=on_day(D(2024, 6, 5))
    )
    with pytest.raises(LedgerPermissionError):
        extension_decide(actor=personas.unit_a_head, request=request, approve=True)
    with pytest.raises(ValidationError):
        extension_decide(actor=personas.supervisor, request=request, approve=False, note="")
    item.refresh_from_db()
    assert item.effective_deadline == D(2024, 6, 7)

    extension_decide(actor=personas.supervisor, request=request, approve=False, note="理由不充分")
    item.refresh_from_db()
    assert item.effective_deadline == D(2024, 6, 7)
    assert item.deadline == D(2024, 6, 7)


def test_a_supervisor_issues_any_step_by_hand_but_the_unit_cannot(personas, make_item):
    item = make_item()
    with pytest.raises(LedgerPermissionError):
        notice_issue(actor=personas.unit_a_head, item=item, level=NoticeLevel.RED, reason="x")
    notice = notice_issue(
        actor=personas.supervisor, item=item, level=NoticeLevel.ONSITE, reason="群众反映强烈", at=on_day(D(2024, 6, 10))
    )
    assert notice.number == "罗改现场督〔2024〕1号"
    assert notice.due_date == D(2024, 6, 17)


def test_progress_keeps_a_pro_rata_item_green(personas, make_item, ledger):
    ledger.light_policy = {"mode": "pro_rata", "k": 0.7, "period": "month"}
    ledger.save()
    item = make_item(deadline=D(2024, 7, 3))
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    sweep_run(today=D(2024, 6, 18))
    item.refresh_from_db()
    assert item.light == Light.YELLOW

    item_report_progress(actor=personas.unit_a_staff, item=item, percent=60, text="过半", at=on_day(D(2024, 6, 18)))

    item.refresh_from_db()
    assert item.light == Light.GREEN


def test_the_scoring_feed_totals_points_per_unit_and_year(personas, make_item):
    make_item(title="甲")
    make_item(title="乙")
    for day in [D(2024, 7, 1), D(2024, 7, 8), D(2024, 7, 15)]:
        sweep_run(today=day)

    totals = list(ItemEvent.objects.unit_totals(2024))

    assert [(row["unit__name"], row["points"]) for row in totals] == [("东门街道", Decimal("-6.0"))]


def test_a_second_sweep_the_same_day_runs_only_when_an_item_was_assigned_since(personas, make_item):
    make_item(title="逾期任务")
    draft = make_item(title="新任务", assign=False, deadline=D(2024, 7, 3))
    with time_machine.travel(on_day(D(2024, 7, 1), hour=7), tick=True):
        first = sweep_run()
        assert sweep_run() == SweepResult()  # nothing changed: skipped, nothing written
        item_transition(actor=personas.office_admin, item=draft, action="assign")
        second = sweep_run()

    assert (first.notices, second.notices) == (1, 1)
    runs = list(SweepRun.objects.order_by("started_at").values_list("day", "notices", "finished_at"))
    assert [(day, notices) for day, notices, _finished in runs] == [(D(2024, 7, 1), 1), (D(2024, 7, 1), 1)]
    assert all(finished is not None for _day, _notices, finished in runs)
