"""Ledgers as offices keep them, built here the way offices build them (merged titles, a 填报单位
row, the header on row 2 to 5, a project merged down over its findings, deadlines spelled several
ways, hidden columns, a notes sheet, footers; .xlsx, .xls, .ods, GB18030 and UTF-8 CSV). Each
imports with no editing, and no column is lost: what no field holds is kept on the item."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
import time_machine
import xlwt
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from duban.core.errors import TransitionError
from duban.core.testing import download_bytes
from duban.ledger import counts
from duban.ledger.choices import ItemState, LedgerKind, RectificationType
from duban.ledger.imports import check_workbook
from duban.ledger.models import ImportJob, ImportMapping, Item, Ledger, Notification
from duban.ledger.services import imports
from duban.ledger.services.items import item_update, items_register
from duban.ledger.services.transitions import item_transition
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind
from duban.orgs.models import UnitAlias
from duban.rectification.models import AuditFinding, AuditProject
from duban.rectification.services import yearend_report
from duban.reforms.models import Reform

pytestmark = pytest.mark.django_db

AUDIT_HEADER = [
    "序号", "审计项目", "被审计单位", "审计发现问题", "问题类别", "涉及金额（万元）", "整改要求", "整改类型",
    "整改措施", "责任单位", "责任领导", "责任人", "整改时限", "整改进展情况", "是否完成整改", "备注",
]  # fmt: skip
PROJECT_2023 = "2023年度区本级预算执行审计"
PROJECT_SCHOOLS = "教育系统专项审计"
# One finding per row, as AUDIT_HEADER; a project of None lies under the cell merged above it.
AUDIT_ROWS = [
    (1, PROJECT_2023, "区财政局", "非税收入未及时缴入国库", "预算执行", "12.5", "立即缴库", "立行立改",
     "已督促缴库", "东门街道办事处", "陈副主任", "李会计", "立行立改", "已缴库", "是", ""),
    (2, None, "区财政局", "专项资金拨付滞后", "预算执行", "300", "加快拨付", "分阶段整改",
     "建立拨付台账", "罗湖区住建局", "王局长", "赵科长", "2024年6月底", "已拨付六成", "否", "跟踪"),
    (3, None, "区财政局", "往来款长期挂账未清理", "资产管理", "1,050.00", "清理挂账", "",
     "逐笔核对", "桂园街道", "周主任", "钱会计", dt.date(2024, 9, 30), "", "否", ""),
    (4, PROJECT_SCHOOLS, "区教育局", "食堂采购未公开招标", "政府采购", "", "规范采购", "持续整改",
     "修订采购制度", "深圳市罗湖区东门街道", "陈副主任", "孙老师", "长期坚持", "制度已起草", "未完成", "注意"),
    (5, None, "区教育局", "校舍维修工程超预算", "工程管理", "86", "严格结算", "",
     "重新审核结算", "东门街道", "陈副主任", "吴工", "2024.12.31", "", "否", ""),
]  # fmt: skip


def audit_units(personas) -> None:
    """The departments the audit office's workbook names besides the personas' streets."""
    for name, short in (("区住房和建设局", "区住建局"), ("区财政局", ""), ("区教育局", "")):
        org_services.unit_create(
            actor=None, parent=personas.district, name=name, short_name=short, kind=UnitKind.DEPARTMENT
        )


@pytest.fixture
def audit_ledger(personas) -> Ledger:
    audit_units(personas)
    return Ledger.objects.create(
        name="2024年审计整改台账", year=2024, kind=LedgerKind.AUDIT, owner_unit=personas.reform_office,
        number_prefix="罗审整",
    )  # fmt: skip


def _audit_workbook_rows() -> list[list]:
    """What the district audit office's sheet holds, row by row from row 1."""
    return [
        ["罗湖区2023年度审计查出问题整改台账"] + [None] * 15,
        [
            "填报单位：罗湖区审计局",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "填报日期：2024年3月5日",
        ],
        AUDIT_HEADER,
        *[list(row) for row in AUDIT_ROWS],
        [],
        ["填报人：林审计", None, None, "联系电话：0755-82000000"],
        ["审核人：黄科长"],
    ]


def audit_xlsx() -> bytes:
    """Merged title, 填报单位 row, the header on row 3, each project merged down over its findings."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "整改台账"
    for row in _audit_workbook_rows():
        sheet.append(row)
    sheet.merge_cells("A1:P1")
    sheet.merge_cells("B4:B6")  # project 2023 over findings 1 to 3
    sheet.merge_cells("B7:B8")
    sheet["F5"] = 300  # an amount typed as a number
    notes = workbook.create_sheet("填写说明")
    notes.append(["整改时限填写日期或立行立改"])
    return _saved(workbook)


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _item(ledger, key) -> Item:
    """The item with external id `key`, else the one whose 序号 (an other column) is `key`."""
    found = ledger.items.filter(external_id=key).first()
    if found is None:
        (found,) = [item for item in ledger.items.all() if {"label": "序号", "value": str(key)} in item.extra]
    return found


def _extra(item) -> dict[str, str]:
    return {entry["label"]: entry["value"] for entry in item.extra}


def _import(ledger, personas, data, name) -> ImportJob:
    job = imports.job_check(actor=personas.office_admin, ledger=ledger, name=name, data=data)
    assert job.errors == [], job.errors
    imports.job_run(imports.job_start(actor=personas.office_admin, job=job))
    return job


def test_the_audit_offices_own_workbook_imports_as_it_is_and_loses_no_column(personas, audit_ledger):
    checked = check_workbook(audit_xlsx(), audit_ledger)
    assert checked.errors == []
    assert (checked.sheet, checked.header_row, checked.rows) == ("整改台账", 3, 5)

    _import(audit_ledger, personas, audit_xlsx(), "审计整改台账.xlsx")

    assert audit_ledger.items.count() == 5
    first, second, third, fourth, fifth = (_item(audit_ledger, str(n)) for n in range(1, 6))
    assert first.title == "非税收入未及时缴入国库" and first.lead_unit == personas.unit_a
    assert first.rectification_type == RectificationType.IMMEDIATE
    assert first.deadline_working_days == audit_ledger.immediate_working_days
    # 是否完成整改=是: done as the office recorded it, its progress text the completion report
    assert first.state == ItemState.DONE and first.progress == 100 and first.deadline is not None
    assert first.reports.get().text == "已缴库" and first.reports.get().is_completion
    assert second.state == ItemState.DRAFT and second.reports.get().text == "已拨付六成"
    imported = second.events.get(code="ledger.item.imported")
    assert imported.data == {"file": "审计整改台账.xlsx", "sheet": "整改台账", "row": 5}
    assert imported.actor == personas.office_admin
    assert second.lead_unit.name == "区住房和建设局" and second.deadline == dt.date(2024, 6, 30)
    assert third.lead_unit == personas.unit_b and third.deadline == dt.date(2024, 9, 30)
    assert fourth.rectification_type == RectificationType.CONTINUOUS and fourth.deadline == dt.date(2024, 12, 31)
    assert fourth.lead_unit == personas.unit_a and fifth.deadline == dt.date(2024, 12, 31)
    assert first.category == "预算执行"
    # the audit's own records: the project merged over three findings reaches each of them
    assert [item.subject.project.name for item in (first, second, third)] == [PROJECT_2023] * 3
    assert fourth.subject.project == fifth.subject.project and fifth.subject.project.name == PROJECT_SCHOOLS
    assert AuditProject.objects.count() == 2 and AuditFinding.objects.count() == 5
    assert second.subject.project.audited_unit.name == "区财政局" and second.subject.project.audit_type == "budget"
    assert (first.subject.amount_involved, second.subject.amount_involved) == (125_000, 3_000_000)
    assert (second.subject.requirement, second.subject.responsible_unit.name) == ("加快拨付", "区住房和建设局")
    # nothing the office wrote is dropped: what no field holds stays on the item
    assert _extra(second) == {
        "序号": "2", "整改措施": "建立拨付台账", "责任领导": "王局长", "责任人": "赵科长", "备注": "跟踪",
    }  # fmt: skip
    assert first.external_id == ""  # 序号 numbers one sheet's rows: no id
    assert second.rectification_type == RectificationType.PHASED
    assert not audit_ledger.items.filter(title__contains="填报人").exists()


def test_other_columns_show_on_the_item_page(client, personas, audit_ledger):
    _import(audit_ledger, personas, audit_xlsx(), "审计整改台账.xlsx")
    client.force_login(personas.office_admin)
    page = client.get(reverse("ledger:item_detail", args=[_item(audit_ledger, "2").pk])).content.decode()
    assert "其他列" in page and "整改措施" in page and "建立拨付台账" in page


def test_a_gb18030_csv_with_a_title_line_and_a_total_row(personas, audit_ledger):
    lines = [
        "罗湖区专项整治问题清单,,,",
        "编号,整改事项,责任单位,完成时限,配合单位",
        "ZZ-1,占道经营整治,东门街道办事处,2024/6/30,桂园街道",
        "ZZ-2,违规广告牌拆除,桂园街道,6月30日,",
        'ZZ-3,"油烟扰民,夜间施工",桂园街道,2024年9月30日,',
        "合计,3项,,,",
    ]
    data = "\r\n".join(lines).encode("gb18030")
    _import(audit_ledger, personas, data, "清单.csv")
    assert sorted(audit_ledger.items.values_list("external_id", flat=True)) == ["ZZ-1", "ZZ-2", "ZZ-3"]
    one = _item(audit_ledger, "ZZ-1")
    assert one.co_units.get().unit == personas.unit_b and one.deadline == dt.date(2024, 6, 30)
    assert _item(audit_ledger, "ZZ-2").deadline == dt.date(2024, 6, 30)
    assert _item(audit_ledger, "ZZ-3").title == "油烟扰民,夜间施工"


def test_a_utf8_csv_with_byte_order_mark_and_yes_no_columns(personas, audit_ledger):
    text = "序号,问题,牵头单位,整改时限,是否完成整改\n1,井盖缺失,东门街道,2024-06-30,✓\n2,路灯不亮,桂园街道,年底前,\n"
    _import(audit_ledger, personas, "\ufeff".encode() + text.encode(), "问题.csv")
    assert _item(audit_ledger, "1").title == "井盖缺失" and _item(audit_ledger, "1").state == ItemState.DONE
    assert _extra(_item(audit_ledger, "1")) == {"序号": "1"}
    assert _item(audit_ledger, "2").deadline == dt.date(2024, 12, 31)


def test_an_xls_from_an_older_excel_with_the_header_on_row_four(personas, audit_ledger):
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("督办台账")
    sheet.write_merge(0, 0, 0, 4, "2024年度区重点工作督办台账")
    sheet.write(1, 0, "填报单位：区委督查室")
    header = ["事项编号", "事项名称", "牵头单位", "办结时限", "责任领导"]
    rows = [["DB-1", "老旧小区加装电梯", "东门街道", "2024年6月30日", "陈副主任"],
            ["DB-2", "背街小巷改造", "桂园街道", "2024-10-31", "周主任"]]  # fmt: skip
    for column, value in enumerate(header):
        sheet.write(3, column, value)
    for number, row in enumerate(rows, start=4):
        for column, value in enumerate(row):
            sheet.write(number, column, value)
    sheet.write(7, 0, "制表：王某")
    buffer = io.BytesIO()
    workbook.save(buffer)

    _import(audit_ledger, personas, buffer.getvalue(), "督办台账.xls")

    assert _item(audit_ledger, "DB-1").deadline == dt.date(2024, 6, 30)
    assert _extra(_item(audit_ledger, "DB-2")) == {"责任领导": "周主任"}
    assert audit_ledger.items.count() == 2


MANIFEST = (
    '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def _ods(rows: list[list[str]], first_row_repeated: int = 1) -> bytes:
    def cell(value):
        if not value:
            return "<table:table-cell/>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    if first_row_repeated > 1:
        body = body.replace(
            "<table:table-row>", f'<table:table-row table:number-rows-repeated="{first_row_repeated}">', 1
        )
    body += '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'  # noqa: E501 - LibreOffice's blank rest of the sheet
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet><table:table table:name="台账">'
            + body
            + "</table:table></office:spreadsheet></office:body></office:document-content>",
        )
    return buffer.getvalue()


def test_an_ods_from_wps_or_libreoffice_with_the_header_on_row_two(personas, audit_ledger):
    data = _ods(
        [
            ["区级改革任务清单"],
            ["序号", "任务名称", "牵头单位", "完成时限", "工作内容"],
            ["1", "商事登记确认制", "东门街道", "2024年12月底", "一网通办"],
            ["2", "一件事一次办", "桂园街道", "9月30日", ""],
            ["注：完成时限以区委文件为准"],
        ]
    )
    _import(audit_ledger, personas, data, "清单.ods")
    assert _item(audit_ledger, "1").deadline == dt.date(2024, 12, 31)
    assert _item(audit_ledger, "1").content == "一网通办"
    assert _item(audit_ledger, "2").deadline == dt.date(2024, 9, 30)
    assert audit_ledger.items.count() == 2


def test_an_ods_repeating_a_value_a_million_times_is_refused_before_reading(personas, audit_ledger):
    data = _ods([["序号", "任务名称", "牵头单位", "完成时限"]], first_row_repeated=1_000_000)
    checked = check_workbook(data, audit_ledger)
    assert len(checked.errors) == 1 and "A1000000" in checked.errors[0].message


def test_hidden_columns_a_cover_sheet_and_notes_under_the_table(personas, audit_ledger):
    workbook = Workbook()
    cover = workbook.active
    cover.title = "封面"
    cover.append(["罗湖区2024年重点任务"])
    cover.append(["报送：区委改革办"])
    sheet = workbook.create_sheet("任务表")
    for _ in range(4):
        sheet.append([])
    sheet.append(["任务编号", "内部代码", "事项名称", "牵头单位", "截止时间", "类别"])
    sheet.append(["R-1", "X9", "数据共享平台", "东门街道", "2024-11-30", "数字政府"])
    sheet.append(["R-2", "X10", "社区食堂", "城东社区", 45474, "民生"])  # 45474 is Excel's 2024-07-01
    sheet.append([])
    sheet.append(["说明：本表由区委改革办汇总"])
    sheet.column_dimensions["B"].hidden = True
    _import(audit_ledger, personas, _saved(workbook), "任务表.xlsx")

    assert _extra(_item(audit_ledger, "R-1")) == {"内部代码": "X9"}
    assert _item(audit_ledger, "R-1").category == "数字政府"
    assert _item(audit_ledger, "R-2").lead_unit == personas.unit_a_community
    assert _item(audit_ledger, "R-2").deadline == dt.date(2024, 7, 1)
    assert audit_ledger.items.count() == 2


def test_errors_name_the_row_and_the_column_as_the_office_sees_them(personas, audit_ledger):
    rows = _audit_workbook_rows()
    rows[5][9] = "不存在的街道办事处"  # row 6 of the sheet, column J (责任单位)
    rows[6][12] = "尽快"  # row 7, column M (整改时限)
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    checked = check_workbook(_saved(workbook), audit_ledger)
    found = {(error.row, error.column) for error in checked.errors}
    assert found == {(6, "J（责任单位）"), (7, "M（整改时限）")}
    assert "不存在的街道办事处" in checked.errors[0].message


def test_a_sheet_without_a_header_says_what_it_looked_for(personas, audit_ledger):
    workbook = Workbook()
    workbook.active.append(["甲", "乙", "丙"])
    checked = check_workbook(_saved(workbook), audit_ledger)
    assert len(checked.errors) == 1 and "找不到表头" in checked.errors[0].message
    assert not Item.objects.exists()


def _upload(client, ledger, data: bytes, name: str):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client.post(reverse("ledger:import_new"), {"ledger": ledger.pk, "file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportJob.objects.latest("pk")


def _select(page: str, index: int) -> str:
    """The option selected for column `index` on the mapping screen."""
    start = page.index(f'name="column_{index}"')
    chunk = page[start : page.index("</select>", start)]
    return chunk.split("selected>")[0].rsplit('value="', 1)[1].split('"')[0]


def test_the_mapping_screen_shows_each_column_its_first_values_and_the_rows_as_they_will_be_stored(
    client, personas, audit_ledger
):
    client.force_login(personas.office_admin)
    job = _upload(client, audit_ledger, audit_xlsx(), "审计整改台账.xlsx")
    page = client.get(reverse("ledger:import_detail", args=[job.pk])).content.decode()

    assert "工作表“整改台账”" in page and "第3行" in page
    assert "新增：5项" in page
    for header in AUDIT_HEADER:
        assert f"（{header}）" in page
    assert _select(page, 3) == "title" and _select(page, 9) == "lead_unit" and _select(page, 1) == "audit_project"
    assert _select(page, 8) == ""  # 整改措施: an other column
    assert "建立拨付台账" in page  # a first value of 整改措施
    assert "交办后10个工作日" in page and "区住房和建设局" in page  # the preview, as stored
    assert "“东门街道办事处”读作东门街道" in page  # what to check
    assert not Item.objects.exists()


def test_a_column_mapped_by_hand_is_read_again_and_the_next_file_maps_itself(
    client, personas, audit_ledger, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports, "launch", imports.job_run)

    def sheet(rows):
        workbook = Workbook()
        workbook.active.append(["序号", "问题摘要", "牵头单位", "整改时限"])
        for row in rows:
            workbook.active.append(row)
        return _saved(workbook)

    client.force_login(personas.office_admin)
    job = _upload(client, audit_ledger, sheet([[1, "井盖缺失", "东门街道", "2024-06-30"]]), "三月.xlsx")
    assert "没有“事项名称”列" in job.errors[0]["message"]
    chosen = {"column_0": "external_id", "column_1": "title", "column_2": "lead_unit", "column_3": "deadline"}

    response = client.post(reverse("ledger:import_mapping", args=[job.pk]), chosen)

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.errors == [] and job.to_create == 1 and job.preview[0]["title"] == "井盖缺失"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:import_detail", args=[job.pk]))
    assert _item(audit_ledger, "1").title == "井盖缺失"

    april = _upload(client, audit_ledger, sheet([[2, "路灯不亮", "桂园街道", "2024-07-31"]]), "四月.xlsx")
    assert april.errors == [] and [column["field"] for column in april.columns][:2] == ["external_id", "title"]


def test_one_field_from_two_columns_or_no_title_column_is_refused_and_changes_nothing(client, personas, audit_ledger):
    client.force_login(personas.office_admin)
    job = _upload(client, audit_ledger, audit_xlsx(), "审计整改台账.xlsx")
    before = (job.columns, job.preview, job.to_create)
    twice = {f"column_{index}": column["field"] for index, column in enumerate(job.columns)} | {"column_8": "title"}
    response = client.post(reverse("ledger:import_mapping", args=[job.pk]), twice)
    page = response.content.decode()
    assert response.status_code == 400 and "另一列也选了事项名称" in page
    assert "导入前，请先在下方修正各列的读取方式" in page and "导入全部5行" not in page
    no_title = {f"column_{index}": column["field"] for index, column in enumerate(job.columns)} | {"column_3": ""}
    response = client.post(reverse("ledger:import_mapping", args=[job.pk]), no_title)
    assert response.status_code == 400 and "请选择哪一列是事项名称" in response.content.decode()
    job.refresh_from_db()
    assert (job.columns, job.preview, job.to_create) == before
    assert not ImportMapping.objects.exists()


def test_only_the_office_maps_an_import(client, personas, audit_ledger):
    client.force_login(personas.office_admin)
    job = _upload(client, audit_ledger, audit_xlsx(), "审计整改台账.xlsx")
    client.force_login(personas.unit_a_staff)
    response = client.post(reverse("ledger:import_mapping", args=[job.pk]), {"column_3": "content"})
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.columns[3]["field"] == "title"


def test_rows_marked_rectified_can_come_in_awaiting_verification_and_a_supervisor_checks_them(
    client, personas, audit_ledger
):
    job = imports.job_check(
        actor=personas.office_admin,
        ledger=audit_ledger,
        name="台账.xlsx",
        data=audit_xlsx(),
        done_as="record_submitted",
    )
    imports.job_run(imports.job_start(actor=personas.office_admin, job=job))
    first = _item(audit_ledger, "1")
    assert first.state == ItemState.SUBMITTED and first.reports.get().is_completion
    assert set(audit_ledger.items.exclude(pk=first.pk).values_list("state", flat=True)) == {"draft"}

    client.force_login(personas.supervisor)
    response = client.post(
        reverse("ledger:item_act", args=[first.pk, "accept"]), {"reason": "核验意见：已缴库，凭证齐全"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == ItemState.DONE


def test_only_an_import_records_an_item_as_done(client, personas, audit_ledger):
    job = imports.job_check(actor=personas.office_admin, ledger=audit_ledger, name="台账.xlsx", data=audit_xlsx())
    imports.job_run(imports.job_start(actor=personas.office_admin, job=job))
    draft = _item(audit_ledger, "2")
    with pytest.raises(TransitionError):
        item_transition(actor=personas.office_admin, item=draft, action="record_done")
    client.force_login(personas.office_admin)
    page = client.get(reverse("ledger:item_detail", args=[draft.pk])).content.decode()
    assert "record_done" not in page and "按原台账记为已完成" not in page
    response = client.post(
        f"/api/ledger/items/{draft.pk}/transitions", {"action": "record_done"}, content_type="application/json"
    )
    assert response.status_code == 422  # not an action the API takes
    draft.refresh_from_db()
    assert draft.state == ItemState.DRAFT


def test_a_unit_name_not_found_is_mapped_to_a_unit_from_the_import_page_and_remembered(client, personas, audit_ledger):
    enforcement = org_services.unit_create(
        actor=None, parent=personas.district, name="区城市管理和综合执法局", kind=UnitKind.DEPARTMENT
    )

    def sheet(title):
        workbook = Workbook()
        workbook.active.append(["序号", "问题", "责任单位", "整改时限"])
        workbook.active.append([1, title, "罗湖区城管局", "2024-06-30"])
        workbook.active.append([2, "路灯不亮", "东门街道", "2024-06-30"])
        return _saved(workbook)

    client.force_login(personas.office_admin)
    job = _upload(client, audit_ledger, sheet("占道经营"), "五月.xlsx")
    assert job.unknown_units == ["罗湖区城管局"] and len(job.errors) == 1
    page = client.get(reverse("ledger:import_detail", args=[job.pk])).content.decode()
    assert "找不到的单位名称" in page and "“罗湖区城管局”" in page

    response = client.post(
        reverse("ledger:import_unit_alias", args=[job.pk]),
        {"alias-0-name": "罗湖区城管局", "alias-0-unit": enforcement.pk},
    )

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.errors == [] and job.unknown_units == [] and job.preview[0]["lead_unit"] == "区城市管理和综合执法局"
    assert UnitAlias.objects.get().unit == enforcement
    june = _upload(client, audit_ledger, sheet("违规广告"), "六月.xlsx")
    assert june.errors == []


def test_only_an_office_admin_names_units_and_never_with_a_units_own_name(client, personas, audit_ledger):
    with pytest.raises(PermissionDenied):
        org_services.unit_alias_add(actor=personas.unit_a_staff, name="东门办", unit=personas.unit_a)
    with pytest.raises(ValidationError):
        org_services.unit_alias_add(actor=personas.office_admin, name="桂园街道", unit=personas.unit_a)
    org_services.unit_alias_add(actor=personas.office_admin, name="东门办", unit=personas.unit_a)
    with pytest.raises(ValidationError):
        org_services.unit_alias_add(actor=personas.office_admin, name="东门办", unit=personas.unit_b)
    assert UnitAlias.objects.get().unit == personas.unit_a

    client.force_login(personas.office_admin)
    workbook = Workbook()
    workbook.active.append(["序号", "问题", "责任单位", "整改时限"])
    workbook.active.append([1, "井盖", "不存在的单位", "2024-06-30"])
    job = _upload(client, audit_ledger, _saved(workbook), "七月.xlsx")
    client.force_login(personas.unit_b_staff)
    response = client.post(
        reverse("ledger:import_unit_alias", args=[job.pk]),
        {"alias-0-name": "不存在的单位", "alias-0-unit": personas.unit_b.pk},
    )
    assert response.status_code == 404
    assert UnitAlias.objects.count() == 1


def _csv_ledger() -> bytes:
    lines = ["序号,问题,责任单位,整改时限,是否完成整改", "1,井盖缺失,东门街道,,否", "2,路灯不亮,东门街道,,否",
             "3,占道经营,桂园街道,,否", "4,垃圾清运,桂园街道,2031-06-30,是"]  # fmt: skip
    return "\n".join(lines).encode()


def test_after_the_import_the_drafts_get_one_deadline_and_are_assigned_with_one_notice_per_unit(
    client, personas, audit_ledger, django_capture_on_commit_callbacks
):
    job = imports.job_check(actor=personas.office_admin, ledger=audit_ledger, name="清单.csv", data=_csv_ledger())
    assert [error["column"] for error in job.errors] == ["D（整改时限）"] * 3  # no deadline yet
    ready = imports.job_check(
        actor=personas.office_admin,
        ledger=audit_ledger,
        name="清单.csv",
        data=_csv_ledger().replace(b",,", b",2024-01-31,"),  # deadlines already past,
    )
    imports.job_run(imports.job_start(actor=personas.office_admin, job=ready))
    client.force_login(personas.office_admin)
    page = client.get(reverse("ledger:import_detail", args=[ready.pk])).content.decode()
    assert "交办全部3项草稿" in page and "撤回本次导入" in page

    response = client.post(reverse("ledger:import_batch", args=[ready.pk, "deadline"]), {"deadline": "2031-09-30"})
    assert response.status_code == 302
    assert set(ready.imported_items.filter(state="draft").values_list("deadline", flat=True)) == {dt.date(2031, 9, 30)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger:import_batch", args=[ready.pk, "assign"]))
    assert response.status_code == 302
    assert set(ready.imported_items.values_list("state", flat=True)) == {"assigned", "done"}
    inbox = Notification.objects.filter(user=personas.unit_a_staff, kind="ledger.assign")
    assert [note.text for note in inbox] == ["2个事项：交办"]


def test_an_import_is_withdrawn_within_a_day_while_nothing_happened_and_not_after(client, personas, audit_ledger):
    job = imports.job_check(
        actor=personas.office_admin, ledger=audit_ledger, name="审计整改台账.xlsx", data=audit_xlsx()
    )
    imports.job_run(imports.job_start(actor=personas.office_admin, job=job))
    client.force_login(personas.unit_a_staff)
    assert client.post(reverse("ledger:import_batch", args=[job.pk, "withdraw"]), {"reason": "错"}).status_code == 404

    client.force_login(personas.office_admin)
    response = client.post(reverse("ledger:import_batch", args=[job.pk, "withdraw"]), {"reason": ""})
    assert response.status_code == 400 and audit_ledger.items.count() == 5
    response = client.post(reverse("ledger:import_batch", args=[job.pk, "withdraw"]), {"reason": "导错了台账"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (
        job.state == "withdrawn" and job.withdrawn_by == personas.office_admin and job.withdraw_reason == "导错了台账"
    )
    assert audit_ledger.items.count() == 0 and counts.summary([audit_ledger.pk]) == []
    assert not AuditProject.objects.exists() and not AuditFinding.objects.exists()  # made by the import, gone with it

    again = imports.job_check(
        actor=personas.office_admin, ledger=audit_ledger, name="审计整改台账.xlsx", data=audit_xlsx()
    )
    imports.job_run(imports.job_start(actor=personas.office_admin, job=again))
    draft = _item(audit_ledger, "2")
    item_update(actor=personas.office_admin, item=draft, data={"title": "专项资金拨付滞后（更正）"})
    again.refresh_from_db()
    assert imports.withdraw_refusal(again) == ""  # the office's own follow-up is no work begun
    with time_machine.travel(dt.datetime(2024, 3, 11, 9, tzinfo=dt.UTC)):
        item_transition(actor=personas.office_admin, item=draft, action="assign")
    with pytest.raises(ValidationError, match="逐项撤销"):
        imports.batch_withdraw(actor=personas.office_admin, job=again, reason="再试")
    fresh = imports.job_check(actor=personas.office_admin, ledger=Ledger.objects.create(
        name="另一台账", year=2024, kind=LedgerKind.AUDIT, owner_unit=personas.reform_office, number_prefix="另"),
        name="审计整改台账.xlsx", data=audit_xlsx())  # fmt: skip
    imports.job_run(imports.job_start(actor=personas.office_admin, job=fresh))
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        with pytest.raises(ValidationError, match="一天内"):
            imports.batch_withdraw(actor=personas.office_admin, job=fresh, reason="晚了")
    assert audit_ledger.items.count() == 5


def test_the_ledger_exports_in_the_offices_layout_and_imports_again_without_duplicates(client, personas, audit_ledger):
    _import(audit_ledger, personas, audit_xlsx(), "审计整改台账.xlsx")
    registered = items_register(
        actor=personas.office_admin,
        ledger=audit_ledger,
        specs=[{"title": "平台中登记的事项", "lead_unit": personas.unit_b, "deadline": dt.date(2024, 11, 30)}],
    )[0]
    client.force_login(personas.office_admin)
    assert "按本单位格式导出" in client.get(reverse("ledger:ledger_list")).content.decode()

    response = client.get(reverse("ledger:ledger_export_own", args=[audit_ledger.pk]))

    rows = [list(row) for row in load_workbook(io.BytesIO(download_bytes(response))).active.iter_rows(values_only=True)]
    assert rows[0] == ["事项编号", *AUDIT_HEADER]  # 序号 is no id: the file gains the items' numbers
    by_serial = {row[1]: row for row in rows[1:]}
    assert set(by_serial) == {"1", "2", "3", "4", "5", None}  # the item registered here has no 序号
    assert {row[0] for row in rows[1:]} == set(audit_ledger.items.values_list("number", flat=True))
    second = by_serial["2"]
    assert second[2:6] == [PROJECT_2023, "区财政局", "专项资金拨付滞后", "预算执行"]
    assert second[10] == "区住房和建设局" and second[13] == dt.datetime(2024, 6, 30) and second[15] == "否"
    assert by_serial["1"][15] == "是" and by_serial["1"][14] == "已缴库"

    second[9] = "建立拨付台账并按月通报"  # the office keeps working in Excel
    new_row = [None, "6", PROJECT_SCHOOLS, "区教育局", "学生资助发放不及时", "民生", "", "", "", "", "桂园街道", "", "",
               "2024-12-31", "", "否", ""]  # fmt: skip
    rows.append(new_row)
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    again = imports.job_check(actor=personas.office_admin, ledger=audit_ledger, name="回传.xlsx", data=_saved(workbook))
    assert again.errors == [] and (again.to_create, again.to_update) == (1, 1)  # the rest as the ledger has them
    imports.job_run(imports.job_start(actor=personas.office_admin, job=again))

    assert audit_ledger.items.count() == 7
    assert _extra(_item(audit_ledger, "2"))["整改措施"] == "建立拨付台账并按月通报"
    registered.refresh_from_db()
    assert registered.external_id == "" and registered.title == "平台中登记的事项"


def test_only_the_office_exports_its_own_layout(client, personas, audit_ledger):
    _import(audit_ledger, personas, audit_xlsx(), "审计整改台账.xlsx")
    client.force_login(personas.unit_a_staff)
    assert client.get(reverse("ledger:ledger_export_own", args=[audit_ledger.pk])).status_code == 404


def test_the_imported_audit_rows_are_in_midyear_supervision_and_the_year_end_reckoning_at_once(
    client, personas, audit_ledger
):
    job = _import(audit_ledger, personas, audit_xlsx(), "审计整改台账.xlsx")
    with time_machine.travel(dt.datetime(2024, 3, 11, 9, tzinfo=dt.UTC)):
        imports.batch_assign(actor=personas.office_admin, job=job)
    client.force_login(personas.office_admin)

    midyear = client.get(reverse("rectification:midyear", args=[2024])).content.decode()
    assert "专项资金拨付滞后" in midyear and "校舍维修工程超预算" in midyear
    assert "非税收入未及时缴入国库" not in midyear  # recorded as done: not to supervise
    yearend = client.get(reverse("rectification:yearend", args=[2024])).content.decode()
    assert "区住房和建设局" in yearend and "东门街道" in yearend
    assert PROJECT_SCHOOLS in client.get(reverse("rectification:audit_year_of", args=[2024])).content.decode()
    rows = {row.unit.name: row for row in yearend_report(2024, dt.date(2024, 12, 31))}
    assert rows["东门街道"].counts["rectified"] == 1 and sum(rows["东门街道"].counts.values()) == 3
    assert rows["区住房和建设局"].amount_involved == 3_000_000


def test_a_serial_number_is_no_id_and_an_unrelated_list_adds_rather_than_overwrites(personas, audit_ledger):
    _import(audit_ledger, personas, audit_xlsx(), "审计整改台账.xlsx")
    workbook = Workbook()
    workbook.active.append(["序号", "问题", "责任单位", "整改时限"])
    workbook.active.append([1, "另一份清单的第一项", "桂园街道", "2024-08-31"])
    job = imports.job_check(actor=personas.office_admin, ledger=audit_ledger, name="另一份.xlsx", data=_saved(workbook))
    assert (job.to_create, job.to_update) == (1, 0)
    assert AuditFinding.objects.get(title="非税收入未及时缴入国库").project.name == PROJECT_2023


def test_a_reimport_changes_only_what_differs_says_so_and_refuses_to_change_a_closed_item(personas, audit_ledger):
    workbook = Workbook()
    workbook.active.append(["事项编号", "问题", "责任单位", "整改时限", "整改进展情况", "备注"])
    workbook.active.append(["A-1", "井盖缺失", "东门街道", "2024-06-30", "已排查", "甲"])
    workbook.active.append(["A-2", "路灯不亮", "桂园街道", "2024-06-30", "", "乙"])
    _import(audit_ledger, personas, _saved(workbook), "一月.xlsx")
    closed = _item(audit_ledger, "A-2")
    Item.objects.filter(pk=closed.pk).update(state=ItemState.CLOSED)

    workbook = Workbook()
    workbook.active.append(["事项编号", "问题", "责任单位", "整改时限", "整改进展情况"])  # 备注 left out
    workbook.active.append(["A-1", "井盖缺失（已更正）", "东门街道", "2024-06-30", "已更换"])
    workbook.active.append(["A-2", "路灯不亮", "桂园街道", "2024-06-30", ""])
    job = imports.job_check(actor=personas.office_admin, ledger=audit_ledger, name="二月.xlsx", data=_saved(workbook))
    assert job.errors == [] and (job.to_create, job.to_update) == (0, 1)  # A-2 is as the ledger has it
    notes = [warning["message"] for warning in job.warnings]
    assert any("“井盖缺失”→“井盖缺失（已更正）”" in note for note in notes)
    assert any("进展" in note for note in notes)  # progress is the unit's to report, not the import's
    imports.job_run(imports.job_start(actor=personas.office_admin, job=job))
    first = _item(audit_ledger, "A-1")
    assert first.title == "井盖缺失（已更正）" and _extra(first) == {"备注": "甲"}  # a column left out blanks nothing

    workbook.active["B3"] = "路灯不亮（改）"
    refused = imports.job_check(
        actor=personas.office_admin, ledger=audit_ledger, name="三月.xlsx", data=_saved(workbook)
    )
    assert [(error["row"], "不能再修改" in error["message"]) for error in refused.errors] == [(3, True)]


def test_an_import_that_changed_items_already_there_is_not_withdrawn_whole(personas, audit_ledger):
    _import(audit_ledger, personas, audit_xlsx(), "审计整改台账.xlsx")
    workbook = Workbook()
    workbook.active.append(["事项编号", "问题", "责任单位", "整改时限"])
    workbook.active.append([_item(audit_ledger, "2").number, "专项资金拨付滞后（改）", "区住建局", "2024-06-30"])
    job = _import(audit_ledger, personas, _saved(workbook), "更正.xlsx")
    job.refresh_from_db()
    assert job.to_update == 1 and "不能整体撤回" in imports.withdraw_refusal(job)


def test_past_deadlines_are_named_at_check_time_and_left_out_of_the_batch_assignment(client, personas, audit_ledger):
    lines = ["事项编号,问题,责任单位,整改时限", "P-1,井盖缺失,东门街道,2024-01-31", "P-2,路灯不亮,桂园街道,2031-06-30",
             "P-3,占道经营,桂园街道,6月30日"]  # fmt: skip
    data = "\n".join(lines).encode()
    at_once = imports.job_check(
        actor=personas.office_admin, ledger=audit_ledger, name="清单.csv", data=data, assign=True
    )
    assert [(error["row"], error["column"]) for error in at_once.errors] == [(2, "D（整改时限）"), (4, "D（整改时限）")]

    job = imports.job_check(actor=personas.office_admin, ledger=audit_ledger, name="清单.csv", data=data)
    notes = " ".join(warning["message"] for warning in job.warnings)
    assert "“6月30日”未写年份：按台账年度读作2024-06-30" in notes and "2024-01-31已过" in notes
    imports.job_run(imports.job_start(actor=personas.office_admin, job=job))
    client.force_login(personas.office_admin)
    response = client.post(reverse("ledger:import_batch", args=[job.pk, "assign"]), follow=True)
    assert "2项草稿未交办" in response.content.decode()
    assert dict(job.imported_items.values_list("external_id", "state")) == {
        "P-1": "draft", "P-2": "assigned", "P-3": "draft"
    }  # fmt: skip


def test_a_text_file_named_like_a_workbook_is_refused_as_unreadable(personas, audit_ledger):
    checked = check_workbook(b"just some text\nmore", audit_ledger, name="台账.xlsx")
    assert len(checked.errors) == 1 and "不是可读取的工作簿" in checked.errors[0].message


def test_a_tiny_xls_with_a_cell_at_the_formats_far_corner_is_refused_before_reading(personas, audit_ledger):
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("台账")
    for column, header in enumerate(["事项编号", "问题", "责任单位", "整改时限"]):
        sheet.write(0, column, header)
    sheet.write(65535, 255, "远处")  # calamine would make 16.7 million cells for it (1 GB)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 10_000
    checked = check_workbook(buffer.getvalue(), audit_ledger, name="台账.xls")
    assert len(checked.errors) == 1 and "IV65536" in checked.errors[0].message


def test_a_reform_ledgers_rows_naming_their_special_group_become_reforms_with_their_own_items(
    client, personas, reform_office_ledger
):
    workbook = Workbook()
    workbook.active.append(["2024年罗湖区全面深化改革任务台账"])
    workbook.active.append(["序号", "改革事项", "专项小组", "改革层级", "改革目标", "牵头单位", "完成时限"])
    workbook.active.append(
        [1, "商事登记确认制改革", "营商环境专项小组", "区级重点改革", "一网通办、一日办结", "东门街道", "2024-12-31"]
    )  # noqa: E501
    workbook.active.append([2, "城中村综合治理", "城市更新专项小组", "市级下达任务", "", "桂园街道", "2024年11月底"])
    job = _import(reform_office_ledger, personas, _saved(workbook), "改革台账.xlsx")

    first, second = Reform.objects.order_by("pk")
    assert (first.title, first.group, first.level, first.goals) == (
        "商事登记确认制改革", "industry", "key", "一网通办、一日办结"
    )  # fmt: skip
    assert (second.group, second.level, second.goals, second.deadline) == (
        "development_space", "municipal", "城中村综合治理", dt.date(2024, 11, 30)
    )  # fmt: skip
    assert first.item.ledger == reform_office_ledger and first.item.title == first.title
    client.force_login(personas.office_admin)
    assert "商事登记确认制改革" in client.get(reverse("reforms:reform_list") + "?year=2024").content.decode()

    job.refresh_from_db()
    imports.batch_withdraw(actor=personas.office_admin, job=job, reason="导错年度")
    assert not Reform.objects.exists() and not reform_office_ledger.items.exists()


@pytest.fixture
def reform_office_ledger(personas) -> Ledger:
    return Ledger.objects.create(
        name="2024年区级重点改革任务台账", year=2024, kind=LedgerKind.REFORM, owner_unit=personas.reform_office,
        number_prefix="罗改",
    )  # fmt: skip


def test_the_own_layout_export_reads_the_audit_records_in_one_query_per_chunk(
    client, personas, audit_ledger, django_assert_max_num_queries
):
    _import(audit_ledger, personas, audit_xlsx(), "审计整改台账.xlsx")
    client.force_login(personas.office_admin)
    with django_assert_max_num_queries(20):  # 5 findings from 2 projects: not a query or three per row
        response = client.get(reverse("ledger:ledger_export_own", args=[audit_ledger.pk]))
        rows = list(load_workbook(io.BytesIO(download_bytes(response))).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == [PROJECT_2023] * 3 + [PROJECT_SCHOOLS] * 2
    assert rows[1][3] == "区财政局" and rows[1][6] == 12.5  # 万元, as the office's header says
