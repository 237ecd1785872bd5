"""The green channel's pages as each persona meets them."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from duban.payments.models import Gap, PaymentRequest
from duban.payments.tests.conftest import deferred, pdf, prepare, submitted

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.force_login(user)
    return client


def test_who_reaches_which_page(client, personas, centre):
    request = prepare(personas, centre)
    detail = reverse("payments:request_detail", args=[request.pk])
    pages = [reverse("payments:home"), detail, reverse("payments:statistics"), reverse("payments:settings")]
    expected = {
        "office_admin": [200, 200, 200, 200], "supervisor": [200, 200, 200, 200],
        "unit_a_staff": [200, 200, 403, 403], "unit_b_staff": [200, 404, 403, 403],
        "expert": [403, 404, 403, 403], "resident": [403, 404, 403, 403],
    }  # fmt: skip
    for name, codes in expected.items():
        _as(client, getattr(personas, name))
        assert [client.get(page).status_code for page in pages] == codes, name
    client.logout()
    assert client.get(detail).status_code == 302


def test_a_unit_prepares_attaches_and_submits_a_request_on_the_page(client, personas, centre):
    _as(client, personas.unit_a_staff)
    form = {"unit": personas.unit_a.pk, "request_type": centre.works.pk, "project": "东门街道老旧小区改造",
            "fund": centre.green_fund.pk, "amount": "99800.50", "payee_name": "深圳市罗湖建筑工程有限公司",
            "payee_account": "4420 1501 1000 5251 2345", "payee_bank": "建设银行罗湖支行", "invoice_ref": "12345678",
            "contract_ref": "", "channel": "green"}  # fmt: skip
    response = client.post(reverse("payments:request_new"), form)
    request = PaymentRequest.objects.get()
    assert response.status_code == 302 and request.amount == 99800.50 and request.state == "draft"
    files = {f"doc_{centre.doc(code).pk}": pdf(f"{code}.pdf") for code in ("indicator", "approval", "account")}
    client.post(reverse("payments:documents_add", args=[request.pk]), files)
    assert request.documents.count() == 3
    client.post(reverse("payments:request_step", args=[request.pk, "submit"]))
    request.refresh_from_db()
    assert request.state == "submitted" and request.due_on is not None


def test_a_bad_amount_or_account_is_said_on_the_form_and_nothing_is_saved(client, personas, centre):
    _as(client, personas.unit_a_staff)
    form = {"unit": personas.unit_a.pk, "request_type": centre.works.pk, "project": "项目",
            "fund": centre.green_fund.pk, "amount": "12.345", "payee_name": "某公司", "payee_account": "12ab",
            "payee_bank": "银行", "channel": "green"}  # fmt: skip
    response = client.post(reverse("payments:request_new"), form)
    assert response.status_code == 400 and not PaymentRequest.objects.exists()
    errors = response.context["form"].errors
    assert "amount" in errors and "payee_account" in errors


def test_a_file_that_is_not_what_its_name_says_is_refused_and_none_of_the_batch_kept(client, personas, centre):
    request = prepare(personas, centre, docs=())
    _as(client, personas.unit_a_staff)
    fake = pdf("invoice.pdf")
    fake.file = io.BytesIO(b"MZ not a pdf")
    response = client.post(reverse("payments:documents_add", args=[request.pk]),
                           {f"doc_{centre.doc('contract').pk}": pdf("c.pdf"),
                            f"doc_{centre.doc('invoice').pk}": fake})  # fmt: skip
    assert response.status_code == 400 and request.documents.count() == 0


def test_the_clerk_defers_missing_documents_and_the_head_signs_then_the_notice_downloads(client, personas, centre):
    request = submitted(personas, centre, docs=("indicator", "approval", "account", "contract"))
    _as(client, centre.clerk)
    page = client.get(reverse("payments:request_detail", args=[request.pk]))
    assert "defer" in {s["move"].code for s in page.context["steps"]}
    assert "accept" not in {s["move"].code for s in page.context["steps"]}
    invoice, acceptance = centre.doc("invoice").pk, centre.doc("acceptance").pk
    data = {f"defer-due_{invoice}": request.due_on.isoformat(), f"defer-form_{invoice}": "online",
            f"defer-due_{acceptance}": request.due_on.isoformat(), f"defer-form_{acceptance}": "on_site"}  # fmt: skip
    client.post(reverse("payments:request_step", args=[request.pk, "defer"]), data)
    request.refresh_from_db()
    assert request.state == "commitment"
    _as(client, personas.unit_a_staff)
    assert "commit" not in {
        s["move"].code for s in client.get(reverse("payments:request_detail", args=[request.pk])).context["steps"]
    }
    _as(client, personas.unit_a_head)
    page = client.get(reverse("payments:request_detail", args=[request.pk])).content.decode()
    letter = page[page.index('class="commitment"') :]
    assert "验收报告" in letter and "发票" in letter and request.due_on.isoformat() in letter  # what is promised
    response = client.post(reverse("payments:request_step", args=[request.pk, "commit"]), {"commit-sealed": "on"})
    request.refresh_from_db()
    assert response.status_code == 302 and request.state == "accepted"
    notice = client.get(reverse("payments:notice", args=[request.pk]))
    assert "容缺受理通知书" in unquote(notice["Content-Disposition"])
    text = "\n".join(
        p.text
        for p in Document(
            io.BytesIO(b"".join(notice.streaming_content if notice.streaming else [notice.content]))
        ).paragraphs
    )
    assert "容缺受理通知书" in text and "发票" in text and "验收报告" in text and request.notice_number in text


def test_a_supplement_is_uploaded_by_the_unit_and_confirmed_by_another_clerk(client, personas, centre):
    request = deferred(personas, centre)
    gap = request.gaps.get(document_type__code="invoice")
    _as(client, personas.unit_a_staff)
    client.post(reverse("payments:gap_step", args=[gap.pk, "supply"]), {f"gap{gap.pk}-file": pdf("发票.pdf")})
    gap.refresh_from_db()
    assert gap.state == "supplied" and gap.supplied_at is not None
    _as(client, centre.clerk)
    client.post(reverse("payments:gap_step", args=[gap.pk, "confirm"]))
    assert Gap.objects.get(pk=gap.pk).confirmed_by == centre.clerk


def test_a_step_refused_on_the_page_changes_nothing_and_says_why(client, personas, centre):
    request = submitted(personas, centre)
    _as(client, personas.unit_a_staff)
    response = client.post(reverse("payments:request_step", args=[request.pk, "accept"]), follow=True)
    request.refresh_from_db()
    assert request.state == "submitted" and response.status_code in (200, 403)


def test_statistics_download_as_a_workbook(client, personas, centre):
    _as(client, centre.clerk)
    response = client.get(reverse("payments:statistics") + "?format=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 4


def test_the_office_lifts_a_suspension_on_the_settings_page_and_a_unit_cannot(client, personas, centre):
    import datetime as dt

    from duban.core.workdays import add_working_days, on_day
    from duban.payments import services
    from duban.payments.models import Suspension

    due = deferred(personas, centre).due_on
    services.gaps_lapse(at=on_day(due + dt.timedelta(days=1)))
    services.suspensions_review(at=on_day(add_working_days(due, 4)))
    suspension = Suspension.objects.get()
    _as(client, personas.unit_a_head)
    assert client.post(reverse("payments:suspension_lift", args=[suspension.pk]), {"reason": "x"}).status_code == 403
    _as(client, personas.office_admin)
    client.post(reverse("payments:suspension_lift", args=[suspension.pk]), {"reason": "经区政府同意恢复"})
    suspension.refresh_from_db()
    assert suspension.ended_how == "lifted" and suspension.ended_by == personas.office_admin


def test_a_clerk_who_recorded_a_supplement_is_not_offered_to_confirm_it(client, personas, centre):
    from duban.payments import services

    gap = deferred(personas, centre).gaps.get(document_type__code="invoice")
    services.gap_step(actor=centre.clerk, gap=gap, code="supply", upload=pdf())
    for clerk, offered in [(centre.clerk, False), (centre.other_clerk, True)]:
        _as(client, clerk)
        rows = client.get(reverse("payments:request_detail", args=[gap.request_id])).context["gaps"]
        codes = {a["move"].code for row in rows if row["gap"].pk == gap.pk for a in row["actions"]}
        assert ("confirm" in codes) is offered
    _as(client, centre.other_clerk)
    listed = client.get(reverse("payments:home") + "?to_confirm=1").context["page"]
    assert [r.pk for r in listed] == [gap.request_id]


def test_only_units_with_a_registered_fund_are_offered_to_prepare_a_request(client, personas, centre):
    for user, offered in [(personas.unit_a_staff, True), (personas.supervisor, False), (centre.clerk, False)]:
        _as(client, user)
        assert client.get(reverse("payments:home")).context["may_request"] is offered
        assert client.get(reverse("payments:request_new")).status_code == (200 if offered else 404)
