"""Bulletins: a draft's tables equal the data of its period, counted here another way; issuing
numbers it, freezes its figures and puts the 通报 step on the ladder for every overdue item of the
units it names; refused steps change nothing; who reads what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document

from duban.bulletins import services
from duban.bulletins.models import Bulletin
from duban.core.errors import TransitionError
from duban.core.testing import assert_valid_office_file, official_document
from duban.core.workdays import on_day
from duban.ledger.choices import NoticeLevel
from duban.ledger.models import Item, Notice, Notification
from duban.ledger.services import notice_issue
from duban.ledger.tests.conftest import MONDAY

WEEK_END = MONDAY + dt.timedelta(days=6)  # Sunday 9 June 2024


@pytest.fixture
def week(personas, make_item):
    """In the week of 3 June 2024: unit A gets three items (one overdue by Sunday, one finished on
    time, one late) and a 督查令; unit B two (one overdue, with an interview); the community one."""
    a_late = make_item(title="东门老街立面整治", deadline=MONDAY + dt.timedelta(days=2))
    a_done = make_item(title="东门片区路灯修复")
    a_slow = make_item(title="东门市场排水改造", deadline=MONDAY + dt.timedelta(days=1))
    b_late = make_item(title="桂园社康扩建", lead_unit=personas.unit_b, deadline=MONDAY + dt.timedelta(days=3))
    make_item(title="城东社区停车治理", lead_unit=personas.unit_a_community)
    Item.objects.filter(pk=a_done.pk).update(state="closed", finished_on=MONDAY + dt.timedelta(days=4), late_days=0)
    Item.objects.filter(pk=a_slow.pk).update(state="closed", finished_on=MONDAY + dt.timedelta(days=5), late_days=4)
    notice_issue(actor=personas.office_admin, item=a_late, level=NoticeLevel.RED, reason="逾期未办结",
                 at=on_day(MONDAY + dt.timedelta(days=4)))  # fmt: skip
    notice_issue(actor=personas.office_admin, item=b_late, level=NoticeLevel.INTERVIEW, reason="逾期未办结",
                 at=on_day(MONDAY + dt.timedelta(days=5)))  # fmt: skip
    return {"a_late": a_late, "b_late": b_late}


def _draft(personas, unit=None):
    return services.bulletin_draft(actor=personas.office_admin, cadence="weekly", day=MONDAY + dt.timedelta(days=2),
                                   scope_unit=unit)  # fmt: skip


def test_the_tables_equal_the_data_of_the_period(personas, week):
    bulletin = _draft(personas)
    assert (bulletin.starts_on, bulletin.ends_on) == (MONDAY, WEEK_END)
    figures = services.figures_of(bulletin)
    rows = {r["name"] + ("*" if r["direct"] else ""): r for r in figures["rows"]}
    a, b = rows["东门街道"], rows["桂园街道"]
    assert (a["assigned"], a["finished"], a["on_time"], a["overdue"], a["red"], a["interviews"]) == (4, 2, 1, 1, 1, 0)
    assert (b["assigned"], b["overdue"], b["interviews"], b["rate"]) == (1, 1, 1, None)
    assert a["rate"] == 50.0
    totals = figures["totals"]
    for column, counted in {
        "assigned": Item.objects.filter(assigned_at__date__gte=MONDAY, assigned_at__date__lte=WEEK_END).count(),
        "overdue": Item.objects.overdue(WEEK_END).count(),
        "red": Notice.objects.filter(level="red").count(),
        "finished": Item.objects.filter(finished_on__range=(MONDAY, WEEK_END)).count(),
    }.items():  # fmt: skip
        assert totals[column] == counted, column
    assert set(figures["last"]) >= {"东门街道", "桂园街道"}
    assert {n["name"] for n in figures["named"]} == {"东门街道", "桂园街道"}


def test_issuing_numbers_it_freezes_it_and_records_the_public_notice_step(personas, week, make_item):
    bulletin = _draft(personas)
    opening, closing = "为推动督办事项按期办结，现将本周情况通报如下。", "请各单位对照整改。"
    services.bulletin_save(actor=personas.office_admin, bulletin=bulletin, title=bulletin.title, opening=opening,
                           closing=closing)  # fmt: skip
    issued = services.bulletin_step(actor=personas.office_admin, bulletin=bulletin, code="issue")
    assert issued.state == "issued" and issued.number.startswith("罗督通〔") and issued.number.endswith("1号")
    stepped = Notice.objects.filter(level=NoticeLevel.PUBLIC_NOTICE, auto_key=f"bulletin:{issued.pk}")
    assert set(stepped.values_list("item", flat=True)) == {week["a_late"].pk, week["b_late"].pk}
    frozen = dict(issued.figures)
    make_item(title="次日交办", deadline=MONDAY + dt.timedelta(days=20))  # later data leaves it as issued
    assert services.figures_of(Bulletin.objects.get(pk=issued.pk)) == frozen
    with pytest.raises(TransitionError):
        services.bulletin_step(actor=personas.office_admin, bulletin=issued, code="issue")
    with pytest.raises(Exception):  # noqa: B017 - an issued bulletin's text no longer changes
        services.bulletin_save(actor=personas.office_admin, bulletin=issued, title="改", opening="", closing="")
    assert Bulletin.objects.get(pk=issued.pk).title == bulletin.title


def test_a_refused_issue_changes_nothing(personas, week):
    bulletin = _draft(personas)
    for who in (personas.unit_a_staff, personas.unit_a_head, personas.district_leader):
        with pytest.raises(PermissionDenied):
            services.bulletin_step(actor=who, bulletin=bulletin, code="issue")
    fresh = Bulletin.objects.get(pk=bulletin.pk)
    assert (fresh.state, fresh.number, fresh.figures) == ("draft", "", {})
    assert not Notice.objects.filter(level=NoticeLevel.PUBLIC_NOTICE).exists()


def test_a_units_bulletin_counts_only_that_unit(personas, week):
    figures = services.figures_of(_draft(personas, personas.unit_a))
    assert [r["name"] for r in figures["rows"]] == ["东门街道", "城东社区"]
    assert figures["totals"]["assigned"] == 4 and figures["totals"]["interviews"] == 0


def test_the_document_and_who_reads_what(client, personas, week):
    draft = _draft(personas)
    client.force_login(personas.office_admin)
    content = b"".join(client.get(reverse("bulletins:bulletin_download", args=[draft.pk])).streaming_content)
    assert_valid_office_file(content)
    official_document(content)
    table = Document(io.BytesIO(content)).tables[0]
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0][:3] == ["单位", "新交办", "办结"] and cells[-1][0] == "合计"
    client.post(reverse("bulletins:bulletin_step", args=[draft.pk, "issue"]))
    other = _draft(personas)
    client.force_login(personas.unit_b_staff)
    listed = [b.pk for b in client.get(reverse("bulletins:home")).context["page"]]
    assert listed == [draft.pk]  # issued ones only: the other draft stays with the office
    assert client.get(reverse("bulletins:bulletin_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("bulletins:bulletin_step", args=[other.pk, "issue"])).status_code == 404
    assert client.get(reverse("bulletins:bulletin_new")).status_code == 403
    client.force_login(personas.resident)
    assert client.get(reverse("bulletins:home")).status_code == 403
    client.logout()
    assert client.get(reverse("bulletins:home")).status_code == 302


def test_the_upkeep_drafts_the_period_just_ended_once_and_tells_the_office(
    personas, week, settings, django_capture_on_commit_callbacks
):
    settings.DUBAN_BULLETIN_DRAFTS = ["weekly", "monthly"]
    next_monday = on_day(WEEK_END + dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        drafted = services.drafts_due(at=next_monday)
    assert services.drafts_due(at=next_monday + dt.timedelta(hours=1)) == []  # the next sweep: nothing new

    (bulletin,) = drafted  # May ended ten days ago: too long for a draft
    assert (bulletin.cadence, bulletin.starts_on, bulletin.ends_on) == ("weekly", MONDAY, WEEK_END)
    assert bulletin.state == "draft" and bulletin.scope_unit is None
    assert services.figures_of(bulletin) == services.figures_of(_draft(personas))
    told = set(Notification.objects.filter(link=reverse("bulletins:bulletin_detail", args=[bulletin.pk]))
               .values_list("user", flat=True))  # fmt: skip
    assert personas.office_admin.pk in told  # the office that issues bulletins
    assert not told & {personas.supervisor.pk, personas.unit_a_staff.pk}


def test_a_month_ended_is_drafted_and_a_discarded_draft_is_not_drafted_again(personas, settings):
    settings.DUBAN_BULLETIN_DRAFTS = ["monthly"]
    first_of_july = on_day(dt.date(2024, 7, 1))
    by_hand = _draft(personas)

    (june,) = services.drafts_due(at=first_of_july)
    assert (june.starts_on, june.ends_on) == (dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    assert june.issuer == by_hand.issuer and june.issuer.parent is not None  # the office, not the district
    services.bulletin_step(actor=personas.office_admin, bulletin=june, code="discard", at=first_of_july)

    assert services.drafts_due(at=first_of_july + dt.timedelta(days=1)) == []
    settings.DUBAN_BULLETIN_DRAFTS = []
    assert services.drafts_due(at=on_day(dt.date(2024, 8, 1))) == []
    assert Bulletin.objects.count() == 2
