"""Commissioned research's pages as each persona meets them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.research.models import Result, Topic
from duban.research.tests.conftest import call_with_topic, report_docx, reviewed, signed, today

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return client.get(url).status_code


def test_who_reaches_which_page(client, personas, world):
    project = signed(personas, world)
    call = Topic.objects.get().call
    pages = [reverse("research:home"), reverse("research:call_detail", args=[call.pk]),
             reverse("research:project_detail", args=[project.pk]), reverse("research:results")]  # fmt: skip
    expected = {
        "office_admin": [200, 200, 200, 200], "unit_a_staff": [200, 200, 200, 200],
        "unit_b_staff": [200, 200, 404, 200], "expert": [200, 200, 200, 200], "resident": [403, 403, 404, 200],
    }  # fmt: skip
    for name, codes in expected.items():
        assert [_get(client, getattr(personas, name), page) for page in pages] == codes, name
    assert [_get(client, world.other_applicant, page) for page in pages] == [200, 200, 200, 200]
    assert _get(client, None, pages[2]) == 302


def test_a_unit_proposes_a_topic_on_the_page_and_the_group_decides_it(client, personas, world):
    call, topic = call_with_topic(personas, world)
    client.force_login(personas.unit_a_staff)
    response = client.post(reverse("research:topic_new", args=[call.pk]), {
        "unit": personas.unit_a.pk, "title": "社区微更新资金使用研究", "why": "资金分散", "questions": "如何统筹",
        "expected_use": "形成管理办法", "budget": "abc"})  # fmt: skip
    assert response.status_code == 400 and Topic.objects.count() == 1
    client.force_login(world.staff)
    client.post(reverse("research:call_step", args=[call.pk, "close"]))
    data = {"held_on": today().isoformat(), "present": [m.pk for m in world.members[:2]],
            f"decide_{topic.pk}": "approve", f"kind_{topic.pk}": "key", f"cap_{topic.pk}": "200000"}  # fmt: skip
    client.post(reverse("research:call_decide", args=[call.pk]), data)
    topic.refresh_from_db()
    assert topic.state == "approved" and topic.project.budget_cap == 200000


def test_an_expert_scores_on_the_panel_page_and_the_expert_of_the_body_is_told_they_do_not(client, personas,
                                                                                          world):  # fmt: skip
    project = signed(personas, world)
    panel = reviewed(world, project, "opening", 85)
    client.force_login(world.experts[0])
    assert client.get(reverse("research:panel_detail", args=[panel.pk])).status_code == 404  # not on it
    client.force_login(personas.expert)
    page = client.get(reverse("research:panel_detail", args=[panel.pk]))
    assert page.status_code == 200 and page.context["member"] is not None


def test_residents_read_public_results_only(client, personas, world):
    from duban.research import services

    project = signed(personas, world)
    for stage, mark in [("opening", 80), ("midterm", 80), ("final", 80)]:
        reviewed(world, project, stage, mark)
    project.refresh_from_db()
    services.result_share(actor=world.staff, project=project, title="内部报告", abstract="摘要",
                          upload=report_docx(), visibility="internal")  # fmt: skip
    result = Result.objects.get()
    assert _get(client, personas.resident, reverse("research:result_detail", args=[result.pk])) == 404
    assert _get(client, personas.unit_b_staff, reverse("research:result_detail", args=[result.pk])) == 200


def test_the_money_page_adds_up_what_was_paid_and_downloads(client, personas, world):
    import io

    from openpyxl import load_workbook

    from duban.research import services

    project = signed(personas, world)
    reviewed(world, project, "opening", 80)
    services.instalment_pay(actor=world.staff, instalment=project.contract.instalments.get(milestone__stage="opening"),
                            paid_on=today(), voucher="YJ-9")  # fmt: skip
    assert _get(client, personas.unit_a_staff, reverse("research:money")) == 403
    client.force_login(personas.supervisor)
    figures = client.get(reverse("research:money")).context["money"]
    [row] = figures.rows
    assert (row.contracted, row.paid, row.unpaid) == (240000, 96000, 144000)
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("research:money") + "?format=xlsx")
                                                 .streaming_content)))  # fmt: skip
    assert workbook.sheetnames == ["项目", "按类别"]


def test_a_body_that_lost_sees_neither_its_rivals_nor_the_winners_contract(client, personas, world):
    project = signed(personas, world)  # 深圳大学城市治理研究院 won; 综合开发研究院 lost
    client.force_login(world.other_applicant)
    page = client.get(reverse("research:project_detail", args=[project.pk]))
    assert page.context["contract"] is None and page.context["events"] == [] and page.context["panels"] == []
    assert [b.applicant for b in page.context["bids"]] == [world.other_body]
    client.force_login(world.applicant)
    assert client.get(reverse("research:project_detail", args=[project.pk])).context["contract"] is not None
    client.force_login(world.staff)
    [selection] = [row for row in client.get(reverse("research:project_detail", args=[project.pk])).context["panels"]
                   if row["panel"].stage == "selection"]  # fmt: skip
    assert [name for _rank, name, _score, _n in selection["results"]] == [world.body.name, world.other_body.name]


def test_only_overseers_read_the_leading_groups_decisions(client, personas, world):
    project = signed(personas, world)
    call = project.topic.call
    for user, shown in [(personas.unit_a_staff, False), (world.applicant, False), (personas.supervisor, True)]:
        client.force_login(user)
        assert bool(client.get(reverse("research:call_detail", args=[call.pk])).context["decisions"]) is shown


def test_a_topic_taken_from_a_reform_of_the_portfolio_names_it(client, personas, world, make_reform):
    reform = make_reform()
    call, _topic = call_with_topic(personas, world)
    client.force_login(personas.unit_a_staff)
    form = {"unit": personas.unit_a.pk, "title": "商事登记改革评估", "why": "评估成效", "questions": "效果如何",
            "expected_use": "完善改革", "budget": "50000", "source": "reform"}  # fmt: skip
    assert client.post(reverse("research:topic_new", args=[call.pk]), form).status_code == 400  # which reform?
    client.post(reverse("research:topic_new", args=[call.pk]), {**form, "reform": str(reform.pk)})
    topic = Topic.objects.get(title="商事登记改革评估")
    assert (topic.source, topic.source_record, topic.source_label) == ("reform", reform, reform.title)


def test_the_results_library_searches_the_reports_text_and_shows_a_resident_public_results_only(
    client, personas, world
):
    from duban.research import services

    project = signed(personas, world)
    for stage, mark in [("opening", 80), ("midterm", 80), ("final", 80)]:
        reviewed(world, project, stage, mark)
    project.refresh_from_db()
    services.result_share(actor=world.staff, project=project, title="老旧小区改造研究", abstract="摘要",
                          upload=report_docx("加装电梯的资金由业主分摊"), visibility="internal")  # fmt: skip
    url = reverse("research:results")
    client.force_login(personas.unit_b_staff)
    assert "老旧小区改造研究" in client.get(url, {"q": "加装电梯"}).content.decode()
    assert "老旧小区改造研究" not in client.get(url, {"q": "垃圾分类"}).content.decode()
    client.force_login(personas.resident)
    assert "老旧小区改造研究" not in client.get(url, {"q": "加装电梯"}).content.decode()


def test_where_a_public_result_was_adopted_is_for_officials_only(client, personas, world):
    from duban.research import services

    project = signed(personas, world)
    for stage, mark in [("opening", 80), ("midterm", 80), ("final", 80)]:
        reviewed(world, project, stage, mark)
    project.refresh_from_db()
    result = services.result_share(actor=world.staff, project=project, title="公开报告", abstract="摘要",
                                   upload=report_docx(), visibility="public")  # fmt: skip
    services.adoption_add(actor=world.staff, result=result, kind="decision", adopted_on=today(),
                          title="区委常委会内部议事规则", document_number="罗常〔2026〕1号")  # fmt: skip
    url = reverse("research:result_detail", args=[result.pk])
    assert "区委常委会内部议事规则" not in client.get(url).content.decode()  # anonymous
    client.force_login(personas.resident)
    assert "区委常委会内部议事规则" not in client.get(url).content.decode()
    client.force_login(personas.unit_b_staff)
    assert "区委常委会内部议事规则" in client.get(url).content.decode()
