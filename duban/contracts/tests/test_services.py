"""The template's versions, contracts on it and their key nodes, ratings and settlement through the
services: what each step does, and that a refused step changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from duban.contracts import services
from duban.contracts.models import Contract, ContractEvent, KeyNode, TemplateVersion
from duban.contracts.tests.conftest import clauses, signed
from duban.core.errors import TransitionError
from duban.ledger.models import Item, Notification

pytestmark = pytest.mark.django_db
D = Decimal


def test_an_issued_version_is_frozen_and_a_new_one_supersedes_it(works):
    with pytest.raises(ValidationError, match="1"):
        services.version_save(actor=works.staff, version=works.version, penalty_per_day=D("1"))
    assert TemplateVersion.objects.get(pk=works.version.pk).penalty_per_day == D("8000")
    second = services.version_draft(actor=works.staff, template=works.template, penalty_per_day=D("10000"))
    assert second.number == 2 and second.special_terms == works.version.special_terms
    services.version_step(actor=works.staff, version=second, code="submit")
    with pytest.raises(PermissionDenied):  # the agency does not issue its own draft
        services.version_step(actor=works.staff, version=second, code="issue")
    with pytest.raises(ValidationError):  # frozen while in review
        services.version_save(actor=works.staff, version=second, penalty_per_day=D("9000"))
    returned = services.version_step(actor=works.reviewer, version=second, code="return", reason="违约金上限表述不清")
    assert returned.review_opinion == "违约金上限表述不清"
    services.version_save(actor=works.staff, version=returned, special_terms="专用条款（修订）")
    services.version_step(actor=works.staff, version=returned, code="submit")
    services.version_step(actor=works.reviewer, version=returned, code="issue")
    assert TemplateVersion.objects.get(pk=works.version.pk).state == "superseded"
    assert TemplateVersion.objects.get(pk=second.pk).state == "issued"


def test_a_versions_clauses_are_checked(works):
    second = services.version_draft(actor=works.staff, template=works.template)
    for bad in ({"nodes": [["开工", 50], ["竣工验收", 40]]}, {"criteria": [["quality", "工程质量", 100]]},
                {"nodes": [["开工", 50], ["开工", 50]]},
                {"nodes": [["开工", "5.5"], ["竣工验收", "94.5"]]}):  # fmt: skip
        with pytest.raises(ValidationError):
            services.version_save(actor=works.staff, version=second, **bad)
    assert TemplateVersion.objects.get(pk=second.pk).nodes == clauses()["nodes"]


def test_a_contract_is_signed_on_the_issued_version_with_its_nodes_as_items(works, personas):
    start = timezone.localdate() - dt.timedelta(days=50)
    contract = signed(works, start=start)
    assert (contract.reward_cap, contract.penalty_cap) == (D("400000.00"), D("1000000.00"))
    nodes = list(contract.nodes.order_by("order"))
    assert [n.name for n in nodes] == ["开工", "基础完成", "主体封顶", "竣工验收", "结算"]
    items = [services.item_of(n) for n in nodes]
    assert [i.deadline for i in items] == [n.planned_on for n in nodes]
    assert {i.state for i in items} == {"in_progress"} and {i.lead_unit for i in items} == {works.agency}
    with pytest.raises(PermissionDenied):
        services.contract_sign(
            actor=personas.unit_b_staff, version=works.version, number="X", project="Y", owner=works.agency,
            contractor="Z", amount="1", starts_on=start, ends_on=start + dt.timedelta(days=9),
            planned=[start + dt.timedelta(days=n) for n in range(5)])  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": -1}, "ends_on"),  # completion before commencement
        ({"ends_early": True}, "ends_on"),  # completion before the acceptance node
        ({"swap": True}, "nodes"),  # nodes out of order
        ({"first": -1}, "nodes"),  # a node before commencement
        ({"amount": "12.345"}, "amount"),
    ],
)
def test_bad_dates_and_amounts_save_nothing(works, change, field):
    start = dt.date(2025, 3, 1)
    planned = [start + dt.timedelta(days=100 * n) for n in range(5)]
    if change.get("swap"):
        planned[1], planned[2] = planned[2], planned[1]
    if change.get("first"):
        planned[0] = start - dt.timedelta(days=1)
    ends = start - dt.timedelta(days=1) if change.get("ends_on") else planned[3]
    if change.get("ends_early"):
        ends = planned[3] - dt.timedelta(days=1)
    items = Item.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.contract_sign(actor=works.staff, version=works.version, number="罗工合〔2025〕9号", project="某工程",
                               owner=works.agency, contractor="某公司", amount=change.get("amount", "1000000"),
                               starts_on=start, ends_on=ends, planned=planned)  # fmt: skip
    assert field in caught.value.message_dict
    assert not Contract.objects.exists() and not KeyNode.objects.exists() and Item.objects.count() == items


def test_recording_nodes_computes_rewards_and_penalties_at_once(works):
    start = timezone.localdate() - dt.timedelta(days=420)
    contract = signed(works, start=start)
    first, second, third, *_rest = contract.nodes.order_by("order")
    with pytest.raises(ValidationError, match="开工"):  # out of order
        services.node_record(actor=works.staff, node=second, actual_on=second.planned_on)
    with pytest.raises(ValidationError):  # before commencement
        services.node_record(actor=works.staff, node=first, actual_on=start - dt.timedelta(days=1))
    with pytest.raises(ValidationError):  # in the future
        services.node_record(actor=works.staff, node=first, actual_on=timezone.localdate() + dt.timedelta(days=1))
    assert KeyNode.objects.filter(actual_on__isnull=False).count() == 0
    first = services.node_record(actor=works.staff, node=first, actual_on=first.planned_on)
    assert (first.days, first.outcome) == (0, D("0.00"))
    second = services.node_record(actor=works.staff, node=second, actual_on=second.planned_on - dt.timedelta(days=3))
    assert (second.days, second.outcome) == (3, D("15000.00"))  # 3 days early
    third = services.node_record(actor=works.staff, node=third, actual_on=third.planned_on + dt.timedelta(days=60))
    assert (third.days, third.outcome) == (-60, D("-350000.00"))  # 480,000 owed, capped at 35 % of 1,000,000
    assert services.item_of(third).state == "closed"
    with pytest.raises(ValidationError):
        services.node_record(actor=works.staff, node=third, actual_on=third.planned_on)


def test_the_quarterly_rating_and_the_settlement(works):
    start = timezone.localdate().replace(day=1) - dt.timedelta(days=560)
    contract = signed(works, start=start)
    nodes = list(contract.nodes.order_by("order"))
    for node, late in zip(nodes, (0, -5, 10, 0, 0), strict=True):
        if node.planned_on + dt.timedelta(days=late) <= timezone.localdate():
            services.node_record(actor=works.staff, node=node, actual_on=node.planned_on + dt.timedelta(days=late))
    year, quarter = start.year, (start.month - 1) // 3 + 1
    rating = services.rating_record(actor=works.staff, contract=contract, year=year, quarter=quarter,
                                    scores={"quality": 90, "safety": "85", "management": 80})  # fmt: skip
    assert rating.scores["schedule"] == "100.00" and rating.total == D("91.50")  # 40 + 22.5 + 17 + 12
    with pytest.raises(ValidationError, match="0"):
        services.rating_record(actor=works.staff, contract=contract, year=year, quarter=quarter,
                               scores={"quality": 101, "safety": 85, "management": 80})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.rating_approve(actor=works.staff2, rating=rating)
    rating = services.rating_approve(actor=works.head, rating=rating)
    with pytest.raises(ValidationError):
        services.rating_record(actor=works.staff, contract=contract, year=year, quarter=quarter,
                               scores={"quality": 60, "safety": 60, "management": 60})  # fmt: skip
    summary = services.settlement(contract)
    recorded = [n.outcome for n in contract.nodes.exclude(outcome=None)]
    assert summary.rewards == sum((o for o in recorded if o > 0), D(0))
    assert summary.factor == 1 and summary.net == summary.payable_reward - summary.payable_penalty


def test_a_refused_step_changes_nothing(works):
    events = ContractEvent.objects.count()
    with pytest.raises(TransitionError):
        services.version_step(actor=works.reviewer, version=works.version, code="return", reason="x")
    assert TemplateVersion.objects.get(pk=works.version.pk).state == "issued"
    assert ContractEvent.objects.count() == events


def test_settlement_waits_for_every_quarters_approved_rating(works):
    start = timezone.localdate() - dt.timedelta(days=420)
    contract = signed(works, start=start)
    for node in contract.nodes.order_by("order"):
        services.node_record(actor=works.staff, node=node, actual_on=min(node.planned_on, timezone.localdate()))
    scores = dict.fromkeys(("quality", "safety", "management"), 90)
    rating = services.rating_record(actor=works.staff, contract=contract, year=start.year,
                                    quarter=(start.month - 1) // 3 + 1, scores=scores)  # fmt: skip
    services.rating_approve(actor=works.head, rating=rating)
    with pytest.raises(ValidationError, match="季度"):
        services.contract_settle(actor=works.staff, contract=contract)
    assert Contract.objects.get(pk=contract.pk).state == "performing"
    for year, quarter in services.quarters_of(contract)[1:]:
        found = services.rating_record(actor=works.staff, contract=contract, year=year, quarter=quarter,
                                       scores=dict.fromkeys(("quality", "safety", "management"), 85))  # fmt: skip
        services.rating_approve(actor=works.head, rating=found)
    assert services.contract_settle(actor=works.staff, contract=contract).state == "settled"


def test_whoever_acts_next_finds_a_notice_in_the_inbox(works, django_capture_on_commit_callbacks):
    def texts(user):
        return [n.text for n in Notification.objects.filter(user=user)]

    with django_capture_on_commit_callbacks(execute=True):
        draft = services.version_draft(actor=works.staff, template=works.template, penalty_per_day=D("9000"))
        services.version_step(actor=works.staff, version=draft, code="submit")
    assert texts(works.reviewer) == [f"范本“{works.template.name}”第2版待您进行合法性审查。"]
    assert texts(works.staff) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.version_step(actor=works.reviewer, version=draft, code="return", reason="第十二条表述不清")
    assert len(texts(works.staff)) == len(texts(works.staff2)) == 1 and "退回" in texts(works.staff)[0]
    start = timezone.localdate().replace(day=1) - dt.timedelta(days=200)
    contract = signed(works, start=start)
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_record(actor=works.staff, contract=contract, year=start.year,
                               quarter=(start.month - 1) // 3 + 1,
                               scores={"quality": 90, "safety": 85, "management": 80})  # fmt: skip
    assert [t for t in texts(works.head) if "待您审定" in t] and not [t for t in texts(works.staff2) if "审定" in t]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.version_step(actor=works.staff, version=works.version, code="submit")  # refused: no notice
    assert len(texts(works.reviewer)) == 1
