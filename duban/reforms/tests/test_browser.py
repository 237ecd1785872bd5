"""A resident proposes → the office adopts it into the plan → the reform is decomposed, a milestone
goes red and gets a 督查令 → experts score → the ranking appears on the portal. In Chromium."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.conftest import build_personas, pick, sign_in
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Ledger, Notice
from duban.ledger.services import sweep_run
from duban.orgs import services as org_services
from duban.orgs.choices import LeaderRank
from duban.reforms.models import Proposal, Reform
from duban.reforms.rounds import panel_add_member, panel_create
from duban.reforms.services import call_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_residents_proposal_to_the_published_ranking(page, live_server):
    personas = build_personas()
    today = timezone.localdate()
    year = today.year
    main = org_services.person_create(actor=None, name="测试区委书记")
    org_services.portfolio_create(actor=None, leader=main, title="区委书记", rank=LeaderRank.MAIN)
    Ledger.objects.create(
        name=f"{year}年区级改革任务台账", year=year, kind=LedgerKind.REFORM, owner_unit=personas.reform_office,
        number_prefix="罗改",
    )  # fmt: skip
    call = call_create(
        actor=None, year=year, title=f"{year}年度改革“金点子”征集", description="征集改革建议",
        opens_on=today - dt.timedelta(days=3), closes_on=today + dt.timedelta(days=10),
    )  # fmt: skip

    # A resident proposes on the portal.
    sign_in(page, live_server, personas.resident)
    page.goto(live_server.url + reverse("portal:call_detail", args=[call.pk]))
    page.fill("input[name=title]", "社区长者饭堂扩面")
    page.fill("textarea[name=text]", "希望每个社区都有长者饭堂。")
    page.click("#propose button[type=submit]")
    page.wait_for_selector("text=感谢您的建议")

    # The office registers the reform and adopts the proposal into it.
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("reforms:reform_new"))
    page.fill("input[name=year]", str(year))
    page.select_option("select[name=level]", "micro")
    page.select_option("select[name=group]", "public_services")
    page.fill("input[name=title]", "社区长者饭堂全覆盖")
    page.fill("textarea[name=goals]", "每个社区建成长者饭堂")
    page.fill("input[name=deadline]", (today + dt.timedelta(days=60)).isoformat())
    pick(page, "lead_unit", "东门街道")
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector("h1:has-text('社区长者饭堂全覆盖')")
    reform = Reform.objects.get()
    proposal = Proposal.objects.get()
    page.goto(live_server.url + reverse("reforms:call_detail", args=[call.pk]))
    page.click(f"#proposal-{proposal.pk} summary")
    page.select_option(f"select[name=p{proposal.pk}-state]", "adopted")
    page.fill(f"textarea[name=p{proposal.pk}-answer]", "已采纳，纳入社区长者饭堂全覆盖改革。")
    page.select_option(f"select[name=p{proposal.pk}-reform]", str(reform.pk))
    page.click(f"#proposal-{proposal.pk} button[type=submit]")
    page.wait_for_selector(f"#proposal-{proposal.pk} >> text=已采纳")

    # It is decomposed; a milestone due today goes red two days later and the supervisor issues a 督查令.
    page.goto(live_server.url + reverse("reforms:reform_detail", args=[reform.pk]))
    page.fill("#milestones-form input[name=title_1]", "完成选址")
    page.fill("#milestones-form input[name=deadline_1]", today.isoformat())
    page.click("#milestones-form button[type=submit]")
    page.wait_for_selector("#milestones >> text=完成选址")
    milestone = Item.objects.get(parent__isnull=False)
    sweep_run(today=today + dt.timedelta(days=2))
    sign_in(page, live_server, personas.supervisor)
    page.goto(live_server.url + reverse("ledger:item_detail", args=[milestone.pk]))
    page.wait_for_selector(".item-head >> text=红灯")
    page.select_option("#notice-form select[name=level]", "red")
    page.fill("#notice-form textarea[name=reason]", "节点逾期，限期完成选址")
    page.click("#notice-form button[type=submit]")
    page.wait_for_selector("text=罗改督查令〔")
    page.goto(live_server.url + reverse("reforms:reform_detail", args=[reform.pk]))
    assert page.locator("#notices >> text=红色督办单（督查令）").count() == 1

    # An expert scores it; the office publishes; the ranking is on the portal.
    panel = panel_create(
        actor=None, year=year, title=f"{year}年微改革第三方评估", candidates=[reform], excellent_count=1
    )
    panel_add_member(actor=None, panel=panel, user=personas.expert, affiliation="市委改革办")
    sign_in(page, live_server, personas.expert)
    page.goto(live_server.url + reverse("portal:home"))
    page.click("nav >> text=专家评分")
    page.click(f"a:has-text('{panel.title}')")
    for code, value in (("targeting", "9"), ("innovation", "8.5"), ("effect", "9")):
        page.fill(f'input[name="{reform.pk}-{code}"]', value)
    page.click(f"#candidate-{reform.pk} button[type=submit]")
    page.wait_for_selector("text=已保存对")
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("reforms:panel_detail", args=[panel.pk]))
    page.click("button:has-text('公布结果')")
    page.wait_for_selector("text=结果已在门户网站公布")
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("portal:panel_results", args=[panel.pk]))
    row = page.locator("tbody tr").first
    assert row.locator("td").all_inner_texts()[:2] == ["1", "社区长者饭堂全覆盖 优秀"]
    assert Notice.objects.filter(item=milestone, level="red").count() == 1
