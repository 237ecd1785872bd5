"""A campaign office's own problem ledger imported as it is: the rows that say where a problem is
become problem reports in the campaign, in the state the office recorded, each with its item
through the ledger contract; the rest stay items. Nothing is written when a row cannot be placed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.choices import ReportSource, ReportState
from duban.campaigns.models import Report, ReportEvent, ReportTally
from duban.campaigns.subjects import ReportOwner
from duban.campaigns.tests.conftest import office_workbook
from duban.ledger.choices import ItemState
from duban.ledger.models import ImportedDoneAs, Item
from duban.ledger.own_layout import layout_of, own_layout_rows
from duban.ledger.owners import OwnedItemRefused
from duban.ledger.services import item_transition, item_update, job_check, job_run, job_start

HEADER = ["序号", "问题描述", "问题类别", "问题地址", "责任单位", "整改时限", "是否完成整改", "整改进展情况", "备注"]


def _workbook(rows) -> bytes:
    return office_workbook(rows, header=HEADER)


def _rows():
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    return [
        [1, "解放路口共享单车堆放", "非机动车乱停放", "东门街道城东社区解放路口", "东门街道办事处", due, "否",
         "已约谈运营企业", ""],
        [2, "桂园路垃圾桶满溢", "垃圾清运", "桂园街道桂园路", "桂园街道", due, "是", "已清运", "回访满意"],
        [3, "遛狗不牵绳", "不文明养犬", "城东社区", "区城市管理和综合执法局", "立行立改", "否", "", ""],
        [4, "整治工作方案印发", "", "", "东门街道", due, "否", "", "无具体点位"],
    ]  # fmt: skip


def _import(world, personas, data, done_as=ImportedDoneAs.DONE):
    job = job_check(
        actor=personas.office_admin, ledger=world.campaign.ledger, name="专项整治台账.xlsx", data=data, done_as=done_as
    )
    assert job.errors == [], job.errors
    job_run(job_start(actor=personas.office_admin, job=job))
    job.refresh_from_db()
    return job


def _report(title):
    return Report.objects.get(pk=world_item(title).subject_id)


def world_item(title):
    return Item.objects.get(title=title)


def test_rows_with_a_place_become_reports_in_the_state_the_office_recorded(client, world, personas):
    job = _import(world, personas, _workbook(_rows()))

    parked, emptied, dog = _report("解放路口共享单车堆放"), _report("桂园路垃圾桶满溢"), _report("遛狗不牵绳")
    assert {r.source for r in (parked, emptied, dog)} == {ReportSource.LEDGER}
    assert (parked.state, parked.item.state) == (ReportState.ACCEPTED, ItemState.DRAFT)
    assert (emptied.state, emptied.item.state) == (ReportState.CLOSED, ItemState.DONE)
    assert (parked.category, emptied.category, dog.category) == (world.parking, world.garbage, world.dogs)
    assert (parked.street, emptied.street) == (personas.unit_a, personas.unit_b)
    # routed to the unit the office's row names, not to the campaign's rule for the place
    assert (parked.routed_unit, dog.routed_unit) == (personas.unit_a, world.city_management)
    assert parked.address == "东门街道城东社区解放路口" and parked.description == "解放路口共享单车堆放"
    assert not world_item("整治工作方案印发").subject_id  # no place: an item only
    assert ReportEvent.objects.filter(report=parked, code="campaigns.report.imported").get().data["row"] == 4
    owner = ReportOwner()
    assert [owner.disagreements(r) for r in (parked, emptied, dog)] == [[], [], []]

    client.force_login(personas.office_admin)
    client.post(reverse("ledger:import_batch", args=[job.pk, "assign"]))
    for report in (_report("解放路口共享单车堆放"), _report("遛狗不牵绳")):
        assert report.item.state == ItemState.ASSIGNED
        assert report.expected_on == report.item.effective_deadline is not None
        assert owner.disagreements(report) == []

    closed = item_transition(actor=personas.office_admin, item=emptied.item, action="close", reason="已核实")
    assert closed.state == ItemState.CLOSED and owner.disagreements(emptied) == []

    page = client.get(reverse("campaigns:report_detail", args=[parked.pk])).content.decode()
    assert "东门街道城东社区解放路口" in page and parked.item.number in page
    job_page = client.get(reverse("ledger:import_detail", args=[job.pk])).content.decode()
    assert "3 个问题报告" in job_page


def test_rows_marked_rectified_can_await_verification_as_fixed_reports(world, personas):
    _import(world, personas, _workbook(_rows()), done_as=ImportedDoneAs.SUBMITTED)
    emptied = _report("桂园路垃圾桶满溢")
    assert (emptied.state, emptied.item.state) == (ReportState.FIXED, ItemState.SUBMITTED)
    assert ReportOwner().disagreements(emptied) == []


def test_a_category_or_place_not_found_names_the_row_and_column_and_writes_nothing(world, personas):
    rows = _rows()
    rows[0][2] = "乱扔垃圾"
    rows[2][3] = "某某小区门口"  # no place the district has mapped, and its unit has no area
    job = job_check(actor=personas.office_admin, ledger=world.campaign.ledger, name="台账.xlsx", data=_workbook(rows))
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert set(errors) == {(4, "C（问题类别）"), (6, "D（问题地址）")}
    assert "非机动车乱停放" in errors[(4, "C（问题类别）")] and "某某小区门口" in errors[(6, "D（问题地址）")]
    assert not Report.objects.exists() and not world.campaign.ledger.items.exists()


def test_a_withdrawn_import_takes_its_reports_and_their_counts_with_it(client, world, personas):
    job = _import(world, personas, _workbook(_rows()))
    assert Report.objects.count() == 3
    client.force_login(personas.office_admin)
    client.post(reverse("ledger:import_batch", args=[job.pk, "withdraw"]), {"reason": "导错专项"})
    assert not Report.objects.exists() and not world.campaign.ledger.items.exists()
    assert sum(ReportTally.objects.values_list("n", flat=True)) == 0


def test_an_imported_reports_unit_changes_by_rerouting_not_by_editing_its_item(world, personas):
    _import(world, personas, _workbook(_rows()))
    item = world_item("解放路口共享单车堆放")
    with pytest.raises(OwnedItemRefused):
        item_update(actor=personas.office_admin, item=item, data={"lead_unit": personas.unit_b})
    item.refresh_from_db()
    assert item.lead_unit == personas.unit_a and _report(item.title).routed_unit == personas.unit_a


def test_the_own_layout_export_gives_the_addresses_back(world, personas):
    _import(world, personas, _workbook(_rows()))
    ledger = world.campaign.ledger
    headers, rows = own_layout_rows(ledger, layout_of(ledger))
    by_title = {row[headers.index("问题描述")]: row for row in rows}
    assert by_title["解放路口共享单车堆放"][headers.index("问题地址")] == "东门街道城东社区解放路口"
    assert by_title["整治工作方案印发"][headers.index("问题地址")] == ""
