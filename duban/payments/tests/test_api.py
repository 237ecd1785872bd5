"""The green channel's JSON API: the same services and access rules as the pages."""

from __future__ import annotations

import pytest
from django.utils import timezone

from duban.payments.models import PaymentRequest
from duban.payments.tests.conftest import submitted

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_unit_prepares_and_the_centre_defers_and_pays_through_the_api(client, personas, centre):
    client.force_login(personas.unit_a_staff)
    payload = {
        "unit_id": personas.unit_a.pk, "request_type_id": centre.works.pk, "fund_id": centre.green_fund.pk,
        "project": "老旧小区改造", "amount": "1000.00", "payee_name": "某公司", "payee_account": "62220210011151123",
        "payee_bank": "建设银行", "invoice_ref": "8888", "channel": "green",
    }  # fmt: skip
    refused = client.post("/api/payments/requests", payload, content_type=JSON)
    assert refused.status_code == 400 and not PaymentRequest.objects.exists()
    made = client.post("/api/payments/requests", {**payload, "payee_account": "44201501100052512345"},
                       content_type=JSON)  # fmt: skip
    assert made.status_code == 201 and made.json()["state"] == "draft"

    request = submitted(personas, centre, docs=("indicator", "approval", "account", "contract", "invoice"),
                        invoice_ref="9999")  # fmt: skip
    url = f"/api/payments/requests/{request.pk}/steps"
    gaps = [{"document_type_id": centre.doc("acceptance").pk, "due_on": request.due_on.isoformat()}]
    assert client.post(url, {"code": "defer", "gaps": gaps}, content_type=JSON).status_code == 403
    client.force_login(centre.clerk)
    assert client.post(url, {"code": "defer", "gaps": gaps}, content_type=JSON).json()["state"] == "commitment"
    client.force_login(personas.unit_a_head)
    assert client.post(url, {"code": "commit", "sealed": True}, content_type=JSON).json()["notice_number"]
    for user, code in [(centre.reviewer, "review"), (centre.approver, "approve")]:
        client.force_login(user)
        assert client.post(url, {"code": code}, content_type=JSON).status_code == 200
    client.force_login(centre.cashier)
    paid = client.post(url, {"code": "pay", "paid_on": timezone.localdate().isoformat(), "voucher": "GK-1"},
                       content_type=JSON)  # fmt: skip
    assert paid.json()["state"] == "paid"
    [gap] = client.get(f"/api/payments/requests/{request.pk}/missing").json()
    assert gap["state"] == "pending" and gap["document"] == "验收报告"
    client.force_login(personas.unit_b_staff)
    assert client.get(f"/api/payments/requests/{request.pk}").status_code == 404
    assert client.get("/api/payments/statistics?year=2026").status_code == 403
    client.force_login(personas.supervisor)
    figures = client.get(f"/api/payments/statistics?year={timezone.localdate().year}").json()
    assert [s["paid"] for s in figures["speeds"] if s["channel"] == "green"] == [1]
