"""Construction contracts' pages as each persona reaches them: the owner records and scores, the
contractor reads and answers, the justice bureau reviews the template, residents see nothing; bad
input on a page saves nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from duban.conftest import _official
from duban.contracts import services
from duban.contracts.models import AnalysedContract, Contract, Contractor, KeyNode, TemplateVersion
from duban.contracts.tests.conftest import signed
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind

pytestmark = pytest.mark.django_db


def test_who_reaches_which_page(client, personas, works):
    contract = signed(works, start=timezone.localdate() - dt.timedelta(days=120))
    body = org_services.unit_create(actor=None, parent=None, name="深圳市某建设集团有限公司", kind=UnitKind.EXTERNAL)
    Contractor.objects.filter(pk=contract.contractor_id).update(unit=body)
    builder = _official(body, "builder")
    url = reverse("contracts:contract_detail", args=[contract.pk])
    assert client.get(url).status_code == 302
    for user, status in [(works.staff, 200), (works.reviewer, 200), (personas.supervisor, 200), (builder, 200),
                         (personas.unit_a_staff, 404), (personas.resident, 404)]:  # fmt: skip
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(personas.resident)
    assert client.get(reverse("contracts:home")).status_code == 403
    client.force_login(builder)
    page = client.get(url).content.decode()
    assert "登记实际完成日期" not in page and "季度履约评价评分" not in page
    assert client.get(reverse("contracts:analysis")).status_code == 403


def test_the_owner_records_a_late_node_and_the_statement_shows_its_penalty(client, works):
    contract = signed(works, start=timezone.localdate() - dt.timedelta(days=150))
    first = contract.nodes.get(order=1)
    client.force_login(works.staff)
    refused = client.post(reverse("contracts:node_record", args=[first.pk]), {"actual_on": "2000-01-01"})
    assert refused.status_code == 400 and not KeyNode.objects.exclude(actual_on=None).exists()
    late = first.planned_on + dt.timedelta(days=4)
    client.post(reverse("contracts:node_record", args=[first.pk]), {"actual_on": late.isoformat()})
    first.refresh_from_db()
    assert first.outcome == -32000  # 4 days × 8,000, within 5 % of the 1,000,000 cap
    page = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert "32,000.00" in page.content.decode()
    book = client.get(reverse("contracts:statement", args=[contract.pk]) + "?format=xlsx")
    sheets = openpyxl.load_workbook(io.BytesIO(b"".join(book.streaming_content)))
    assert any(row[5] == -32000 for row in sheets.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert client.get(reverse("contracts:terms", args=[contract.pk])).status_code == 200


def test_the_justice_bureau_reviews_a_new_version_and_an_issued_one_is_frozen(client, works):
    client.force_login(works.staff)
    form = client.get(reverse("contracts:version_edit", args=[works.template.pk])).context["form"]
    data = {**form.initial, "penalty_per_day": "10000"}
    assert client.post(reverse("contracts:version_edit", args=[works.template.pk]), data).status_code == 302
    draft = TemplateVersion.objects.get(number=2)
    assert draft.criteria == works.version.criteria  # the keys kept, never typed
    client.post(reverse("contracts:version_step", args=[draft.pk, "submit"]))
    client.post(reverse("contracts:version_step", args=[draft.pk, "issue"]))  # not the agency's step
    assert TemplateVersion.objects.get(pk=draft.pk).state == "review"
    client.force_login(works.reviewer)
    client.post(reverse("contracts:version_step", args=[draft.pk, "issue"]))
    assert TemplateVersion.objects.get(pk=draft.pk).state == "issued"
    assert TemplateVersion.objects.get(pk=works.version.pk).state == "superseded"


def test_rating_criteria_are_typed_by_name_and_weight_and_keep_their_keys(client, works):
    client.force_login(works.staff)
    url = reverse("contracts:version_edit", args=[works.template.pk])
    data = {**client.get(url).context["form"].initial, "schedule_weight": "30"}
    data["criteria"] = "工程质量, 30\n安全文明施工, 20\n现场管理与配合, 10\n农民工工资支付, 10"
    assert client.post(url, {**data, "schedule_weight": "40"}).status_code == 400  # 110 in all
    assert not TemplateVersion.objects.filter(number=2).exists()
    assert client.post(url, data).status_code == 302
    criteria = TemplateVersion.objects.get(number=2).criteria
    assert criteria == [["schedule", "工期履约", 30], ["quality", "工程质量", 30], ["safety", "安全文明施工", 20],
                        ["management", "现场管理与配合", 10], ["c1", "农民工工资支付", 10]]  # fmt: skip


def test_the_analysis_matrix_and_a_bad_entry(client, works):
    services.standard_checklist()
    client.force_login(works.staff)
    entry = {"project": "某工程", "owner_kind": "central_soe", "owner": "某央企", "contractor": "某公司",
             "amount": "-1", "starts_on": "2024-01-01", "ends_on": "2023-01-01"}  # fmt: skip
    bad = client.post(reverse("contracts:analysed_add"), entry)
    assert bad.status_code == 400 and not AnalysedContract.objects.exists()
    entry.update(amount="1000000", starts_on="2023-01-01", ends_on="2024-01-01", delay_days="30")
    client.post(reverse("contracts:analysed_add"), entry)
    page = client.get(reverse("contracts:analysis"))
    assert page.context["matrix"].present[0] == 0 and page.context["delayed"] == 1
    assert not Contract.objects.exists()


def test_the_template_library_is_searched_by_the_words_of_its_terms(client, personas, works):
    client.force_login(personas.unit_a_staff)
    assert client.get(reverse("contracts:template_new")).status_code == 403
    found = client.get(reverse("contracts:templates"), {"q": "履约评价与工期奖罚挂钩"})
    assert [row[0] for row in found.context["rows"]] == [works.template]
    assert client.get(reverse("contracts:templates"), {"q": "不存在的条款"}).context["rows"] == []
    client.force_login(works.staff)
    made = client.post(reverse("contracts:template_new"), {"name": "罗湖区市政工程施工合同（示范文本）"})
    assert made.status_code == 302 and made.url.endswith("/edit/")
    assert client.post(reverse("contracts:template_new"), {"name": works.template.name}).status_code == 400
