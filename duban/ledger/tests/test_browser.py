"""建账 → 督办 → 销账 for one audit finding, as the office, the unit and the supervisor do it in Chromium."""

import pytest
from django.urls import reverse

from duban.conftest import PASSWORD, build_personas, pick
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger, Notice
from duban.rules.tests.conftest import rule_built_from

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(lambda url: reverse("login") not in url)  # on to their work


def test_open_supervise_and_write_off_one_audit_finding(page, live_server, tmp_path):
    personas = build_personas()
    ledger = Ledger.objects.create(
        name="2030年审计整改台账",
        year=2030,
        kind=LedgerKind.AUDIT,
        owner_unit=personas.reform_office,
        number_prefix="罗审整",
    )

    # 年初建账: the office registers the audit report and its finding, and opens the finding's item.
    _sign_in(page, live_server, "office_admin")
    page.goto(live_server.url + reverse("rectification:project_new"))
    page.fill("input[name=year]", "2030")
    page.fill("input[name=name]", "2030年度东门街道预算执行审计")
    page.select_option("select[name=audit_type]", "budget")
    pick(page, "audited_unit", "东门街道")
    page.fill("input[name=report_number]", "罗审报〔2030〕3号")
    page.fill("input[name=report_date]", "2030-03-15")
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector("h1:has-text('2030年度东门街道预算执行审计')")
    page.fill("input[name=title]", "专项资金闲置未及时拨付")
    page.select_option("select[name=finding_type]", "management")
    page.fill("input[name=amount_involved]", "1200000")
    page.fill("textarea[name=requirement]", "限期拨付到位并建立资金台账")
    page.click("form[action$='/findings/'] button[type=submit]")
    page.wait_for_selector("td strong:has-text('专项资金闲置未及时拨付')")
    page.click("summary:has-text('年初建账')")
    page.select_option("form[action$='/open/'] select[name=ledger]", str(ledger.pk))
    page.fill("form[action$='/open/'] input[name=deadline]", "2030-12-31")
    page.click("form[action$='/open/'] button[type=submit]")
    page.wait_for_selector("text=已交办")
    item = Item.objects.get()
    assert item.number == "罗审整〔2030〕001号"
    assert item.title == "专项资金闲置未及时拨付" and item.lead_unit == personas.unit_a

    # 年中督办: the supervisor issues a notice; the unit acknowledges, answers and submits with evidence.
    _sign_in(page, live_server, "supervisor")
    page.goto(live_server.url + reverse("ledger:item_detail", args=[item.pk]))
    page.select_option("#notice-form select[name=level]", "urging")
    page.fill("#notice-form textarea[name=reason]", "请加快资金拨付进度")
    page.click("#notice-form button[type=submit]")
    page.wait_for_selector("text=罗审整催办〔")

    _sign_in(page, live_server, "unit_a_staff")
    page.goto(live_server.url + reverse("ledger:inbox"))
    page.click(f"a:has-text('{item.number}')")
    page.click("button[value=acknowledge]")
    page.wait_for_selector(".item-head >> text=已签收")
    page.fill("#notices textarea[name=text]", "已制定拨付计划")
    page.click("#notices button:has-text('回复')")
    page.wait_for_selector("text=已制定拨付计划")
    evidence = tmp_path / "拨付凭证.pdf"
    evidence.write_bytes(b"%PDF-1.4 voucher")
    page.click("summary:has-text('报送办结')")
    page.fill("#reason-submit", "资金已全部拨付到位")
    page.set_input_files("#files-submit", str(evidence))
    page.click("form[action$='/act/submit/'] button[type=submit]")
    page.wait_for_selector(".item-head >> text=已报办结")
    assert page.locator("a:has-text('拨付凭证.pdf')").count() == 1
    assert page.locator("button[value=accept]").count() == 0  # never their own review

    # 年末销账: the supervisor accepts and closes.
    _sign_in(page, live_server, "supervisor")
    page.goto(live_server.url + reverse("ledger:queue"))
    page.click(f"a:has-text('{item.number}')")
    assert page.locator("summary.btn-primary").inner_text() == "审核通过"  # the reviewer's next step
    page.click("#action-accept summary")
    page.fill("#reason-accept", "凭证齐全，资金已拨付")
    page.click("#action-accept button[type=submit]")
    page.wait_for_selector(".item-head >> text=已办结")
    page.click("#action-close summary")
    page.click("#action-close button[type=submit]")  # no opinion: the browser asks for one first
    assert Item.objects.get().state == ItemState.DONE
    page.fill("#reason-close", "经核验整改到位，同意销号")
    page.click("#action-close button[type=submit]")
    page.wait_for_selector(".item-head >> text=已销号")
    assert page.locator(".timeline li").count() == 9
    assert page.locator(".timeline >> text=同意销号").count() == 1

    # 年末对账: the office records the money recovered; the year-end report counts the finding rectified.
    _sign_in(page, live_server, "office_admin")
    page.goto(live_server.url + reverse("rectification:project_detail", args=[item.subject.project_id]))
    page.click("summary:has-text('登记整改结果')")
    page.fill("input[name=amount_recovered]", "1200000")
    page.click("form[action$='/result/'] button[type=submit]")
    page.wait_for_selector(".badge.finding-rectified")
    # the rules it built are the registry's: one made by 东门街道 because of this finding (以审促建)
    rule_built_from(personas, item.subject, unit=personas.unit_a, staff=personas.unit_a_staff)
    page.goto(live_server.url + reverse("rectification:yearend", args=[2030]))
    row = page.locator("tbody tr", has_text=personas.unit_a.name)
    cells = row.locator("td").all_inner_texts()[1:]
    assert cells[:4] + cells[-1:] == ["0", "1", "0", "0", "1"]
    assert [cell.split("\xa0")[0] for cell in cells[4:6]] == ["1,200,000.00", "1,200,000.00"]  # read as money

    item.refresh_from_db()
    assert item.state == ItemState.CLOSED
    assert item.closed_by == personas.supervisor
    assert Notice.objects.get().response_text == "已制定拨付计划"
