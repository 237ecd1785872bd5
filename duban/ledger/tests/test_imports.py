import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from duban.ledger import counts
from duban.ledger.imports import COLUMNS, check_workbook
from duban.ledger.models import ImportJob, ImportState, Item, ItemEvent
from duban.ledger.services import imports
from duban.ledger.services.items import items_register

pytestmark = pytest.mark.django_db
HEADERS = [title for _name, title, _required in COLUMNS]


def _xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(external_id, title="推进资金拨付", unit="东门街道", deadline="2031-06-30", **extra):
    values = {"external_id": external_id, "title": title, "lead_unit": unit, "deadline": deadline, **extra}
    return [values.get(name, "") for name, _title, _required in COLUMNS]


@pytest.fixture(autouse=True)
def run_imports_inline(monkeypatch):
    monkeypatch.setattr(imports, "launch", imports.job_run)


def _upload(client, ledger, data, name="台账.xlsx", assign=False):
    upload = SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return client.post(
        reverse("ledger:import_new"), {"ledger": ledger.pk, "file": upload, "assign": "on" if assign else ""}
    )


def test_the_template_downloads_with_every_column(client, personas):
    client.force_login(personas.office_admin)
    response = client.get(reverse("ledger:import_template"))
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [h.rstrip("*") for h in header] == HEADERS


def test_check_then_import_all_rows_and_assign(client, personas, ledger, django_capture_on_commit_callbacks):
    client.force_login(personas.office_admin)
    data = _xlsx(
        [_row("A-1", co_units="桂园街道"), _row("A-2", title="清理往来款", unit="桂园街道", deadline="2031/9/30")]
    )

    response = _upload(client, ledger, data, assign=True)
    job = ImportJob.objects.get()
    assert response.url == reverse("ledger:import_detail", args=[job.pk])
    assert (job.to_create, job.errors) == (2, [])
    assert Item.objects.count() == 0  # checking writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:import_detail", args=[job.pk]))

    job.refresh_from_db()
    assert job.state == ImportState.DONE
    items = {item.external_id: item for item in Item.objects.all()}
    assert items["A-1"].state == "assigned"
    assert items["A-1"].co_units.get().unit == personas.unit_b
    assert items["A-2"].lead_unit == personas.unit_b
    assert str(items["A-2"].deadline) == "2031-09-30"
    assert imports.progress_of(job) == {"done": 2, "total": 2}


def test_rows_written_in_bulk_are_whole_items_that_count_and_save_again(personas, ledger):
    """On PostgreSQL the rows go in by COPY with ids from the sequence; on SQLite by bulk_create."""
    specs = [
        {
            "title": f"清理往来款{n}",
            "lead_unit": personas.unit_a,
            "deadline": dt.date(2031, 6, 30),
            "external_id": f"B-{n}",
        }
        for n in range(3)
    ]
    specs[0]["co_units"] = [(personas.unit_b, "提供资料")]

    created = items_register(actor=personas.office_admin, ledger=ledger, specs=specs)

    assert [item.pk for item in created] == list(
        Item.objects.filter(external_id__startswith="B-").order_by("seq").values_list("pk", flat=True)
    )
    assert [item.seq for item in created] == [1, 2, 3]
    assert created[0].co_units.get().unit == personas.unit_b
    assert ItemEvent.objects.filter(item__in=created, code="ledger.item.created").count() == 3
    assert {(row["lead_unit_id"], row["state"], row["n"]) for row in counts.summary([ledger.pk])} == {
        (personas.unit_a.pk, "draft", 3)
    }
    created[1].title = "清理往来款（更正）"
    created[1].save()  # an update of the row written in bulk, not a second row
    assert Item.objects.filter(ledger=ledger).count() == 3
    later = items_register(actor=personas.office_admin, ledger=ledger, specs=[{**specs[1], "external_id": "B-9"}])
    assert later[0].pk not in {item.pk for item in created}


def test_numbers_and_dates_typed_into_cells_read_as_people_mean_them(personas, ledger):
    """Excel keeps every number as a float and a date as a date-time: 20240001 stays an id, not 20240001.0."""
    data = _xlsx(
        [
            _row(20240001, deadline=dt.datetime(2031, 6, 30, 0, 0)),
            _row("B-2", deadline=None, deadline_working_days=15.0),
        ]
    )

    checked = check_workbook(data, ledger)

    assert checked.errors == []
    assert [spec["external_id"] for spec in checked.creates] == ["20240001", "B-2"]
    assert checked.creates[0]["deadline"] == dt.date(2031, 6, 30)
    assert checked.creates[1]["deadline_working_days"] == 15


def test_every_bad_row_is_named_in_chinese_and_nothing_is_written(client, personas, ledger):
    client.force_login(personas.office_admin)
    data = _xlsx(
        [
            _row("B-1"),
            _row("B-2", unit="不存在的街道"),
            _row("B-3", deadline="下个月"),
            _row("B-1", title="重复编号"),
            _row("", title=""),
        ]
    )

    _upload(client, ledger, data)

    job = ImportJob.objects.get()
    messages = {(e["row"], e["column"], e["message"]) for e in job.errors}
    assert (3, "C（牵头单位）", "找不到名为“不存在的街道”的在用单位。") in messages
    assert (
        4,
        "E（办理期限）",
        "“下个月”不是日期（如2024-06-30、2024年6月底、年底前），也不是“立行立改”或“长期坚持”。",
    ) in messages
    assert (5, "A（外部编号）", "与第2行重复。") in messages
    assert (6, "B（事项名称）", "必填。") in messages
    html = client.get(reverse("ledger:import_detail", args=[job.pk])).content.decode()
    assert "第3行" in html and "不存在的街道" in html
    response = client.post(reverse("ledger:import_detail", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportState.CHECKED
    assert Item.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"this is not a spreadsheet", "fake.xlsx"), (_xlsx([_row("C-1")], headers=["编号", "标题"]), "wrong.xlsx")],
)
def test_a_malformed_file_is_refused_with_a_clear_error(client, personas, ledger, data, name):
    client.force_login(personas.office_admin)
    _upload(client, ledger, data, name=name)
    job = ImportJob.objects.get()
    assert job.errors
    assert job.to_create == 0
    assert Item.objects.count() == 0


def test_reimporting_updates_instead_of_duplicating(client, personas, ledger, django_capture_on_commit_callbacks):
    client.force_login(personas.office_admin)
    for title in ["第一版标题", "第二版标题"]:
        _upload(client, ledger, _xlsx([_row("D-1", title=title)]))
        job = ImportJob.objects.latest("id")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("ledger:import_detail", args=[job.pk]))
    item = Item.objects.get()
    assert item.title == "第二版标题"
    assert ImportJob.objects.latest("id").to_update == 1


def test_an_export_imports_back_into_another_ledger(
    client, personas, ledger, make_item, django_capture_on_commit_callbacks
):
    from duban.ledger.models import Ledger

    make_item(title="原台账事项", external_id="E-1")
    client.force_login(personas.office_admin)
    exported = b"".join(client.get(reverse("ledger:item_export")).streaming_content)
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    header, first = rows[0], rows[1]
    row = {"外部编号": first[header.index("外部编号")], "事项名称": first[header.index("事项名称")],
           "牵头单位": first[header.index("牵头单位")], "办理期限": first[header.index("办理期限")]}  # fmt: skip
    target = Ledger.objects.create(
        name="2025年区级重点改革任务台账",
        year=2025,
        kind="reform",
        owner_unit=personas.reform_office,
        number_prefix="罗改",
    )

    _upload(client, target, _xlsx([[row.get(title, "") for title in HEADERS]]))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger:import_detail", args=[job.pk]))

    copy = Item.objects.get(ledger=target)
    assert (copy.title, copy.external_id, copy.lead_unit) == ("原台账事项", "E-1", personas.unit_a)


def test_units_cannot_import(client, personas, ledger):
    client.force_login(personas.unit_a_staff)
    assert client.get(reverse("ledger:import_new")).status_code == 403
