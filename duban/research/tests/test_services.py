"""Commissioned research from topic call to shared results, and what must not happen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.core.errors import TransitionError
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Notification
from duban.research import access, services
from duban.research.models import Adoption, Bid, Project, Score, Topic
from duban.research.tests.conftest import (
    approved_project,
    awarded,
    call_with_topic,
    pdf,
    report_docx,
    reviewed,
    sign,
    signed,
    today,
)

pytestmark = pytest.mark.django_db


def test_a_call_is_closed_decided_and_its_guide_published_in_that_order(personas, world):
    call, topic = call_with_topic(personas, world)
    with pytest.raises(TransitionError):
        services.call_step(actor=world.staff, call=call, code="publish")
    with pytest.raises(PermissionDenied):
        services.call_step(actor=personas.unit_a_staff, call=call, code="close")
    services.call_step(actor=world.staff, call=call, code="close")
    with pytest.raises(ValidationError):
        services.call_step(actor=world.staff, call=call, code="publish")  # the topic is not decided
    with pytest.raises(ValidationError):  # a closed call takes no topic
        services.topic_propose(actor=personas.unit_a_staff, call=call, unit=personas.unit_a, title="又一个",
                               why="x", questions="x", expected_use="x", budget=Decimal(1))  # fmt: skip
    services.decision_record(actor=world.staff, call=call, held_on=today(), present=world.members[:2],
                             approved={topic: ("key", Decimal(200000))}, declined={})  # fmt: skip
    call = services.call_step(actor=world.staff, call=call, code="publish")
    assert call.state == "published" and [t.title for t in services.guide(call)] == [topic.title]
    assert Project.objects.get().number.startswith("罗研")


def test_the_leading_group_decides_with_more_than_half_present_and_a_cap_within_the_budget(personas, world):
    call, topic = call_with_topic(personas, world, budget="300000")
    services.call_step(actor=world.staff, call=call, code="close")
    with pytest.raises(ValidationError):
        services.decision_record(actor=world.staff, call=call, held_on=today(), present=world.members[:1],
                                 approved={topic: ("key", Decimal(200000))}, declined={})  # fmt: skip
    with pytest.raises(ValidationError):
        services.decision_record(actor=world.staff, call=call, held_on=today(), present=world.members,
                                 approved={topic: ("key", Decimal(300001))}, declined={})  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.decision_record(actor=personas.unit_a_staff, call=call, held_on=today(), present=world.members,
                                 approved={topic: ("key", Decimal(1000))}, declined={})  # fmt: skip
    topic.refresh_from_db()
    assert topic.state == "proposed" and not Project.objects.exists()


def test_only_the_bodies_allowed_bid_within_the_cap_with_a_real_document(personas, world):
    project = approved_project(personas, world, cap="250000")
    services.project_setup(actor=world.staff, project=project, selection="invitation", bids_until=today(),
                           invited=[world.body, personas.evaluator])  # fmt: skip
    bid = {"project": project, "price": Decimal(200000), "lead_researcher": "李", "summary": "方案", "upload": pdf()}
    with pytest.raises(PermissionDenied):  # not invited
        services.bid_submit(actor=world.other_applicant, applicant=world.other_body, **bid)
    with pytest.raises(PermissionDenied):  # not someone of the body
        services.bid_submit(actor=personas.unit_a_staff, applicant=world.body, **bid)
    with pytest.raises(ValidationError):
        services.bid_submit(actor=world.applicant, applicant=world.body, **{**bid, "price": Decimal(250001)})
    fake = SimpleUploadedFile("申报书.pdf", b"MZ an executable")
    with pytest.raises(ValidationError):
        services.bid_submit(actor=world.applicant, applicant=world.body, **{**bid, "upload": fake})
    assert not Bid.objects.exists()
    services.bid_submit(actor=world.applicant, applicant=world.body, **bid)
    with pytest.raises(ValidationError):  # once per body
        services.bid_submit(actor=world.applicant, applicant=world.body, **{**bid, "upload": pdf()})


def test_an_expert_from_an_applicant_cannot_score_its_bid(personas, world):
    project = approved_project(personas, world)
    services.project_setup(actor=world.staff, project=project, selection="open", bids_until=today())
    bid = services.bid_submit(actor=world.applicant, project=project, applicant=world.body, price=Decimal(1000),
                              lead_researcher="张", summary="方案", upload=pdf())  # fmt: skip
    Project.objects.filter(pk=project.pk).update(bids_until=today() - dt.timedelta(days=1))
    panel = services.panel_open(actor=world.staff, project=project, stage="selection", experts=world.experts)
    sheet = dict.fromkeys(("relevance", "method", "team", "budget"), 80)
    with pytest.raises(PermissionDenied):
        services.score_submit(actor=world.experts[0], panel=panel, entry=bid.pk, scores=sheet)
    with pytest.raises(PermissionDenied):  # not on the panel
        services.score_submit(actor=personas.unit_a_staff, panel=panel, entry=bid.pk, scores=sheet)
    with pytest.raises(ValidationError):  # a score above 100
        services.score_submit(actor=world.experts[1], panel=panel, entry=bid.pk, scores={**sheet, "team": 101})
    assert not Score.objects.exists()
    services.score_submit(actor=world.experts[1], panel=panel, entry=bid.pk, scores=sheet)
    assert Score.objects.count() == 4


def test_the_best_scored_bid_wins_and_the_contract_makes_three_milestone_items(personas, world):
    project = awarded(personas, world)
    assert project.contractor == world.body and project.state == "contracting"
    assert set(project.bids.values_list("state", flat=True)) == {"chosen", "not_chosen"}
    project = sign(world, project)
    items = [services.item_of(m) for m in project.contract.milestones.order_by("due_on")]
    assert [(i.ledger.kind, i.lead_unit, i.state) for i in items] == [(LedgerKind.RESEARCH, personas.unit_a,
                                                                       "assigned")] * 3  # fmt: skip
    assert [i.deadline for i in items] == [m.due_on for m in project.contract.milestones.order_by("due_on")]


def test_a_contract_over_the_cap_or_with_instalments_not_adding_up_is_refused(personas, world):
    project = awarded(personas, world)
    due = {"opening": today() + dt.timedelta(days=5), "midterm": today() + dt.timedelta(days=50),
           "final": today() + dt.timedelta(days=90)}  # fmt: skip
    values = {"project": project, "number": "罗研合1", "signed_on": today(), "deliverables": "报告", "due": due}
    with pytest.raises(ValidationError):
        services.contract_sign(actor=world.staff, amount=Decimal(250001), instalments={"opening": 250001}, **values)
    with pytest.raises(ValidationError):
        services.contract_sign(actor=world.staff, amount=Decimal(200000),
                               instalments={"opening": 100000, "midterm": 50000}, **values)  # fmt: skip
    with pytest.raises(ValidationError):
        services.contract_sign(actor=world.staff, amount=Decimal(200000), instalments={"opening": 200000},
                               **{**values, "due": {**due, "midterm": due["final"]}})  # fmt: skip
    project.refresh_from_db()
    assert project.state == "contracting" and not hasattr(project, "contract")


def test_an_instalment_is_paid_only_once_its_milestone_is_accepted(personas, world):
    project = signed(personas, world)
    first = project.contract.instalments.get(milestone__stage="opening")
    with pytest.raises(ValidationError):
        services.instalment_pay(actor=world.staff, instalment=first, paid_on=today(), voucher="YJ-1")
    first.refresh_from_db()
    assert first.paid_on is None
    panel = reviewed(world, project, "opening", 85)
    assert panel.grade == "good" and services.item_of(first.milestone).state == "closed"
    services.instalment_pay(actor=world.staff, instalment=first, paid_on=today(), voucher="YJ-1")
    with pytest.raises(ValidationError):
        services.instalment_pay(actor=world.staff, instalment=first, paid_on=today(), voucher="YJ-2")


def test_a_failed_review_sends_the_deliverable_back_and_a_final_failed_twice_ends_the_research(personas, world):
    project = signed(personas, world)
    reviewed(world, project, "opening", 50)
    milestone = project.contract.milestones.get(stage="opening")
    assert milestone.accepted_at is None and services.item_of(milestone).state == "returned"
    reviewed(world, project, "opening", 75)
    reviewed(world, project, "midterm", 80)
    reviewed(world, project, "final", 55)
    project.refresh_from_db()
    assert project.state == "revising"
    reviewed(world, project, "final", 40)
    project.refresh_from_db()
    assert project.state == "failed" and services.item_of(project.contract.milestones.get(stage="final")).state == (
        "cancelled"
    )


def test_an_accepted_report_goes_into_the_library_and_its_adoptions_are_counted(personas, world):
    project = signed(personas, world)
    for stage, mark in [("opening", 80), ("midterm", 85), ("final", 92)]:
        reviewed(world, project, stage, mark)
    project.refresh_from_db()
    assert (project.state, project.grade) == ("accepted", "excellent")
    result = services.result_share(actor=world.staff, project=project, title="老旧小区改造居民参与机制研究报告",
                                   abstract="建议建立议事协商机制", upload=report_docx("居民议事会三步工作法"),
                                   visibility="public")  # fmt: skip
    assert "居民议事会" in result.text
    with pytest.raises(ValidationError):
        services.adoption_add(actor=world.staff, result=result, kind="reform", adopted_on=today(), target=world.body)
    services.adoption_add(actor=world.staff, result=result, kind="decision", adopted_on=today(),
                          title="东门街道老旧小区改造居民议事规则", document_number="罗东办〔2026〕8号")  # fmt: skip
    services.instruction_add(actor=world.staff, result=result, leader=personas.district_leader.person,
                             text="请东门街道研究吸收。", given_on=today())  # fmt: skip
    assert Adoption.objects.filter(result=result).count() == 1


def test_who_sees_what(personas, world):
    project = signed(personas, world)
    topic = Topic.objects.get()
    assert list(access.topics_for(personas.unit_a_staff)) == [topic]
    assert not access.topics_for(personas.unit_b_staff).exists()
    assert list(access.projects_for(world.applicant)) == [project]
    assert list(access.bids_for(world.other_applicant, project).values_list("applicant", flat=True)) == [
        world.other_body.pk
    ]
    assert list(access.projects_for(personas.expert)) == [project]  # it scored the bids
    assert not access.projects_for(personas.resident).exists()
    assert not access.results_for(personas.resident).exists()


def test_an_adoption_shows_on_the_adopted_reforms_page_through_the_derived_links(personas, world, make_reform):
    from duban.core.derived import built_from, counts_built_from

    reform = make_reform()
    project = signed(personas, world)
    for stage, mark in [("opening", 80), ("midterm", 80), ("final", 80)]:
        reviewed(world, project, stage, mark)
    project.refresh_from_db()
    result = services.result_share(actor=world.staff, project=project, title="居民议事机制研究报告", abstract="摘要",
                                   upload=report_docx())  # fmt: skip
    assert built_from([reform]) == {}
    services.adoption_add(actor=world.staff, result=result, kind="reform", target=reform, adopted_on=today())
    [shown] = built_from([reform])[reform.pk]
    assert "居民议事机制研究报告" in shown.label and counts_built_from([reform]) == {reform.pk: 1}
    with pytest.raises(ValidationError):  # once
        services.adoption_add(actor=world.staff, result=result, kind="reform", target=reform, adopted_on=today())


def _inbox(user) -> list[tuple[str, str]]:
    """The user's research notices, oldest first: (kind, link)."""
    found = Notification.objects.filter(user=user, kind__startswith="research.").order_by("pk")
    return list(found.values_list("kind", "link"))


def test_whoever_acts_next_finds_a_notice_in_the_inbox(personas, world, django_capture_on_commit_callbacks):
    capture, staff = django_capture_on_commit_callbacks, world.staff
    call, topic = call_with_topic(personas, world)
    other = services.topic_propose(actor=personas.unit_a_head, call=call, unit=personas.unit_a, title="街道议事厅研究",
                                   why="x", questions="x", expected_use="x", budget=Decimal(100000))  # fmt: skip
    to_call = reverse("research:call_detail", args=[call.pk])
    with capture(execute=True), pytest.raises(PermissionDenied):  # refused: no notice
        services.call_step(actor=personas.unit_a_staff, call=call, code="close")
    assert not Notification.objects.exists()
    with capture(execute=True):
        services.call_step(actor=staff, call=call, code="close")
    group = [person.user for person in world.members]
    assert all(_inbox(user) == [("research.call.close", to_call)] for user in group) and _inbox(staff) == []
    with capture(execute=True):
        services.decision_record(actor=staff, call=call, held_on=today(), present=world.members[:2],
                                 approved={topic: ("key", Decimal(250000))},
                                 declined={other: "与已有课题重复"})  # fmt: skip
    assert _inbox(personas.unit_a_staff) == [("research.topic.approved", to_call)]
    assert _inbox(personas.unit_a_head) == [("research.topic.declined", to_call)]

    project = Project.objects.get(topic=topic)
    to_project = reverse("research:project_detail", args=[project.pk])
    with capture(execute=True):
        services.project_setup(actor=staff, project=project, selection="invitation", bids_until=today(),
                               invited=[world.body, world.other_body])  # fmt: skip
    assert _inbox(world.applicant) == _inbox(world.other_applicant) == [("research.project.invitation", to_project)]
    bids = [services.bid_submit(actor=user, project=project, applicant=body, price=Decimal(240000),
                                lead_researcher="张研究", summary="问卷与访谈", upload=pdf())
            for user, body in [(world.applicant, world.body), (world.other_applicant, world.other_body)]]  # fmt: skip
    Project.objects.filter(pk=project.pk).update(bids_until=today() - dt.timedelta(days=1))
    Notification.objects.all().delete()
    with capture(execute=True):
        panel = services.panel_open(actor=staff, project=project, stage="selection", experts=world.experts[1:])
    to_panel = reverse("research:panel_detail", args=[panel.pk])
    assert all(_inbox(expert) == [("research.panel.opened", to_panel)] for expert in world.experts[1:])
    assert _inbox(world.experts[0]) == _inbox(world.applicant) == []
    for expert in world.experts[1:]:
        for bid, mark in zip(bids, (90, 70), strict=True):
            services.score_submit(actor=expert, panel=panel, entry=bid.pk, scores=dict.fromkeys(
                ("relevance", "method", "team", "budget"), mark))  # fmt: skip
    with capture(execute=True):
        services.panel_publish(actor=staff, panel=panel)
        services.project_choose(actor=staff, project=project)
    assert _inbox(world.applicant) == [("research.bid.chosen", to_project)]
    assert _inbox(world.other_applicant) == [("research.bid.not_chosen", to_project)]

    project = sign(world, Project.objects.get(pk=project.pk))
    Notification.objects.all().delete()
    with capture(execute=True):
        reviewed(world, project, "opening", 50)  # 不合格: the deliverable goes back to the contractor
    assert _inbox(world.applicant) == [("research.review.returned", to_project)]
    assert _inbox(world.other_applicant) == _inbox(staff) == []
