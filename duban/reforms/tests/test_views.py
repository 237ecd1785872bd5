import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from duban.core.testing import official_document
from duban.core.workdays import on_day
from duban.ledger.models import Item
from duban.reforms.models import Reform, ReformAdjustment

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office_admin", 200),
        ("supervisor", 200),
        ("unit_a_staff", 200),
        ("district_leader", 200),
        ("expert", 403),
        ("resident", 403),
    ],
)
def test_who_reads_the_reforms(client, personas, make_reform, persona, status):
    reform = make_reform()
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("reforms:reform_list")).status_code == status
    assert client.get(reverse("reforms:reform_detail", args=[reform.pk])).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, make_reform):
    assert client.get(reverse("reforms:reform_list")).status_code == 302


@pytest.mark.parametrize("persona", ["unit_a_staff", "unit_a_head", "district_leader", "expert"])
def test_only_the_office_registers_decomposes_and_adjusts(client, personas, make_reform, persona):
    reform = make_reform()
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("reforms:reform_new")).status_code == 403
    milestones = {"title_1": "梳理清单", "deadline_1": "2024-06-30"}
    assert client.post(reverse("reforms:reform_decompose", args=[reform.pk]), milestones).status_code == 403
    adjustment = {"reason": "调整", "plan": "新方案"}
    assert client.post(reverse("reforms:adjustment_new", args=[reform.pk]), adjustment).status_code == 403
    assert Item.objects.count() == 0 and ReformAdjustment.objects.count() == 0


def test_the_office_registers_decomposes_and_deepens_a_reform_from_the_pages(
    client, personas, reform_ledger, main_leader
):
    client.force_login(personas.office_admin)
    with time_machine.travel(on_day(D(2024, 3, 1), hour=9), tick=False):
        response = client.post(
            reverse("reforms:reform_new"),
            {
                "year": "2024",
                "level": "key",
                "group": "industry",
                "title": "商事登记“秒批”改革",
                "goals": "企业开办一日办结",
                "deadline": "2024-12-31",
                "lead_unit": personas.unit_a.pk,
            },
        )
        reform = Reform.objects.get()
        assert response.url == reverse("reforms:reform_detail", args=[reform.pk])
        assert list(reform.lead_leaders.all()) == [main_leader]

        client.post(
            reverse("reforms:reform_decompose", args=[reform.pk]),
            {"title_1": "梳理清单", "deadline_1": "2024-06-30", "title_2": "上线系统", "deadline_2": "2024-10-31"},
        )
        html = client.get(reverse("reforms:reform_detail", args=[reform.pk])).content.decode()
    assert "罗改〔2024〕002号" in html and "上线系统" in html
    assert Item.objects.filter(parent=Reform.objects.get().item).count() == 2

    response = client.post(reverse("reforms:reform_decompose", args=[reform.pk]), {"title_1": "无期限的节点"})
    html = response.content.decode()
    assert response.status_code == 400 and "必填" in html and 'value="无期限的节点"' in html  # what was typed stays
    assert Item.objects.count() == 3

    with time_machine.travel(on_day(D(2024, 6, 3), hour=9), tick=False):
        client.post(reverse("reforms:adjustment_new", args=[reform.pk]), {"reason": "统一部署", "goals": "半日办结"})
        adjustment = ReformAdjustment.objects.get()
        client.force_login(personas.supervisor)
        client.post(reverse("reforms:adjustment_decide", args=[adjustment.pk]), {"decision": "approve", "note": ""})
        html = client.get(reverse("reforms:reform_detail", args=[reform.pk])).content.decode()
    reform.refresh_from_db()
    assert reform.goals == "半日办结"
    assert "企业开办一日办结" in html and "半日办结" in html  # before and after are kept


def test_a_reform_breaking_the_three_level_rule_shows_a_warning(client, personas, make_reform):
    reform = make_reform(lead_leaders=[personas.district_leader.person])
    client.force_login(personas.office_admin)
    html = client.get(reverse("reforms:reform_detail", args=[reform.pk])).content.decode()
    assert "msg-warning" in html


def test_the_annual_plan_downloads_as_word_and_excel(client, personas, make_reform):
    make_reform(co_units=[personas.unit_b])
    client.force_login(personas.unit_a_staff)
    docx = client.get(reverse("reforms:plan_detail", args=[2024]), {"format": "docx"})
    text = "\n".join(p.text for p in official_document(docx.content).paragraphs)
    assert "2024年工作要点" in text and "一、产业发展和营商环境" in text
    assert (
        "1. 商事登记“秒批”改革。企业开办全程网办，一日办结。"
        "牵头区领导：测试区委书记；牵头单位：东门街道；配合单位：桂园街道；" in text
    )
    xlsx = client.get(reverse("reforms:plan_detail", args=[2024]), {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active.values)
    assert rows[1][3:7] == ("商事登记“秒批”改革", "企业开办全程网办，一日办结", "测试区委书记", "东门街道")
    assert client.post(reverse("reforms:plan_detail", args=[2024]), {"meeting": "会议"}).status_code == 403
