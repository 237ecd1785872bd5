"""Each persona's day, walked in Chromium in Chinese at desktop and phone widths: they land on their
work; every page they use speaks the glossary's words and never the wrong ones; every link and
button they are shown opens for them; the pages unit staff and residents use on a phone fit it; an
export holds exactly what the filtered list shows."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from duban.campaigns.tests.conftest import submit_report
from duban.campaigns.tests.conftest import world as world  # noqa: F401 - a fixture
from duban.conftest import sign_in
from duban.core import glossary
from duban.core.testing import DESKTOP, PHONE, desktop_layout_problems, phone_layout_problems
from duban.core.workdays import on_day
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services import item_create, item_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Links a walk does not follow: signing out, switching language and Django's admin.
NOT_FOLLOWED = re.compile(r"/accounts/logout|/i18n/|/admin/")


@pytest.fixture
def day(personas, world):  # noqa: F811 - the campaign world fixture
    """Unit A's ledger work (one item to sign for, one awaiting review) and a resident's report."""
    p = personas
    today = timezone.localdate()
    ledger = Ledger.objects.create(
        name=f"{today.year}年督办事项台账",
        year=today.year,
        kind=LedgerKind.GENERAL,
        owner_unit=p.reform_office,
        number_prefix="罗督",
    )

    def assigned(title: str, unit) -> object:
        at = on_day(today - dt.timedelta(days=3))
        item = item_create(
            actor=p.office_admin,
            ledger=ledger,
            title=title,
            lead_unit=unit,
            deadline=today + dt.timedelta(days=40),
            at=at,
        )
        return item_transition(actor=p.office_admin, item=item, action="assign", at=at)

    to_sign = assigned("推进东门步行街综合整治", p.unit_a)
    to_review = assigned("湖贝片区城市更新安置房建设", p.unit_a)
    item_transition(actor=p.unit_a_staff, item=to_review, action="acknowledge")
    item_transition(actor=p.unit_a_staff, item=to_review, action="submit", reason="已全部完成，附验收材料")
    assigned("桂园街道老旧小区加装电梯", p.unit_b)
    report = submit_report(world, personas)
    return {"ledger": ledger, "to_sign": to_sign, "to_review": to_review, "report": report}


def _land(page, live_server, user) -> str:
    """Sign in and follow the sign-in redirect; the path the person lands on."""
    if user is None:
        page.context.clear_cookies()
        page.goto(live_server.url + "/")
    else:
        sign_in(page, live_server, user)
        page.goto(live_server.url + reverse(settings.LOGIN_REDIRECT_URL))
    return page.url.removeprefix(live_server.url).split("?")[0]


def _text(page) -> str:
    return page.locator("header").inner_text() + "\n" + page.locator("main").inner_text()


def _unusable_links(page, live_server) -> list[str]:
    """The links and buttons-as-links shown on the page that do not open for this person."""
    hrefs = page.eval_on_selector_all(
        "header a[href], main a.btn[href], main .actions a[href]",
        "els => els.filter(el => el.offsetParent !== null || el.closest('#site-menu')).map(el => el.href)",
    )
    broken = []
    for href in dict.fromkeys(hrefs):
        if not href.startswith(live_server.url) or NOT_FOLLOWED.search(href):
            continue
        response = page.request.get(href, max_redirects=5)
        if response.status >= 400:
            broken.append(f"{href.removeprefix(live_server.url)} answers {response.status}")
    return broken


def _walk(page, live_server, user, pages: list[tuple[str, list[str]]], *, phone: set[str] = frozenset()):
    """Open each page at both widths; what is wrong with any of them, page by page."""
    found = {}
    for path, words in pages:
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            response = page.goto(live_server.url + path)
            problems = [] if response.status == 200 else [f"answers {response.status}"]
            if page.locator("html").get_attribute("lang") != "zh-hans":
                problems.append("not in Chinese")
            wrong = glossary.violations(_text(page), words)
            # A phone shows lists as cards without column headers: only the wrong words count there.
            problems += wrong if size is DESKTOP else [p for p in wrong if not p.startswith("missing")]
            if size is DESKTOP:
                problems += desktop_layout_problems(page)
                problems += _unusable_links(page, live_server)
            elif path in phone:
                problems += phone_layout_problems(page)
            if problems:
                found[f"{path} at {size['width']} px"] = problems
    return found


def test_unit_staff_land_on_their_inbox_and_work_it_on_a_phone(page, live_server, personas, day):
    assert _land(page, live_server, personas.unit_a_staff) == reverse("ledger:inbox")
    inbox, items = reverse("ledger:inbox"), reverse("ledger:item_list")
    item = reverse("ledger:item_detail", args=[day["to_sign"].pk])
    pages = [(inbox, ["签收"]), (items, ["事项名称", "牵头单位", "办理期限"]), (item, ["签收", "已交办", "牵头单位"])]

    assert _walk(page, live_server, personas.unit_a_staff, pages, phone={inbox, items, item}) == {}
    page.goto(live_server.url + inbox)
    assert "推进东门步行街综合整治" in _text(page) and "桂园街道老旧小区加装电梯" not in _text(page)


def test_unit_b_staff_see_their_own_work_only(page, live_server, personas, day):
    assert _land(page, live_server, personas.unit_b_staff) == reverse("ledger:inbox")
    assert _walk(page, live_server, personas.unit_b_staff, [(reverse("ledger:inbox"), ["签收"])]) == {}
    assert "推进东门步行街综合整治" not in _text(page)
    response = page.goto(live_server.url + reverse("ledger:item_detail", args=[day["to_sign"].pk]))
    assert response.status in (403, 404)


def test_the_supervisor_lands_on_the_review_queue_and_reviews(page, live_server, personas, day):
    assert _land(page, live_server, personas.supervisor) == reverse("ledger:queue")
    item = reverse("ledger:item_detail", args=[day["to_review"].pk])
    pages = [(reverse("ledger:queue"), ["审核事项"]), (item, ["审核通过", "退回重办", "牵头单位"])]

    assert _walk(page, live_server, personas.supervisor, pages, phone={item}) == {}


def test_the_office_admin_lands_on_the_ledger_and_exports_what_it_filtered(page, live_server, personas, day):
    assert _land(page, live_server, personas.office_admin) == reverse("ledger:item_list")
    draft = item_create(
        actor=personas.office_admin,
        ledger=day["ledger"],
        title="整治晒布路占道经营",
        lead_unit=personas.unit_b,
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    pages = [
        (reverse("ledger:item_list"), ["事项名称", "牵头单位"]),
        (reverse("ledger:item_detail", args=[draft.pk]), ["交办", "牵头单位", "办理期限"]),
        (reverse("campaigns:report_detail", args=[day["report"].pk]), ["问题报告", "整改前"]),
        (reverse("orgs:unit_detail", args=[personas.unit_a.pk]), ["职务"]),
    ]
    assert _walk(page, live_server, personas.office_admin, pages) == {}

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + reverse("ledger:item_list"))
    page.fill("input[name=q]", "步行街")
    page.locator("input[name=q]").press("Enter")
    page.wait_for_function("() => !document.querySelector('main').innerText.includes('晒布路')")
    shown = page.locator("main table tbody tr").count()
    with page.expect_download() as download:
        page.locator("a", has_text="导出Excel").click()
    rows = list(load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active.iter_rows(values_only=True))
    titles = [row[1] for row in rows[1:] if row[0]]
    assert shown == 1 and titles == ["推进东门步行街综合整治"]


def test_the_district_leader_lands_on_the_portfolio(page, live_server, personas, day):
    landed = _land(page, live_server, personas.district_leader)
    assert landed == reverse("ledger:item_list")
    assert _walk(page, live_server, personas.district_leader, [(landed, ["牵头单位"])]) == {}


def test_the_expert_lands_on_scoring_and_sees_no_official_pages(page, live_server, personas, day):
    assert _land(page, live_server, personas.expert) == reverse("reforms:my_panels")
    assert _walk(page, live_server, personas.expert, [(reverse("reforms:my_panels"), [])]) == {}
    page.set_viewport_size(DESKTOP)
    page.reload()
    menu = page.locator("header").inner_text()
    assert "专家评分" in menu and "人员" not in menu and "台账" not in menu
    assert page.goto(live_server.url + reverse("orgs:person_list")).status == 403


def test_a_resident_lands_on_their_reports_and_reports_from_a_phone(page, live_server, personas, day):
    assert _land(page, live_server, personas.resident) == reverse("portal:my_problems")
    form = reverse("portal:problem_new")
    pages = [(reverse("portal:my_problems"), ["我的报告"]), (form, ["反映问题"])]
    assert _walk(page, live_server, personas.resident, pages, phone={form}) == {}
    assert "非机动车乱停放" in page.goto(live_server.url + reverse("portal:my_problems")).text()


def test_a_visitor_is_led_to_reporting_the_map_and_their_reports(page, live_server, personas, day):
    assert _land(page, live_server, None) == "/"
    form = reverse("portal:problem_new")
    pages = [("/", ["反映问题", "问题地图", "我的报告"]), (reverse("portal:problems"), ["反映问题"]), (form, [])]
    assert _walk(page, live_server, None, pages, phone={form}) == {}
    assert (
        "13800138000"
        not in page.goto(live_server.url + reverse("portal:problem_detail", args=[day["report"].pk])).text()
    )
