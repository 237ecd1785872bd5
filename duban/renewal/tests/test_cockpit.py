"""Urban renewal's tiles on the cockpit: for each persona, every figure equals what the list it links
to shows them (the number of cases or releases, or the amount the releases list totals), and a
leader in charge never counts another street's cases or funds."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from duban.cockpit.access import scope_of
from duban.conftest import fresh
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole
from duban.renewal import services
from duban.renewal.choices import ProjectKind
from duban.renewal.cockpit import tiles, yuan
from duban.renewal.tests.conftest import applied, mediating, opened, pdf

pytestmark = pytest.mark.django_db


def _settled(bureau, project):
    case = mediating(bureau, project=project)
    services.agreement_draft(actor=bureau.officer, case=case, facts="对补偿标准有异议。", terms="按评估价补偿。")
    signed = {party.pk: timezone.localdate() for party in case.parties.all()}
    return services.case_step(actor=bureau.officer, case=case, code="settle", signed=signed)


def _releases(bureau, account, *, transferred=(), earlier=(), approved=(), applied_for=()):
    """Releases under the topped-out rule: transferred today or 400 days ago, approved, applied for."""
    rule = account.rules.get(milestone="topped_out")
    today = timezone.localdate()
    for amounts, last in ((transferred, "transfer"), (earlier, "transfer"), (approved, "approve"), (applied_for, "")):
        for amount in amounts:
            release = services.release_apply(actor=bureau.officer, account=account, rule=rule, amount=amount)
            if last:
                release = services.release_step(actor=bureau.head, release=release, code="approve")
            if last == "transfer":
                on = today if amounts is transferred else today - dt.timedelta(days=400)
                services.release_step(actor=bureau.officer, release=release, code="transfer", released_on=on,
                                      voucher=f"ZJ-{release.pk}")  # fmt: skip


@pytest.fixture
def renewal(personas, bureau):
    """Unit A's project: two cases in mediation (one past its period), one settled this year, one
    ended without agreement, one settled last year; 8 million (and a quarter yuan) released this year,
    3 million before, 2 million approved, 5 million awaiting the head. Unit B's project: one case past
    its period, two settled this year; 10 million and a half yuan released this year, 4 million
    awaiting the head."""
    b = services.project_register(actor=bureau.officer, name="桂园北片区更新单元", street=personas.unit_b,
                                  kind=ProjectKind.DEMOLITION, developer="深圳市桂园城市更新有限公司")  # fmt: skip
    services.households_add(actor=bureau.officer, project=b, rows=[
        {"label": f"{n}栋201", "name": f"桂园业主{n}", "phone": f"1370000000{n}"} for n in range(1, 4)])  # fmt: skip
    a = bureau.project
    with time_machine.travel(timezone.now() - dt.timedelta(days=45)):
        mediating(bureau, project=a)  # the period (20 working days) has run out
        mediating(bureau, project=b)
    with time_machine.travel(timezone.now() - dt.timedelta(days=400)):
        _settled(bureau, a)
    mediating(bureau, project=a)
    _settled(bureau, a)
    case = mediating(bureau, project=a)
    services.case_step(actor=bureau.officer, case=case, code="terminate", reason="未达成一致",
                       end_reason="no_agreement", referral="litigation")  # fmt: skip
    for _n in range(2):
        _settled(bureau, b)
    applied(bureau, project=b)  # awaiting acceptance: not in mediation yet
    for project, amounts in ((a, {"transferred": ["8000000.25"], "earlier": ["3000000"], "approved": ["2000000"],
                                  "applied_for": ["5000000"]}),
                             (b, {"transferred": ["10000000.50"], "applied_for": ["4000000"]})):  # fmt: skip
        bureau.project = project
        account = opened(bureau)
        services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                                 reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
        _releases(bureau, account, **amounts)


def _check(client, user, scope) -> list[object]:
    """Every figure against its list as `user` sees it; the figures' values."""
    client.force_login(user)
    values = []
    for tile in tiles(scope, timezone.localdate()):
        for figure in tile.figures:
            assert figure.url, figure.label
            response = client.get(figure.url)
            assert response.status_code == 200, figure.url
            page = response.context["page"]
            if isinstance(figure.value, str):  # an amount: the total of the releases listed
                assert figure.value == yuan(response.context["total"]), figure.label
                assert sum(r.amount for r in page.object_list) == response.context["total"]
                assert figure.value in response.content.decode()
            else:
                assert figure.value == page.paginator.count, figure.label
            values.append(figure.value)
    return values


def test_every_figure_equals_what_its_list_shows_each_persona(client, personas, bureau, renewal):
    everyone = _check(client, personas.office_admin, scope_of(personas.office_admin))
    assert everyone == [3, 2, 3, "18,000,000.75", "21,000,000.75", 2]
    assert _check(client, personas.supervisor, scope_of(personas.supervisor)) == everyone
    a_only = [2, 1, 1, "8,000,000.25", "11,000,000.25", 1]
    assert _check(client, personas.district_leader, scope_of(personas.district_leader)) == a_only
    assert _check(client, personas.unit_a_head, scope_of(personas.unit_a_head)) == a_only
    assert _check(client, personas.office_admin, scope_of(personas.office_admin, personas.unit_a)) == a_only
    assert _check(client, personas.district_leader, scope_of(personas.district_leader, personas.unit_a)) == a_only


def test_a_leader_in_charge_never_counts_another_streets_cases_or_funds(client, personas, bureau, renewal):
    client.force_login(personas.district_leader)
    for tile in tiles(scope_of(personas.district_leader), timezone.localdate()):
        for figure in tile.figures:
            text = client.get(figure.url).content.decode()
            assert "桂园" not in text and "另按以下条件筛选" in text, figure.label


def test_a_head_of_several_units_sees_the_figures_without_links(personas, bureau, renewal):
    """No one list shows both streets to such a head: the figures stand without links."""
    org_services.position_assign(actor=None, person=personas.unit_a_head.person, unit=personas.unit_b,
                                 role=PositionRole.HEAD, title="主任")  # fmt: skip
    found = [f for tile in tiles(scope_of(fresh(personas.unit_a_head)), timezone.localdate()) for f in tile.figures]
    assert [f.url for f in found] == [""] * 6
    assert [f.value for f in found] == [3, 2, 3, "18,000,000.75", "21,000,000.75", 2]
