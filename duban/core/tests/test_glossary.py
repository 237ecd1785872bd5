"""The key pages, rendered in Chinese, use the glossary's words where they belong and never the wrong ones."""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.tests.conftest import submit_report
from duban.campaigns.tests.conftest import world as world  # noqa: F401 - a fixture
from duban.core import glossary
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services import item_create, item_transition


def page_text(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, url
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def items(personas):
    ledger = Ledger.objects.create(
        name="2026年督办事项台账", year=2026, kind=LedgerKind.GENERAL, owner_unit=personas.reform_office
    )

    def item(title):
        return item_create(
            actor=personas.office_admin,
            ledger=ledger,
            title=title,
            lead_unit=personas.unit_a,
            deadline=timezone.localdate() + dt.timedelta(days=30),
        )

    draft = item("推进东门步行街综合整治")
    assigned = item_transition(actor=personas.office_admin, item=item("整治晒布路占道经营"), action="assign")
    return draft, assigned


def test_the_glossary_reads_as_a_table_of_terms():
    assign = glossary.term("交办")
    assert assign.english == "assign" and "任职" in assign.never
    assert glossary.term("整改后").chinese == ("整改前", "整改后")
    with pytest.raises(KeyError):
        glossary.term("不在词表里")


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("交办 签收", []),
        ("任职 签收", ["missing 交办", "任职 instead of 交办"]),
    ],
)
def test_violations_name_the_missing_and_the_wrong_word(text, problems):
    assert glossary.violations(text, ["交办", "签收"]) == problems


def test_ledger_pages_speak_the_loops_words(client, personas, items):
    draft, assigned = items
    on_draft = page_text(client, personas.office_admin, reverse("ledger:item_detail", args=[draft.pk]))
    assert glossary.violations(on_draft, ["交办", "牵头单位", "办理期限"]) == []
    on_list = page_text(client, personas.office_admin, reverse("ledger:item_list") + f"?ledger={draft.ledger_id}")
    assert glossary.violations(on_list, ["事项名称", "牵头单位"]) == []
    inbox = page_text(client, personas.unit_a_staff, reverse("ledger:inbox"))
    assert glossary.violations(inbox, ["签收", "交办"]) == []
    on_assigned = page_text(client, personas.unit_a_staff, reverse("ledger:item_detail", args=[assigned.pk]))
    assert glossary.violations(on_assigned, ["签收", "已交办", "进展报告"]) == []


def test_problem_report_pages_say_problem_report_and_before_rectification(client, personas, world):  # noqa: F811
    report = submit_report(world, personas)
    detail = page_text(client, personas.office_admin, reverse("campaigns:report_detail", args=[report.pk]))
    assert glossary.violations(detail, ["问题报告", "整改前"]) == []
    queue = page_text(client, personas.office_admin, reverse("campaigns:report_queue", args=[world.campaign.pk]))
    assert glossary.violations(queue, ["问题报告"]) == []


def test_the_appraisal_ranks_units_and_the_people_directory_keeps_positions(client, personas):
    appraisal = page_text(client, personas.office_admin, reverse("reforms:appraisal_detail", args=[2026]))
    assert glossary.violations(appraisal, ["名次"]) == []
    unit = page_text(client, personas.office_admin, reverse("orgs:unit_detail", args=[personas.unit_a.pk]))
    assert glossary.violations(unit, ["职务", "一把手"]) == []
    portfolios = page_text(client, personas.office_admin, reverse("orgs:portfolio_list"))
    assert "级别" in portfolios and "名次" not in portfolios
