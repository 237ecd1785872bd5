import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from duban.core.workdays import on_day
from duban.ledger.choices import ItemState
from duban.ledger.models import Item, ItemEvent
from duban.ledger.services import item_transition
from duban.reforms.models import Case, LookBack
from duban.reforms.services import case_save, lookback_record, reform_decompose
from duban.reforms.tests.conftest import MARCH
from duban.rules.tests.conftest import rule_built_from

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def finished_reform(personas, make_reform):
    reform = make_reform()
    milestone = reform_decompose(
        actor=personas.office_admin, reform=reform, milestones=[{"title": "上线", "deadline": D(2024, 6, 30)}], at=MARCH
    )[0]
    december = on_day(D(2024, 12, 2), hour=10)
    for item in (milestone, Item.objects.get(pk=milestone.parent_id)):
        item = item_transition(
            actor=personas.unit_a_staff, item=Item.objects.get(pk=item.pk), action="acknowledge", at=december
        )
        item = item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已完成", at=december)
        item = item_transition(actor=personas.supervisor, item=item, action="accept", at=december)
        item_transition(actor=personas.supervisor, item=item, action="close", at=december)
    reform.refresh_from_db()
    return reform


def test_a_relapse_found_by_a_look_back_reopens_the_reforms_items(personas, finished_reform):
    lookback = lookback_record(
        actor=personas.office_admin,
        reform=finished_reform,
        year=2025,
        outcome="relapsed",
        findings="企业开办时限反弹至3天",
    )
    assert lookback.reopened == 2
    assert set(Item.objects.values_list("state", flat=True)) == {ItemState.IN_PROGRESS}
    assert (
        ItemEvent.objects.filter(code="ledger.item.reopened", data__reason="回头看：企业开办时限反弹至3天").count() == 2
    )


@pytest.mark.parametrize(
    ("year", "outcome", "extra", "field"),
    [
        (2024, "sustained", {}, "year"),
        (2025, "institutionalised", {}, "rules"),
        (2025, "replicated", {}, "replicated_by"),
    ],
)
def test_a_look_back_needs_an_earlier_reform_and_its_evidence(personas, finished_reform, year, outcome, extra, field):
    with pytest.raises(ValidationError) as refused:
        lookback_record(
            actor=personas.office_admin,
            reform=finished_reform,
            year=year,
            outcome=outcome,
            findings="持续有效",
            **extra,
        )
    assert field in refused.value.message_dict
    assert not LookBack.objects.exists()
    assert set(Item.objects.values_list("state", flat=True)) == {ItemState.CLOSED}


def test_an_institutionalised_look_back_links_the_registrys_rules_built_from_the_reform(
    client, personas, finished_reform
):
    rule = rule_built_from(personas, finished_reform, title="商事登记“秒批”工作规则")
    lookback = lookback_record(
        actor=personas.office_admin, reform=finished_reform, year=2025, outcome="institutionalised", findings="已固化"
    )
    assert lookback.rules == ""

    client.force_login(personas.office_admin)
    page = client.get(reverse("reforms:reform_detail", args=[finished_reform.pk])).content.decode()
    lookbacks = page[page.index('id="lookbacks"') :]
    produced = lookbacks[lookbacks.index("形成的制度") : lookbacks.index("</p>")]
    assert "商事登记“秒批”工作规则" in produced
    assert f'href="/rules/actions/{rule.actions.get().pk}/"' in produced


def test_only_published_cases_reach_the_portal(client, personas, finished_reform):
    draft = case_save(
        actor=personas.office_admin,
        reform=finished_reform,
        title="“秒批”改革经验",
        highlights="亮点",
        experience="经验",
    )
    assert client.get(reverse("portal:case_detail", args=[draft.pk])).status_code == 404
    case_save(
        actor=personas.office_admin, case=draft, publish=True, title=draft.title, highlights="亮点", experience="经验"
    )
    html = client.get(reverse("portal:cases")).content.decode()
    assert "“秒批”改革经验" in html
    with pytest.raises(PermissionDenied):
        case_save(actor=personas.unit_a_staff, title="x", highlights="x", experience="x")
    assert Case.objects.count() == 1
