"""Staff write two things on a report's change: an internal note (why, for the office and the
units; required where the table asks for a reason) and, if they choose, a public reply. The
report's public page and Open311 show the reply, never the note."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from duban.campaigns.models import Report
from duban.campaigns.services import setup
from duban.campaigns.services.reports import report_transition
from duban.campaigns.services.rerouting import report_reroute
from duban.campaigns.tests.conftest import make_photo
from duban.campaigns.tests.test_views import report as submitted
from duban.conftest import sign_in

KEY = "open311-replies-key-0123456789"
REROUTE_NOTE = "东门街道推诿，称不归其管"
FIX_NOTE = "临时工清理，根源未处理，下周再查"
REJECT_NOTE = "举报人与商户有纠纷，信息不实"


@pytest.fixture
def open311(world):
    setup.client_create(actor=None, name="罗湖plus", key=KEY)


def staff_act(client, user, made, **post):
    client.force_login(user)
    response = client.post(reverse("campaigns:report_detail", args=[made.pk]), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()


def public_page(client, made) -> str:
    response = client.get(reverse("portal:problem_detail", args=[made.pk]))
    assert response.status_code == 200
    return response.content.decode()


def open311_row(client, made) -> dict:
    return client.get(f"/open311/v2/requests/{made.pk}.json").json()[0]


def test_internal_notes_stay_internal_and_public_replies_are_shown(client, world, personas, open311):
    made = submitted(world, personas)
    staff_act(client, personas.office_admin, made, action="accept")
    staff_act(client, personas.office_admin, made, action="reroute", unit=personas.unit_b.pk, note=REROUTE_NOTE)
    staff_act(client, personas.unit_b_staff, made, action="fix", note=FIX_NOTE, photos=[make_photo()],
              public_reply="车辆已清理，盲道已恢复通行")  # fmt: skip

    page, row = public_page(client, made), open311_row(client, made)
    for internal in (REROUTE_NOTE, FIX_NOTE):
        assert internal not in page and internal not in str(row)
    assert "车辆已清理，盲道已恢复通行" in page
    assert row["status_notes"].endswith("车辆已清理，盲道已恢复通行")

    client.force_login(personas.office_admin)
    staff_page = client.get(reverse("campaigns:report_detail", args=[made.pk])).content.decode()
    assert REROUTE_NOTE in staff_page and FIX_NOTE in staff_page and "车辆已清理，盲道已恢复通行" in staff_page


def test_a_change_without_a_reply_publishes_nothing_of_its_note(client, world, personas, open311):
    made = report_transition(actor=personas.office_admin, report=submitted(world, personas), action="accept")
    report_reroute(actor=personas.office_admin, report=made, unit=personas.unit_b, note=REROUTE_NOTE)
    made = Report.objects.get(pk=made.pk)
    transferred = report_transition(
        actor=personas.office_admin, report=submitted(world, personas), action="transfer",
        note="不属区级事权，推给市局", transferred_to="市交通运输局",
    )  # fmt: skip

    assert REROUTE_NOTE not in public_page(client, made) and REROUTE_NOTE not in str(open311_row(client, made))
    page, row = public_page(client, transferred), open311_row(client, transferred)
    assert "推给市局" not in page and "推给市局" not in row["status_notes"]
    assert "市交通运输局" in page and "市交通运输局" in row["status_notes"]


def test_the_reporter_sees_the_reply_to_a_rejection_not_the_reason(client, world, personas):
    made = submitted(world, personas)
    staff_act(client, personas.office_admin, made, action="reject", note=REJECT_NOTE,
              public_reply="经核查，现场未发现所述问题。")  # fmt: skip

    client.force_login(personas.resident)
    page = public_page(client, made)
    assert "经核查，现场未发现所述问题。" in page and REJECT_NOTE not in page


def test_a_reason_is_still_required_where_the_table_asks_for_one(client, world, personas):
    made = submitted(world, personas)
    client.force_login(personas.office_admin)
    response = client.post(
        reverse("campaigns:report_detail", args=[made.pk]), {"action": "reject", "public_reply": "不予受理"}
    )
    assert response.status_code == 400
    assert Report.objects.get(pk=made.pk).state == "submitted"


def test_the_staff_form_labels_the_two_fields(client, world, personas):
    made = submitted(world, personas)
    client.force_login(personas.office_admin)
    page = client.get(reverse("campaigns:report_detail", args=[made.pk])).content.decode()
    assert page.count('name="public_reply"') == page.count('name="note"') > 0


def test_existing_reports_keep_their_old_notes_internal(world, personas):
    made = report_transition(actor=personas.office_admin, report=submitted(world, personas), action="reject",
                             note=REJECT_NOTE)  # fmt: skip
    Report.objects.filter(pk=made.pk).update(status_note=REJECT_NOTE)  # as the old code published it
    migration = importlib.import_module("duban.campaigns.migrations.0005_public_replies")

    migration.keep_old_notes_internal(apps, None)

    assert Report.objects.get(pk=made.pk).status_note == ""
    assert made.events.get(code="campaigns.report.rejected").note == REJECT_NOTE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_write_a_note_and_a_reply_and_the_public_sees_the_reply(page, live_server, world, personas):
    made = report_transition(actor=personas.office_admin, report=submitted(world, personas), action="accept")
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("campaigns:report_detail", args=[made.pk]))
    block = page.locator("#action-reroute")
    block.locator("summary").click()
    block.locator("#reroute-unit").click()  # the unit picker: type part of the name, Enter chooses
    page.keyboard.type("桂园")
    page.keyboard.press("Enter")
    assert block.locator("select[name=unit]").input_value() == str(personas.unit_b.pk)
    assert block.locator("label[for=reroute-note]").is_visible()
    assert block.locator("label[for=reply-reroute]").is_visible()
    block.locator("#reroute-note").fill(REROUTE_NOTE)
    block.locator("#reply-reroute").fill("已转由桂园街道办理")
    block.locator("button[type=submit]").click()
    page.wait_for_selector("text=问题已更新")
    history = page.inner_text(".timeline")
    assert REROUTE_NOTE in history and "已转由桂园街道办理" in history

    page.context.clear_cookies()
    page.goto(live_server.url + reverse("portal:problem_detail", args=[made.pk]))
    text = page.inner_text("main")
    assert "已转由桂园街道办理" in text and REROUTE_NOTE not in text
