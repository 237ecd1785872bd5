"""Commissioned research in Chromium, in Chinese: a unit proposes a topic, the leading group approves
it, the centre commissions a body directly and signs the contract, an expert scores the opening
review on the panel page, and once the research is accepted its report goes into the library,
where a visitor reads it. The pages hold on a phone."""

import datetime as dt

import pytest
from django.urls import reverse

from duban.conftest import build_personas, sign_in
from duban.core.testing import phone_layout_problems
from duban.research import services
from duban.research.models import Project, Result, Topic
from duban.research.tests.conftest import build_world, report_docx, reviewed, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_from_topic_proposal_to_a_graded_result_in_the_library(page, live_server, tmp_path):
    personas = build_personas()
    world = build_world(personas)
    call = services.call_open(actor=world.staff, year=today().year, title="年度委托课题选题征集",
                              closes_on=today() + dt.timedelta(days=5))  # fmt: skip

    sign_in(page, live_server, personas.unit_a_staff)
    page.goto(live_server.url + reverse("research:call_detail", args=[call.pk]))
    page.click("text=申报课题")
    page.fill("input[name=title]", "老旧小区改造居民参与机制研究")
    page.fill("textarea[name=why]", "改造中居民意见分歧大")
    page.fill("textarea[name=questions]", "如何建立议事协商机制")
    page.fill("textarea[name=expected_use]", "形成街道工作指引")
    page.fill("input[name=budget]", "200000")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=课题已申报")

    sign_in(page, live_server, world.staff)
    page.goto(live_server.url + reverse("research:call_detail", args=[call.pk]))
    page.click("button:has-text('结束征集')")
    page.wait_for_selector(".badge:has-text('课题审定中')")
    topic = Topic.objects.get()
    for member in world.members[:2]:
        page.check(f"input[name=present][value='{member.pk}']")
    page.check(f"input[name=decide_{topic.pk}][value=approve]")
    page.select_option(f"select[name=kind_{topic.pk}]", "key")
    page.fill(f"input[name=cap_{topic.pk}]", "180000")
    page.click("button:has-text('记录领导小组审定结果')")
    page.wait_for_selector("text=领导小组审定结果已记录")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('发布课题指南')")
    page.wait_for_selector("h2:has-text('课题指南')")

    project = Project.objects.get()
    page.goto(live_server.url + reverse("research:project_detail", args=[project.pk]))
    page.select_option("select[name=selection]", "direct")
    page.check(f"input[name=invited][value='{world.body.pk}']")
    page.click("form[action$='/setup/'] button")
    page.wait_for_selector("text=已完成")
    page.click("button:has-text('公布承担单位')")
    page.wait_for_selector(".badge:has-text('待签合同')")
    page.fill("input[name=number]", "罗发研合〔2026〕1号")
    page.fill("input[name=amount]", "170000")
    page.fill("textarea[name=deliverables]", "研究报告一份")
    for stage, days, pay in [("opening", 10, "68000"), ("midterm", 60, "51000"), ("final", 120, "51000")]:
        page.fill(f"input[name=due_{stage}]", (today() + dt.timedelta(days=days)).isoformat())
        page.fill(f"input[name=pay_{stage}]", pay)
    page.click("form[action$='/contract/'] button")
    page.wait_for_selector(".badge:has-text('研究中')")
    page.click("button:has-text('登记成果提交')")
    page.wait_for_selector("text=成果已登记")
    for expert in world.experts[1:]:
        page.check(f"input[name=review-experts][value='{expert.pk}']")
    page.click("form[action$='/review/'] button")
    page.wait_for_selector("text=专家组已组建")
    panel_url = page.url

    sign_in(page, live_server, personas.expert)
    page.goto(panel_url)
    for code in ("quality", "use", "form"):
        page.fill(f"input[name$='-{code}']", "88")
    page.click("button:has-text('保存我的评分')")
    page.wait_for_selector("text=评分已保存")
    services.score_submit(actor=world.experts[2], panel=project.panels.get(stage="opening"), entry=project.pk,
                          scores={"quality": 86, "use": 86, "form": 86})  # fmt: skip

    sign_in(page, live_server, world.staff)
    page.goto(panel_url)
    page.click("button:has-text('公布结果')")
    page.wait_for_selector("text=评审结果已公布")
    project.refresh_from_db()
    reviewed(world, project, "midterm", 85)
    reviewed(world, project, "final", 91)
    page.goto(live_server.url + reverse("research:project_detail", args=[project.pk]))
    page.wait_for_selector(".badge:has-text('已结题')")
    doc = tmp_path / "研究报告.docx"
    doc.write_bytes(report_docx("居民议事会三步工作法").read())
    page.fill("input[name=title]", "老旧小区改造居民参与机制研究报告")
    page.fill("textarea[name=abstract]", "建议建立居民议事会")
    page.select_option("select[name=visibility]", "public")
    page.set_input_files("input[name=upload]", str(doc))
    page.click("button:has-text('入库')")
    page.wait_for_selector("h1:has-text('老旧小区改造居民参与机制研究报告')")
    assert Result.objects.get().project.grade == "excellent"

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("research:results") + "?q=议事会")
    page.click("text=老旧小区改造居民参与机制研究报告")
    page.wait_for_selector("text=建议建立居民议事会")
    assert not phone_layout_problems(page)
