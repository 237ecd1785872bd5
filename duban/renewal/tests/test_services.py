"""Mediation and supervised funds through their services: what each step does, and that a refused
step changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from duban.core.errors import TransitionError
from duban.core.workdays import add_working_days
from duban.ledger.models import Item, Notification
from duban.renewal import services
from duban.renewal.choices import CaseState, PartySide, ProjectKind, ReleaseState
from duban.renewal.documents import agreement_docx, notice_docx
from duban.renewal.models import Account, BureauPost, MediationCase, Reach, Release, RenewalEvent, RenewalSettings
from duban.renewal.tests.conftest import applied, mediating, opened, pdf

pytestmark = pytest.mark.django_db


def _snapshot(case: MediationCase) -> tuple:
    case = MediationCase.objects.get(pk=case.pk)
    return case.state, case.ends_on, case.extensions, RenewalEvent.objects.count(), Item.objects.count()


def test_a_mediation_needs_both_sides_named(bureau):
    with pytest.raises(ValidationError, match="双方当事人"):
        services.case_apply(actor=bureau.officer, project=bureau.project, origin="application",
                            claim_type="area", claim="面积认定有误",
                            parties=[{"side": PartySide.RELOCATED, "name": "业主1"}])  # fmt: skip
    assert not MediationCase.objects.exists()


def test_a_case_without_both_parties_consent_cannot_start(bureau):
    case = applied(bureau, consented=False)
    before = _snapshot(case)
    with pytest.raises(ValidationError, match="尚未同意调解"):
        services.case_step(actor=bureau.officer, case=case, code="accept", mediators=bureau.mediators)
    assert _snapshot(case) == before
    developer = case.parties.get(side=PartySide.DEVELOPER)
    services.party_consent(actor=bureau.officer, party=developer, consented_on=timezone.localdate())
    with pytest.raises(ValidationError):  # the owner still has not agreed
        services.case_step(actor=bureau.officer, case=case, code="accept", mediators=bureau.mediators)
    services.party_consent(actor=bureau.officer, party=case.parties.exclude(pk=developer.pk).get(),
                           consented_on=timezone.localdate())  # fmt: skip
    case = services.case_step(actor=bureau.officer, case=case, code="accept", mediators=bureau.mediators)
    assert case.state == CaseState.MEDIATING


def test_acceptance_fixes_the_period_and_makes_it_a_ledger_item(bureau):
    case = mediating(bureau)
    today = timezone.localdate()
    assert case.accepted_on == today
    assert case.ends_on == add_working_days(today, 20)
    item = services.item_of(case)
    assert item.state == "acknowledged" and item.deadline == case.ends_on and item.lead_unit == bureau.unit
    assert item.ledger.kind == "renewal"
    notice = Document(io.BytesIO(notice_docx(case)))
    text = "\n".join(p.text for p in notice.paragraphs)
    assert "行政调解受理通知书" in text and "20个工作日" in text and case.number in text


def test_at_least_two_mediators_and_only_from_the_bureau(bureau, personas):
    case = applied(bureau)
    before = _snapshot(case)
    for chosen in ([bureau.officer.person], [bureau.officer.person, personas.unit_a_staff.person]):
        with pytest.raises(ValidationError):
            services.case_step(actor=bureau.officer, case=case, code="accept", mediators=chosen)
    assert _snapshot(case) == before


def test_the_head_extends_once_and_the_item_follows(bureau):
    case = mediating(bureau)
    with pytest.raises(PermissionDenied):
        services.case_step(actor=bureau.officer, case=case, code="extend", reason="案情复杂")
    first_end = case.ends_on
    case = services.case_step(actor=bureau.head, case=case, code="extend", reason="案情复杂，需补充评估")
    assert case.ends_on == add_working_days(first_end, 10) and case.extensions == 1
    assert services.item_of(case).effective_deadline == case.ends_on
    before = _snapshot(case)
    with pytest.raises(ValidationError, match="最多可延长1次"):
        services.case_step(actor=bureau.head, case=case, code="extend", reason="再次延期")
    assert _snapshot(case) == before


def test_the_extensions_allowed_are_a_setting(bureau):
    RenewalSettings.objects.update(extensions_allowed=2, extension_working_days=5)
    case = mediating(bureau)
    for _n in range(2):
        case = services.case_step(actor=bureau.head, case=case, code="extend", reason="延期")
    assert case.extensions == 2
    with pytest.raises(ValidationError):
        services.case_step(actor=bureau.head, case=case, code="extend", reason="延期")


def test_a_signed_agreement_settles_the_case_and_closes_its_item(bureau):
    case = mediating(bureau)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="请先起草"):
        services.case_step(actor=bureau.officer, case=case, code="settle", signed={})
    services.session_record(actor=bureau.officer, case=case, held_on=today, place="东门街道会议室",
                            mediators=bureau.mediators, attendees="双方当事人", minutes="双方就补偿标准达成一致。",
                            uploads=[pdf("签到表.pdf")])  # fmt: skip
    assert services.item_of(case).state == "in_progress"
    services.agreement_draft(actor=bureau.officer, case=case, facts="被搬迁人对补偿标准有异议。",
                             terms="搬迁人按每平方米62000元给予货币补偿，于签约后30日内支付。")  # fmt: skip
    parties = list(case.parties.all())
    with pytest.raises(ValidationError, match="各方当事人签署"):
        services.case_step(actor=bureau.officer, case=case, code="settle", signed={parties[0].pk: today})
    case = services.case_step(actor=bureau.officer, case=case, code="settle",
                              signed={p.pk: today for p in parties})  # fmt: skip
    assert case.state == CaseState.SETTLED and case.agreement_number.startswith("罗更调协")
    assert services.item_of(case).state == "closed"
    text = "\n".join(p.text for p in Document(io.BytesIO(agreement_docx(case))).paragraphs)
    assert "每平方米62000元" in text and "行政调解协议书" in text and case.agreement_number in text
    with pytest.raises(ValidationError, match="回访"):
        services.case_step(actor=bureau.officer, case=case, code="archive")
    with pytest.raises(ValidationError):
        services.followup_record(actor=bureau.officer, case=case, visited_on=today - dt.timedelta(days=3),
                                 performance="full")  # fmt: skip
    services.followup_record(actor=bureau.officer, case=case, visited_on=today, performance="full", notes="已支付")
    assert services.case_step(actor=bureau.officer, case=case, code="archive").state == CaseState.ARCHIVED


def test_termination_offers_expropriation_only_for_an_old_estate_past_the_threshold(bureau):
    case = mediating(bureau)
    assert "expropriation" not in services.referrals_open(case)
    with pytest.raises(ValidationError):
        services.case_step(actor=bureau.officer, case=case, code="terminate", reason="未达成一致",
                           end_reason="no_agreement", referral="expropriation")  # fmt: skip
    with pytest.raises(ValidationError, match="届满"):
        services.case_step(actor=bureau.officer, case=case, code="terminate", reason="期满",
                           end_reason="time_out", referral="litigation")  # fmt: skip
    bureau.project.kind = ProjectKind.OLD_ESTATE
    bureau.project.save()
    RenewalSettings.objects.update(consent_threshold=Decimal(75))  # 3 of 4 owners signed
    case.refresh_from_db()
    assert "expropriation" in services.referrals_open(case)
    case = services.case_step(actor=bureau.officer, case=case, code="terminate", reason="未达成一致",
                              end_reason="no_agreement", referral="expropriation")  # fmt: skip
    assert case.state == CaseState.TERMINATED and services.item_of(case).state == "closed"
    assert services.case_step(actor=bureau.officer, case=case, code="archive").state == CaseState.ARCHIVED


def test_only_case_officers_move_cases(bureau, personas):
    case = applied(bureau)
    before = _snapshot(case)
    for user in (personas.unit_a_staff, personas.office_admin, bureau.mediator):
        with pytest.raises(PermissionDenied):
            services.case_step(actor=user, case=case, code="accept", mediators=bureau.mediators)
    with pytest.raises(TransitionError):
        services.case_step(actor=bureau.officer, case=case, code="settle")
    assert _snapshot(case) == before


def test_households_are_checked_line_by_line_before_any_is_saved(bureau):
    count = bureau.project.households.count()
    with pytest.raises(ValidationError) as caught:
        services.households_add(actor=bureau.officer, project=bureau.project, rows=[
            {"label": "9栋1", "name": "甲", "phone": "12345"}, {"label": "", "name": "乙"},
            {"label": "9栋2", "name": "丙", "area": "-3"}])  # fmt: skip
    assert len(caught.value.message_dict["rows"]) == 3
    assert bureau.project.households.count() == count
    assert bureau.project.consent_percent() == Decimal("75.00")


# Supervised funds


def _rule(account, milestone):
    return account.rules.get(milestone=milestone) if milestone else account.rules.get(kind="guarantee")


def test_a_release_waits_for_its_milestone_and_stays_within_its_share(bureau):
    account = opened(bureau)
    topped = _rule(account, "topped_out")
    with pytest.raises(ValidationError, match="尚未达到"):
        services.release_apply(actor=bureau.officer, account=account, rule=topped, amount="1000")
    with pytest.raises(ValidationError, match="依次"):
        services.milestone_reach(actor=bureau.officer, account=account, milestone="completed",
                                 reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    assert not Reach.objects.exists()
    services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                             reached_on=timezone.localdate(), evidence=pdf("封顶验收记录.pdf"))  # fmt: skip
    with pytest.raises(ValidationError, match="30,000,000.00"):
        services.release_apply(actor=bureau.officer, account=account, rule=topped, amount="30000000.01")
    assert not Release.objects.exists()
    release = services.release_apply(actor=bureau.officer, account=account, rule=topped, amount="30,000,000.00")
    assert release.state == ReleaseState.APPLIED
    assert services.room(account, topped)[0] == 0  # what is applied for is held against the share


@pytest.mark.parametrize("typed", ["12.345", "-5", "0", "abc", "1,00"])
def test_amounts_are_positive_sums_with_two_decimals(bureau, typed):
    account = opened(bureau)
    with pytest.raises(ValidationError):
        services.release_apply(actor=bureau.officer, account=account, rule=_rule(account, None), amount=typed,
                               guarantee={"bank": "中国银行", "number": "BH1", "amount": "1000",
                                          "expires_on": timezone.localdate() + dt.timedelta(days=90)})  # fmt: skip
    assert not Release.objects.exists()


def test_an_early_release_against_a_bank_guarantee(bureau):
    account = opened(bureau)
    rule = _rule(account, None)
    later = timezone.localdate() + dt.timedelta(days=180)
    with pytest.raises(ValidationError, match="保函金额低于"):
        services.release_apply(actor=bureau.officer, account=account, rule=rule, amount="5000000",
                               guarantee={"bank": "中国银行", "number": "BH1", "amount": "4000000",
                                          "expires_on": later})  # fmt: skip
    with pytest.raises(ValidationError, match="20,000,000.00"):  # 20 % of 100 million early
        services.release_apply(actor=bureau.officer, account=account, rule=rule, amount="25000000",
                               guarantee={"bank": "中国银行", "number": "BH1", "amount": "25000000",
                                          "expires_on": later})  # fmt: skip
    release = services.release_apply(actor=bureau.officer, account=account, rule=rule, amount="20000000",
                                     guarantee={"bank": "中国银行", "number": "BH1", "amount": "20000000",
                                                "expires_on": later})  # fmt: skip
    assert release.guarantee_number == "BH1"
    services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                             reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    # the early release counts toward the topped-out share: 30 % in all
    assert services.room(account, _rule(account, "topped_out"))[0] == Decimal("10000000.00")


def test_the_approval_chain_and_the_district_threshold(bureau):
    account = opened(bureau)
    services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                             reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    rule = _rule(account, "topped_out")
    small = services.release_apply(actor=bureau.officer, account=account, rule=rule, amount="8000000")
    with pytest.raises(PermissionDenied):
        services.release_step(actor=bureau.officer, release=small, code="approve")
    with pytest.raises(ValidationError, match="审批权限内"):
        services.release_step(actor=bureau.head, release=small, code="refer")
    small = services.release_step(actor=bureau.head, release=small, code="approve")
    assert small.state == ReleaseState.APPROVED and small.approved_by == bureau.head
    big = services.release_apply(actor=bureau.officer2, account=account, rule=rule, amount="22000000")
    RenewalSettings.objects.update(district_threshold=Decimal("20000000"))
    with pytest.raises(ValidationError, match="报区政府"):
        services.release_step(actor=bureau.head, release=big, code="approve")
    big = services.release_step(actor=bureau.head, release=big, code="refer")
    with pytest.raises(PermissionDenied):
        services.release_step(actor=bureau.head, release=big, code="endorse")
    big = services.release_step(actor=bureau.district, release=big, code="endorse")
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.release_step(actor=bureau.officer, release=big, code="transfer", released_on=today, voucher="")
    big = services.release_step(actor=bureau.officer, release=big, code="transfer", released_on=today,
                                voucher="ZJ-001")  # fmt: skip
    assert big.state == ReleaseState.RELEASED
    assert account.released() == Decimal("22000000.00")


def test_whoever_recorded_an_application_does_not_approve_it(bureau):
    """The head, also posted as a case officer, records an application: another head approves it."""
    BureauPost.objects.create(person=bureau.head.person, role="officer")
    account = opened(bureau)
    services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                             reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    release = services.release_apply(actor=bureau.head, account=account, rule=_rule(account, "topped_out"),
                                     amount="1000000")  # fmt: skip
    with pytest.raises(ValidationError, match="登记申请的人"):
        services.release_step(actor=bureau.head, release=release, code="approve")
    assert Release.objects.get().state == ReleaseState.APPLIED


def test_the_balance_never_goes_negative(bureau):
    account = opened(bureau, required=Decimal("100000000"))
    account.deposits.update(amount=Decimal("10000000"))  # only 10 million deposited so far
    services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                             reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    with pytest.raises(ValidationError, match="账户余额"):
        services.release_apply(actor=bureau.officer, account=account, rule=_rule(account, "topped_out"),
                               amount="10000000.01")  # fmt: skip
    assert not Release.objects.exists()


def test_rules_rise_to_a_hundred_percent(bureau):
    with pytest.raises(ValidationError):
        services.account_open(actor=bureau.officer, project=bureau.project, bank="中国银行", number="1",
                              opened_on=timezone.localdate(), requirements={"housing": "1000"},
                              rules=[{"kind": "milestone", "milestone": "topped_out", "cap_percent": 60},
                                     {"kind": "milestone", "milestone": "completed", "cap_percent": 50},
                                     {"kind": "milestone", "milestone": "handover", "cap_percent": 100}])  # fmt: skip
    assert not Account.objects.exists()


def test_deposits_stay_within_what_the_account_must_hold_and_are_recorded_once(bureau):
    account = opened(bureau, required=Decimal("100000000"))  # deposited in full
    with pytest.raises(ValidationError, match="超过应监管金额"):
        services.deposit_record(actor=bureau.officer, account=account, amount="1", deposited_on=timezone.localdate(),
                                reference="存入002")  # fmt: skip
    account.deposits.update(amount=Decimal("50000000"))
    with pytest.raises(ValidationError, match="已登记"):
        services.deposit_record(actor=bureau.officer, account=account, amount="100", deposited_on=timezone.localdate(),
                                reference="存入001")  # fmt: skip
    assert account.deposits.count() == 1


def test_milestones_come_with_the_projects_stage_and_demolition_after_signing(bureau):
    project = bureau.project
    project = services.project_advance(actor=bureau.officer, project=project)
    project = services.project_advance(actor=bureau.officer, project=project)
    assert project.stage == "signing"
    with pytest.raises(ValidationError, match="3户"):  # 3 of 4 owners signed
        services.project_advance(actor=bureau.officer, project=project)
    project.kind = ProjectKind.OLD_ESTATE
    project.save()
    RenewalSettings.objects.update(consent_threshold=Decimal(75))  # an old estate past its threshold goes on
    project = services.project_advance(actor=bureau.officer, project=project)
    assert project.stage == "demolition"
    rules = [{"kind": "milestone", "milestone": m, "cap_percent": c}
             for m, c in (("topped_out", 30), ("completed", 70), ("handover", 100))]  # fmt: skip
    account = services.account_open(actor=bureau.officer, project=project, bank="中国银行", number="1",
                                    opened_on=timezone.localdate(), requirements={"housing": "1000"},
                                    rules=rules)  # fmt: skip
    with pytest.raises(ValidationError, match="建设"):
        services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                                 reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    assert not Reach.objects.exists()


def _inbox(user) -> list[tuple[str, str]]:
    """The user's urban-renewal notices, oldest first: (kind, link)."""
    found = Notification.objects.filter(user=user, kind__startswith="renewal.").order_by("pk")
    return list(found.values_list("kind", "link"))


def test_whoever_acts_next_finds_a_notice_in_the_inbox(bureau, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        case = applied(bureau)
    to_case = reverse("renewal:case_detail", args=[case.pk])
    assert _inbox(bureau.officer2) == [("renewal.case.applied", to_case)]
    assert _inbox(bureau.officer) == _inbox(bureau.head) == _inbox(bureau.mediator) == []
    with capture(execute=True):
        case = services.case_step(actor=bureau.officer, case=case, code="accept", mediators=bureau.mediators)
    assert _inbox(bureau.mediator) == [("renewal.case.accept", to_case)] and _inbox(bureau.officer) == []
    with capture(execute=True), pytest.raises(PermissionDenied):  # refused: no notice
        services.case_step(actor=bureau.officer, case=case, code="extend", reason="案情复杂")
    with capture(execute=True):
        services.case_step(actor=bureau.head, case=case, code="extend", reason="案情复杂，需补充评估")
    assert _inbox(bureau.officer) == [("renewal.case.extend", to_case)] and _inbox(bureau.head) == []

    account = opened(bureau)
    services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                             reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    rule = _rule(account, "topped_out")
    Notification.objects.all().delete()
    with capture(execute=True):
        small = services.release_apply(actor=bureau.officer, account=account, rule=rule, amount="8000000")
    to_small = reverse("renewal:account_detail", args=[account.pk]) + f"#release-{small.pk}"
    assert _inbox(bureau.head) == [("renewal.release.applied", to_small)]
    assert _inbox(bureau.officer) == _inbox(bureau.district) == []
    with capture(execute=True):
        services.release_step(actor=bureau.head, release=small, code="approve")
    assert _inbox(bureau.officer) == _inbox(bureau.officer2) == [("renewal.release.approve", to_small)]
    assert _inbox(bureau.district) == [] and len(_inbox(bureau.head)) == 1

    RenewalSettings.objects.update(district_threshold=Decimal("5000000"))
    Notification.objects.all().delete()
    with capture(execute=True):
        big = services.release_apply(actor=bureau.officer2, account=account, rule=rule, amount="6000000")
        services.release_step(actor=bureau.head, release=big, code="refer")
    to_big = reverse("renewal:account_detail", args=[account.pk]) + f"#release-{big.pk}"
    assert _inbox(bureau.district) == [("renewal.release.refer", to_big)]
    with capture(execute=True):
        services.release_step(actor=bureau.district, release=big, code="endorse")
    assert _inbox(bureau.officer) == [("renewal.release.endorse", to_big)]
    assert _inbox(bureau.officer2) == [("renewal.release.endorse", to_big)]

    refused = services.release_apply(actor=bureau.officer, account=account, rule=rule, amount="1000000")
    Notification.objects.all().delete()
    with capture(execute=True), pytest.raises(PermissionDenied):  # refused: no notice
        services.release_step(actor=bureau.district, release=refused, code="refuse", reason="材料不全")
    assert not Notification.objects.exists()
    with capture(execute=True):
        refused = services.release_step(actor=bureau.head, release=refused, code="refuse", reason="材料不全")
    to_refused = reverse("renewal:account_detail", args=[account.pk]) + f"#release-{refused.pk}"
    assert _inbox(bureau.officer) == _inbox(bureau.officer2) == [("renewal.release.refuse", to_refused)]
    assert _inbox(bureau.head) == _inbox(bureau.district) == []
    with capture(execute=True), pytest.raises(TransitionError):  # refused: no notice
        services.release_step(actor=bureau.head, release=refused, code="approve")
    assert Notification.objects.count() == 2
