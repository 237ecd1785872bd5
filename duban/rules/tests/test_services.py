"""A rule's life through the services: registered as it stands, made, amended and repealed by a
plan's actions whose ledger items the office supervises; refused steps change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from duban.ledger.choices import ItemState
from duban.ledger.models import Notification
from duban.ledger.owners import OwnedItemRefused
from duban.ledger.services import item_transition
from duban.rules import reviews, services
from duban.rules.choices import ActionKind, ActionStage, RuleKind, RuleScope, RuleStatus
from duban.rules.models import Rule, RuleAction, RuleReview
from duban.rules.subjects import RuleActionOwner
from duban.rules.tests.conftest import assigned_and_signed, due, word_file

pytestmark = pytest.mark.django_db
TODAY = dt.date.today


def _issue(personas, action, **fields):
    values = {"reason": "东门街道党工委2026年第12次会议", "document_number": "罗东党〔2026〕9号",
              "adopted_on": TODAY(), "effective_on": TODAY(), "text": "第一条 为加强公务接待管理……"}  # fmt: skip
    values.update(fields)
    return services.action_step(actor=personas.unit_a_staff, action=action, code="issue", **values)


def _published(personas, action):
    assigned_and_signed(personas, action)
    action = services.action_step(actor=personas.unit_a_staff, action=action, code="to_deliberation")
    action = _issue(personas, action)
    return services.action_step(actor=personas.unit_a_staff, action=action, code="publish")


def test_a_registered_rule_is_in_force_and_a_normative_document_lapses_after_five_years(personas, category):
    rule = services.rule_register(
        actor=personas.unit_a_staff, issuing_unit=personas.unit_a, title="东门街道出租屋管理办法",
        kind=RuleKind.NORMATIVE, scope=RuleScope.PUBLIC, category=category, document_number="罗东规〔2022〕1号",
        adopted_on=dt.date(2022, 5, 10), effective_on=dt.date(2022, 6, 1), upload=word_file("第一条 出租屋……"),
    )  # fmt: skip
    assert (rule.status, rule.version, rule.expires_on) == (RuleStatus.IN_FORCE, 1, dt.date(2027, 5, 31))
    version = rule.versions.get()
    assert version.text == "第一条 出租屋……" and version.file_name == "制度.docx"
    assert list(Rule.objects.search("出租屋")) == [rule]


def test_a_new_rule_is_drafted_deliberated_issued_published_and_verified_into_force(personas, plan, category):
    action = services.action_add(
        actor=personas.unit_a_staff, plan=plan, kind=ActionKind.MAKE, title="东门街道公务接待管理制度",
        rule_kind=RuleKind.SYSTEM, category=category, deadline=due(), summary="审计发现接待无审批，建立制度",
    )  # fmt: skip
    rule = action.rule
    assert rule.status == RuleStatus.DRAFTING and action.item.state == ItemState.DRAFT
    assert action.item.title == "立：东门街道公务接待管理制度"

    action = _published(personas, action)
    assert (action.stage, action.item.state) == (ActionStage.PUBLISHED, ItemState.SUBMITTED)
    rule.refresh_from_db()
    assert rule.status == RuleStatus.DRAFTING  # not in force until verified

    item_transition(actor=personas.supervisor, item=action.item, action="accept", reason="已印发，核验通过")
    rule.refresh_from_db()
    action.refresh_from_db()
    assert (rule.status, rule.version, rule.document_number) == (RuleStatus.IN_FORCE, 1, "罗东党〔2026〕9号")
    assert action.stage == ActionStage.APPLIED and rule.versions.get().action == action
    assert RuleActionOwner().disagreements(action) == []
    item_transition(actor=personas.supervisor, item=action.item, action="close", reason="销号")
    assert RuleActionOwner().disagreements(action) == []


def test_an_amendment_is_a_new_version_and_a_repeal_keeps_the_rule_readable(personas, plan, meeting_rule):
    amend = services.action_add(
        actor=personas.unit_a_staff, plan=plan, kind=ActionKind.AMEND, rule=meeting_rule, deadline=due(),
        summary="增加“三重一大”事项集体决策条款",
    )  # fmt: skip
    meeting_rule.refresh_from_db()
    assert meeting_rule.status == RuleStatus.REVISING
    amend = _published(personas, amend)
    item_transition(actor=personas.supervisor, item=amend.item, action="accept", reason="核验通过")
    meeting_rule.refresh_from_db()
    assert (meeting_rule.status, meeting_rule.version) == (RuleStatus.IN_FORCE, 2)
    assert [v.document_number for v in meeting_rule.versions.all()] == ["罗东党〔2021〕5号", "罗东党〔2026〕9号"]
    assert meeting_rule.versions.last().changes == "增加“三重一大”事项集体决策条款"

    successor = services.rule_register(
        actor=personas.unit_a_staff, issuing_unit=personas.unit_a, title="东门街道党工委工作规则",
        kind=RuleKind.SYSTEM, scope=RuleScope.INTERNAL, category=None, document_number="罗东党〔2026〕10号",
        adopted_on=TODAY(), effective_on=TODAY(),
    )  # fmt: skip
    repeal = services.action_add(
        actor=personas.unit_a_staff, plan=plan, kind=ActionKind.REPEAL, rule=meeting_rule, deadline=due(),
        summary="并入党工委工作规则",
    )  # fmt: skip
    assigned_and_signed(personas, repeal)
    repeal = services.action_step(actor=personas.unit_a_staff, action=repeal, code="to_deliberation")
    repeal = _issue(personas, repeal, document_number="罗东党〔2026〕11号", text="", replaced_by=successor)
    repeal = services.action_step(actor=personas.unit_a_staff, action=repeal, code="publish")
    item_transition(actor=personas.supervisor, item=repeal.item, action="accept", reason="核验通过")
    meeting_rule.refresh_from_db()
    assert (meeting_rule.status, meeting_rule.repealed_by, meeting_rule.replaced_by) == (
        RuleStatus.REPEALED, personas.unit_a, successor
    )  # fmt: skip
    assert meeting_rule.text and meeting_rule.versions.count() == 2  # still readable

    actions = RuleAction.objects.count()
    with pytest.raises(ValidationError, match="已废止"):
        services.action_add(
            actor=personas.unit_a_staff, plan=plan, kind=ActionKind.AMEND, rule=meeting_rule, deadline=due(),
            summary="再修订",
        )  # fmt: skip
    assert RuleAction.objects.count() == actions


def test_a_normative_document_passes_legality_review_before_deliberation(personas, plan):
    action = services.action_add(
        actor=personas.unit_a_staff, plan=plan, kind=ActionKind.MAKE, title="东门街道违法建设查处办法",
        rule_kind=RuleKind.NORMATIVE, deadline=due(), summary="规范查处程序",
    )  # fmt: skip
    assigned_and_signed(personas, action)
    with pytest.raises(ValidationError):
        services.action_step(actor=personas.unit_a_staff, action=action, code="to_deliberation")
    action.refresh_from_db()
    assert action.stage == ActionStage.DRAFTING and action.item.state == ItemState.ACKNOWLEDGED
    action = services.action_step(actor=personas.unit_a_staff, action=action, code="to_legal_review")
    with pytest.raises(ValidationError):  # the review's opinion is recorded
        services.action_step(actor=personas.unit_a_staff, action=action, code="to_deliberation", reason=" ")
    action = services.action_step(
        actor=personas.unit_a_staff, action=action, code="to_deliberation", reason="经区司法局审查，合法"
    )
    assert action.review_opinion == "经区司法局审查，合法" and action.stage == ActionStage.DELIBERATION


def test_returned_actions_are_redrafted_and_a_cancelled_new_rule_leaves_no_trace(personas, plan):
    action = services.action_add(
        actor=personas.unit_a_staff, plan=plan, kind=ActionKind.MAKE, title="东门街道值班制度",
        rule_kind=RuleKind.SYSTEM, deadline=due(), summary="明确节假日值班",
    )  # fmt: skip
    action = _published(personas, action)
    item_transition(actor=personas.supervisor, item=action.item, action="return", reason="未附审议纪要")
    action.refresh_from_db()
    assert (action.stage, action.item.state) == (ActionStage.DRAFTING, ItemState.RETURNED)
    rule_pk = action.rule_id
    item_transition(actor=personas.office_admin, item=action.item, action="cancel", reason="并入其他制度")
    action.refresh_from_db()
    assert action.stage == ActionStage.CANCELLED and action.rule is None
    assert not Rule.objects.filter(pk=rule_pk).exists()
    assert RuleActionOwner().disagreements(action) == []


def test_a_unit_keeps_only_its_own_rules_and_never_verifies_its_own_action(personas, plan, meeting_rule):
    with pytest.raises(PermissionDenied):
        services.action_add(
            actor=personas.unit_b_staff, plan=plan, kind=ActionKind.AMEND, rule=meeting_rule, deadline=due(),
            summary="越权",
        )  # fmt: skip
    amend = services.action_add(
        actor=personas.unit_a_staff, plan=plan, kind=ActionKind.AMEND, rule=meeting_rule, deadline=due(),
        summary="修订",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.action_step(actor=personas.unit_b_staff, action=amend, code="to_deliberation")
    amend = _published(personas, amend)
    with pytest.raises(PermissionDenied):
        item_transition(actor=personas.unit_a_staff, item=amend.item, action="accept", reason="自己核验")
    amend.refresh_from_db()
    meeting_rule.refresh_from_db()
    assert (amend.stage, amend.item.state, meeting_rule.status) == (
        ActionStage.PUBLISHED, ItemState.SUBMITTED, RuleStatus.REVISING
    )  # fmt: skip


def test_the_item_is_submitted_only_by_publishing_the_action(personas, plan, meeting_rule):
    amend = services.action_add(
        actor=personas.unit_a_staff, plan=plan, kind=ActionKind.AMEND, rule=meeting_rule, deadline=due(),
        summary="修订",
    )  # fmt: skip
    item = assigned_and_signed(personas, amend)
    with pytest.raises(OwnedItemRefused) as refused:
        item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已完成")
    assert refused.value.link.endswith(f"/rules/actions/{amend.pk}/")
    item.refresh_from_db()
    assert item.state == ItemState.ACKNOWLEDGED


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("制度.txt", b"plain text", "不是 Word"),
        ("制度.docx", b"not a zip at all", "已损坏"),
        ("制度.pdf", b"<html>", "PDF"),
    ],
)
def test_a_document_that_is_not_a_word_file_or_pdf_is_refused_and_nothing_is_saved(
    personas, category, name, content, message
):
    with pytest.raises(ValidationError) as refused:
        services.rule_register(
            actor=personas.unit_a_staff, issuing_unit=personas.unit_a, title="某制度", kind=RuleKind.SYSTEM,
            scope=RuleScope.INTERNAL, category=category, document_number="x", adopted_on=TODAY(),
            effective_on=TODAY(), upload=SimpleUploadedFile(name, content),
        )  # fmt: skip
    assert message in " ".join(refused.value.messages)
    assert not Rule.objects.exists()


def test_a_document_over_the_limit_is_refused_whatever_size_it_declares(personas, category, monkeypatch):
    monkeypatch.setattr("duban.core.documents.MAX_BYTES", 1000)
    upload = word_file("第一条" * 400)
    upload.size = 10  # a declared size is not believed
    with pytest.raises(ValidationError, match="超过20MB"):
        services.rule_register(
            actor=personas.unit_a_staff, issuing_unit=personas.unit_a, title="某制度", kind=RuleKind.SYSTEM,
            scope=RuleScope.INTERNAL, category=category, document_number="x", adopted_on=TODAY(),
            effective_on=TODAY(), upload=upload,
        )  # fmt: skip
    assert not Rule.objects.exists()


def _inbox(user) -> list[tuple[str, str, int]]:
    """The user's rules notices, oldest first: (kind, link, item)."""
    found = Notification.objects.filter(user=user, kind__startswith="rules.").order_by("pk")
    return list(found.values_list("kind", "link", "item_id"))


def test_the_office_finds_a_published_action_or_a_decided_review_in_the_inbox(
    personas, plan, category, django_capture_on_commit_callbacks
):
    capture, staff, office = django_capture_on_commit_callbacks, personas.unit_a_staff, personas.office_admin
    action = services.action_add(
        actor=staff, plan=plan, kind=ActionKind.MAKE, title="东门街道公务接待管理制度", rule_kind=RuleKind.SYSTEM,
        category=category, deadline=due(), summary="审计发现接待无审批，建立制度",
    )  # fmt: skip
    assigned_and_signed(personas, action)
    with capture(execute=True):  # the unit's own steps before publishing tell nobody
        action = services.action_step(actor=staff, action=action, code="to_deliberation")
        action = _issue(personas, action)
    with capture(execute=True), pytest.raises(PermissionDenied):  # refused: no notice
        services.action_step(actor=personas.unit_b_staff, action=action, code="publish")
    assert not Notification.objects.filter(kind__startswith="rules.").exists()
    with capture(execute=True):
        action = services.action_step(actor=staff, action=action, code="publish")
    item = action.item
    assert _inbox(office) == [("rules.action.publish", reverse("ledger:item_detail", args=[item.pk]), item.pk)]
    assert _inbox(staff) == _inbox(personas.unit_a_head) == []

    # a normative document that lapses in a month: its review opens now
    effective = reviews._years_after(timezone.localdate(), -5) + dt.timedelta(days=31)
    services.rule_register(
        actor=staff, issuing_unit=personas.unit_a, title="东门街道临时占道管理办法", kind=RuleKind.NORMATIVE,
        scope=RuleScope.PUBLIC, category=category, document_number="罗东规〔2021〕2号", adopted_on=effective,
        effective_on=effective, text="第一条 ……",
    )  # fmt: skip
    reviews.reviews_open()
    review = RuleReview.objects.get()
    item_transition(actor=staff, item=review.item, action="acknowledge")
    with capture(execute=True):
        reviews.review_decide(actor=staff, review=review, decision="keep", opinion="仍适用")
    item = review.item
    assert _inbox(office)[1:] == [("rules.review.decide", reverse("ledger:item_detail", args=[item.pk]), item.pk)]
    assert _inbox(staff) == []
