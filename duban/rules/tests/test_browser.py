"""以审促建 in Chromium, in Chinese: from an audit finding a unit builds a rule into its plan,
deliberates, issues and publishes it; once verified it is in force and goes into the unit's
compilation, which is issued and downloads. The pages hold on a phone."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.conftest import build_personas, sign_in
from duban.core.testing import desktop_layout_problems, phone_layout_problems
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services import item_transition
from duban.rectification.services import finding_add, project_create
from duban.rules import services
from duban.rules.models import Compilation, Rule, RuleAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_from_an_audit_finding_to_a_rule_in_force_and_into_the_compilation(page, live_server):
    personas = build_personas()
    year = timezone.localdate().year
    Ledger.objects.create(name="审计整改台账", year=year, kind=LedgerKind.AUDIT, owner_unit=personas.reform_office,
                          number_prefix="罗审整")  # fmt: skip
    rules_ledger = Ledger.objects.create(name=f"{year}年制度建设台账", year=year, kind=LedgerKind.RULES,
                                         owner_unit=personas.reform_office, number_prefix="罗制")  # fmt: skip
    project = project_create(
        actor=personas.office_admin, year=year, name="桂园街道预算执行审计", audit_type="budget",
        audited_unit=personas.unit_b, report_number="罗审报〔2026〕9号", report_date=timezone.localdate(),
    )  # fmt: skip
    finding = finding_add(
        actor=personas.office_admin, project=project, title="公务接待无审批", finding_type="management",
        amount_involved=12000, requirement="建立接待审批制度", responsible_unit=personas.unit_b,
    )  # fmt: skip
    services.plan_create(actor=personas.unit_b_staff, unit=personas.unit_b, ledger=rules_ledger, year=year,
                         title="桂园街道制度建设计划", scheme="zbt")  # fmt: skip
    due = (timezone.localdate() + dt.timedelta(days=60)).isoformat()

    sign_in(page, live_server, personas.unit_b_staff)
    page.goto(live_server.url + reverse("rectification:project_detail", args=[project.pk]))
    page.click("text=据此建立制度")
    page.wait_for_selector("text=制度建设起因：")
    page.select_option("select[name=kind]", "make")
    page.fill("input[name=title]", "桂园街道公务接待审批制度")
    page.select_option("select[name=rule_kind]", "system")
    page.fill("input[name=deadline]", due)
    page.fill("textarea[name=summary]", "以审促建：接待须事前审批")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('增：桂园街道公务接待审批制度')")
    action = RuleAction.objects.get()
    assert action.causes.get().cause == finding

    item = item_transition(actor=personas.office_admin, item=action.item, action="assign")
    item_transition(actor=personas.unit_b_staff, item=item, action="acknowledge")
    page.reload()
    page.click("button:has-text('提交集体审议')")
    page.wait_for_selector("h2:has-text('印发')")
    form = page.locator("form[action$='/issue/']")
    form.locator("input[name=reason]").fill("桂园街道党工委2026年第9次会议")
    form.locator("input[name=document_number]").fill("罗桂办〔2026〕12号")
    form.locator("input[name=adopted_on]").fill(timezone.localdate().isoformat())
    form.locator("input[name=effective_on]").fill(timezone.localdate().isoformat())
    form.locator("textarea[name=text]").fill("第一条 公务接待实行事前审批。")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".badge:has-text('已印发')")
    page.click("summary:has-text('公布并报送核验')")
    page.click("form[action$='/publish/'] button:has-text('确认')")
    page.wait_for_selector(".badge:has-text('已公布，待核验')")

    item_transition(actor=personas.supervisor, item=RuleAction.objects.get().item, action="accept", reason="核验通过")
    rule = Rule.objects.get()
    assert (rule.status, rule.version) == ("in_force", 1)

    page.goto(live_server.url + reverse("rectification:project_detail", args=[project.pk]))
    assert "桂园街道公务接待审批制度（已生效）" in page.locator("main").inner_text()

    page.goto(live_server.url + reverse("rules:compilation_new"))
    page.fill("input[name=title]", "桂园街道工作制度汇编")
    page.select_option("select[name=unit]", str(personas.unit_b.pk))
    page.select_option("select[name=units]", [str(personas.unit_b.pk)])
    page.click("main button[type=submit]")
    page.wait_for_selector("text=桂园街道公务接待审批制度")
    page.click("summary:has-text('印发')")
    page.click("form[action$='/issue/'] button:has-text('确认')")
    page.wait_for_selector(".badge:has-text('已印发')")
    assert Compilation.objects.get().entries.count() == 1
    with page.expect_download() as download:
        page.click("text=下载汇编（.docx）")
    assert open(download.value.path(), "rb").read(2) == b"PK"

    for path in [reverse("rules:rule_list"), reverse("rules:rule_detail", args=[rule.pk]),
                 reverse("rules:action_detail", args=[action.pk]), reverse("rules:summary")]:  # fmt: skip
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        assert desktop_layout_problems(page) == [], path
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + path)
        assert phone_layout_problems(page) == [], path
