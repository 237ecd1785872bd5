"""建账 → 督办 → 销账 for one item, as the office, the unit and the supervisor do it in Chromium."""

import pytest
from django.urls import reverse

from duban.conftest import PASSWORD, build_personas
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger, Notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(live_server.url + "/")


def test_register_supervise_and_close_one_item(page, live_server, tmp_path):
    personas = build_personas()
    ledger = Ledger.objects.create(
        name="2030年审计整改台账",
        year=2030,
        kind=LedgerKind.AUDIT,
        owner_unit=personas.reform_office,
        number_prefix="罗审整",
    )

    # 年初建账: the office registers the finding's rectification and assigns it.
    _sign_in(page, live_server, "office_admin")
    page.goto(live_server.url + reverse("ledger:item_new"))
    page.select_option("select[name=ledger]", str(ledger.pk))
    page.fill("input[name=title]", "专项资金闲置未及时拨付")
    page.select_option("select[name=lead_unit]", str(personas.unit_a.pk))
    page.fill("input[name=deadline]", "2030-12-31")
    page.click("button[type=submit].btn-primary")
    page.wait_for_selector("h1:has-text('专项资金闲置未及时拨付')")
    page.click("button[value=assign]")
    page.wait_for_selector("text=已交办")
    item = Item.objects.get()
    assert item.number == "罗审整〔2030〕001号"

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
    page.click("button[value=accept]")
    page.wait_for_selector(".item-head >> text=已办结")
    page.click("button[value=close]")
    page.wait_for_selector(".item-head >> text=已销号")

    item.refresh_from_db()
    assert item.state == ItemState.CLOSED
    assert item.closed_by == personas.supervisor
    assert Notice.objects.get().response_text == "已制定拨付计划"
    assert page.locator(".timeline li").count() == 9
