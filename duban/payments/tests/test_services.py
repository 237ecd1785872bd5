"""Payment requests from preparation to payment, documents accepted as missing, and what a broken
commitment costs the unit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from duban.core.errors import TransitionError
from duban.core.workdays import add_working_days, on_day
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Item, Notification
from duban.payments import access, services
from duban.payments.choices import CentreRole
from duban.payments.models import CentrePost, CreditRecord, Gap, PaymentRequest, RequestEvent, Suspension
from duban.payments.tests.conftest import deferred, pdf, prepare, submitted

pytestmark = pytest.mark.django_db


def _paid(personas, centre, request):
    for user, code in [(centre.clerk, "accept"), (centre.reviewer, "review"), (centre.approver, "approve")]:
        request = services.request_step(actor=user, request=request, code=code)
    return services.request_step(actor=centre.cashier, request=request, code="pay", paid_on=timezone.localdate(),
                                 voucher="GK2026-000118")  # fmt: skip


def test_a_green_request_is_due_the_next_working_day_and_paid_through_every_step(personas, centre):
    request = submitted(personas, centre)
    assert request.state == "submitted"
    assert request.due_on == add_working_days(timezone.localdate(), 1)
    request = _paid(personas, centre, request)
    assert (request.state, request.voucher, request.approved_by) == ("paid", "GK2026-000118", centre.approver)
    codes = list(request.events.values_list("code", flat=True))
    assert codes == ["payments.request.created", "payments.request.documents", "payments.request.submitted",
                     "payments.request.accepted", "payments.request.reviewed", "payments.request.approved",
                     "payments.request.paid"]  # fmt: skip


def test_the_normal_channel_takes_the_centres_configured_working_days(personas, centre):
    request = submitted(personas, centre, channel="normal")
    assert request.due_on == add_working_days(timezone.localdate(), 5)


def test_whoever_prepared_a_request_never_reviews_or_approves_it_and_the_reviewer_does_not_approve(personas, centre):
    for role in (CentreRole.REVIEWER, CentreRole.APPROVER):
        CentrePost.objects.create(person=personas.unit_a_staff.person, role=role)
    request = services.request_step(actor=centre.clerk, request=submitted(personas, centre), code="accept")
    with pytest.raises(PermissionDenied):
        services.request_step(actor=personas.unit_a_staff, request=request, code="review")
    request.refresh_from_db()
    assert request.state == "accepted" and request.reviewed_by is None
    CentrePost.objects.create(person=centre.reviewer.person, role=CentreRole.APPROVER)
    request = services.request_step(actor=centre.reviewer, request=request, code="review")
    with pytest.raises(PermissionDenied):
        services.request_step(actor=centre.reviewer, request=request, code="approve")
    request.refresh_from_db()
    assert request.state == "reviewed"


def test_a_unit_cannot_take_the_centres_steps_and_a_step_out_of_order_changes_nothing(personas, centre):
    request = submitted(personas, centre)
    with pytest.raises(PermissionDenied):
        services.request_step(actor=personas.unit_a_staff, request=request, code="accept")
    with pytest.raises(TransitionError):
        services.request_step(actor=centre.cashier, request=request, code="pay", paid_on=timezone.localdate(),
                              voucher="X1")  # fmt: skip
    request.refresh_from_db()
    assert request.state == "submitted" and request.events.count() == 3


def test_accepting_needs_every_document_of_the_checklist(personas, centre):
    request = submitted(personas, centre, docs=("indicator", "approval", "account", "contract"))
    with pytest.raises(ValidationError, match="发票|invoice|Invoice"):
        services.request_step(actor=centre.clerk, request=request, code="accept")
    request.refresh_from_db()
    assert request.state == "submitted"


def test_a_key_document_is_never_accepted_as_missing(personas, centre):
    request = submitted(personas, centre, docs=("indicator", "approval", "contract", "invoice", "acceptance"))
    gaps = [{"document_type": centre.doc("account"), "due_on": request.due_on}]
    with pytest.raises(ValidationError) as refused:
        services.request_step(actor=centre.clerk, request=request, code="defer", gaps=gaps)
    assert "收款账户证明" in str(refused.value)
    request.refresh_from_db()
    assert request.state == "submitted" and not Gap.objects.exists()


def test_a_missing_document_that_has_become_key_is_never_waived(personas, centre):
    request = deferred(personas, centre)
    gap = request.gaps.get(document_type__code="invoice")
    centre.doc("invoice").__class__.objects.filter(code="invoice").update(key=True)
    with pytest.raises(ValidationError):
        services.gap_step(actor=centre.clerk, gap=gap, code="waive", reason="不需要")
    gap.refresh_from_db()
    assert gap.state == "pending"


def test_every_missing_document_is_listed_once_and_none_after_the_requests_deadline(personas, centre):
    request = submitted(personas, centre, docs=("indicator", "approval", "account", "contract"))
    late = [{"document_type": centre.doc(code), "due_on": request.due_on + dt.timedelta(days=1)}
            for code in ("invoice", "acceptance")]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.request_step(actor=centre.clerk, request=request, code="defer", gaps=late)
    assert request.due_on.isoformat() in str(refused.value)
    partial = [{"document_type": centre.doc("invoice"), "due_on": request.due_on}]
    with pytest.raises(ValidationError):
        services.request_step(actor=centre.clerk, request=request, code="defer", gaps=partial)
    request.refresh_from_db()
    assert request.state == "submitted" and not Gap.objects.exists()


def test_documents_to_follow_only_on_the_green_channel(personas, centre):
    request = submitted(personas, centre, channel="normal", docs=("indicator", "approval", "account", "contract"))
    gaps = [{"document_type": centre.doc(code), "due_on": request.due_on} for code in ("invoice", "acceptance")]
    with pytest.raises(ValidationError):
        services.request_step(actor=centre.clerk, request=request, code="defer", gaps=gaps)


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "abc", "NaN", "1,58000.5"])
def test_an_amount_that_is_not_a_positive_sum_with_two_decimals_saves_nothing(personas, centre, amount):
    with pytest.raises(ValidationError) as refused:
        prepare(personas, centre, amount=amount)
    assert "amount" in refused.value.message_dict
    assert not PaymentRequest.objects.exists()


@pytest.mark.parametrize("account", ["1234", "4420150110005251234x", "6222021001115112346"])
def test_an_account_number_that_fails_its_check_saves_nothing(personas, centre, account):
    with pytest.raises(ValidationError) as refused:
        prepare(personas, centre, payee_account=account)
    assert "payee_account" in refused.value.message_dict
    assert not PaymentRequest.objects.exists()


def test_a_card_number_that_passes_its_check_digit_is_kept_without_spaces(personas, centre):
    request = prepare(personas, centre, payee_account="6222 0210 0111 5112 341")
    assert request.payee_account == "6222021001115112341"


def test_an_invoice_already_on_a_request_of_the_fund_is_refused(personas, centre):
    first = prepare(personas, centre)
    with pytest.raises(ValidationError) as refused:
        prepare(personas, centre, project="另一个项目")
    assert first.number in str(refused.value)
    assert PaymentRequest.objects.count() == 1
    services.request_step(actor=personas.unit_a_staff, request=first, code="withdraw", reason="重复申请")
    assert prepare(personas, centre, project="另一个项目").invoice_ref == "44031234"


def test_the_green_channel_is_for_listed_funds_and_units_only(personas, centre):
    with pytest.raises(ValidationError) as refused:
        prepare(personas, centre, user=personas.unit_b_staff, unit=personas.unit_b, fund=centre.plain_fund)
    assert "channel" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        prepare(personas, centre, user=personas.unit_b_staff)


def test_missing_documents_are_supplement_items_of_the_unit_closed_when_the_centre_confirms(personas, centre):
    request = deferred(personas, centre)
    assert request.state == "accepted" and request.notice_number.startswith("罗财库容〔")
    assert request.committed_by == personas.unit_a_head
    gap = request.gaps.get(document_type__code="invoice")
    item = services.item_of(gap)
    assert (item.ledger.kind, item.lead_unit, item.deadline, item.state) == (
        LedgerKind.PAYMENTS,
        personas.unit_a,
        request.due_on,
        "assigned",
    )
    gap = services.gap_step(actor=personas.unit_a_staff, gap=gap, code="supply", upload=pdf("发票.pdf"))
    assert gap.state == "supplied" and services.item_of(gap).state == "submitted"
    with pytest.raises(PermissionDenied):
        services.gap_step(actor=personas.unit_a_staff, gap=gap, code="confirm")
    gap = services.gap_step(actor=centre.clerk, gap=gap, code="confirm")
    assert gap.confirmed_by == centre.clerk and services.item_of(gap).state == "closed"
    assert services.missing_documents(request) == [centre.doc("acceptance")]


def test_only_the_units_responsible_person_signs_the_commitment_and_under_seal(personas, centre):
    request = submitted(personas, centre, docs=("indicator", "approval", "account", "contract", "invoice"))
    request = services.request_step(
        actor=centre.clerk,
        request=request,
        code="defer",
        gaps=[{"document_type": centre.doc("acceptance"), "due_on": request.due_on}],
    )
    with pytest.raises(PermissionDenied):
        services.request_step(actor=personas.unit_a_staff, request=request, code="commit", sealed=True)
    with pytest.raises(ValidationError):
        services.request_step(actor=personas.unit_a_head, request=request, code="commit", sealed=False)
    request.refresh_from_db()
    assert request.state == "commitment" and not Item.objects.exists()


def test_a_clerk_who_records_a_document_handed_in_does_not_confirm_it_himself(personas, centre):
    gap = deferred(personas, centre).gaps.get(document_type__code="invoice")
    services.gap_step(actor=centre.clerk, gap=gap, code="supply", upload=pdf())
    with pytest.raises(PermissionDenied):
        services.gap_step(actor=centre.clerk, gap=gap, code="confirm")
    assert services.gap_step(actor=centre.other_clerk, gap=gap, code="confirm").confirmed_at is not None


def test_an_overdue_supplement_is_a_broken_commitment_and_suspends_the_green_channel_until_supplied(personas, centre):
    request = deferred(personas, centre)
    due = request.due_on
    assert services.gaps_lapse(at=on_day(due)) == 0
    assert services.gaps_lapse(at=on_day(due + dt.timedelta(days=1))) == 2
    assert CreditRecord.objects.filter(unit=personas.unit_a).count() == 2
    assert services.suspensions_review(at=on_day(add_working_days(due, 2))) == (0, 0)
    assert services.suspensions_review(at=on_day(add_working_days(due, 4))) == (1, 0)
    assert "suspended" in services.green_refusal(
        personas.unit_a, centre.green_fund
    ) or "暂停" in services.green_refusal(personas.unit_a, centre.green_fund)
    with pytest.raises(ValidationError):
        prepare(personas, centre, invoice_ref="55550001")
    later = on_day(add_working_days(due, 5))
    for gap in request.gaps.all():
        services.gap_step(actor=personas.unit_a_staff, gap=gap, code="supply", upload=pdf(), at=later)
    suspension = Suspension.objects.get()
    assert suspension.ended_how == "caught_up" and not services.green_refusal(personas.unit_a, centre.green_fund)
    assert all(gap.on_time is False for gap in request.gaps.all())


def test_the_office_lifts_a_suspension_with_a_reason_and_the_same_documents_do_not_suspend_again(personas, centre):
    due = deferred(personas, centre).due_on
    services.gaps_lapse(at=on_day(due + dt.timedelta(days=1)))
    services.suspensions_review(at=on_day(add_working_days(due, 4)))
    suspension = Suspension.objects.get()
    with pytest.raises(PermissionDenied):
        services.suspension_lift(actor=personas.unit_a_head, suspension=suspension, reason="已说明")
    with pytest.raises(ValidationError):
        services.suspension_lift(actor=centre.admin, suspension=suspension, reason=" ")
    services.suspension_lift(
        actor=personas.office_admin, suspension=suspension, reason="因不可抗力延期，已报区政府同意"
    )
    assert services.suspensions_review(at=on_day(add_working_days(due, 8))) == (0, 0)
    assert not services.green_refusal(personas.unit_a, centre.green_fund)


def test_a_request_returned_with_open_supplements_takes_them_with_it(personas, centre):
    request = deferred(personas, centre)
    services.request_step(actor=centre.reviewer, request=request, code="return", reason="合同金额与申请不符")
    assert set(Gap.objects.values_list("state", flat=True)) == {"waived"}
    assert set(Item.objects.values_list("state", flat=True)) == {"cancelled"}
    request.refresh_from_db()
    assert request.state == "returned" and not request.notice_number


def test_who_sees_which_requests(personas, centre):
    mine = prepare(personas, centre)
    theirs = prepare(personas, centre, user=personas.unit_b_staff, unit=personas.unit_b, fund=centre.plain_fund,
                     channel="normal", invoice_ref="1")  # fmt: skip
    seen = {
        name: set(access.requests_for(getattr(personas, name, None) or getattr(centre, name)))
        for name in ("office_admin", "supervisor", "district_leader", "unit_a_staff", "unit_b_staff", "expert",
                     "resident", "clerk")
    }  # fmt: skip
    assert seen["unit_a_staff"] == {mine} and seen["unit_b_staff"] == {theirs}
    assert seen["expert"] == seen["resident"] == set()
    assert seen["office_admin"] == seen["supervisor"] == seen["clerk"] == {mine, theirs}


def test_every_step_writes_its_event_with_the_person(personas, centre):
    request = deferred(personas, centre)
    committed = RequestEvent.objects.get(request=request, code="payments.request.committed")
    assert committed.actor == personas.unit_a_head and committed.data["notice"] == request.notice_number


def test_amounts_are_kept_to_the_fen(personas, centre):
    assert prepare(personas, centre, amount="1,250.5").amount == Decimal("1250.50")


def test_a_late_supplement_costs_the_unit_in_the_annual_appraisal(personas, centre):
    from duban.reforms.appraisal import appraisal_of, rows

    request = deferred(personas, centre)
    late = on_day(add_working_days(request.due_on, 2))
    for gap in request.gaps.all():
        services.gap_step(actor=personas.unit_a_staff, gap=gap, code="supply", upload=pdf(), at=late)
        services.gap_step(actor=centre.clerk, gap=gap, code="confirm", at=late)
    [row] = [r for r in rows(appraisal_of(timezone.localtime(late).year)) if r.unit == personas.unit_a]
    [points] = [points for label, points in row.deduction_items if "绿色通道" in label or "green channel" in label]
    assert abs(points) == 2  # two documents supplied late, a point each


def test_an_overdue_supplement_gets_the_ladders_notice_and_it_costs_the_unit(personas, centre):
    from duban.ledger.models import ItemEvent, Notice
    from duban.ledger.services import scoring_feed, sweep_run

    request = deferred(personas, centre)
    day_after = request.due_on + dt.timedelta(days=1)
    services.gaps_lapse(at=on_day(day_after))
    sweep_run(today=day_after, force=True)
    notices = Notice.objects.filter(item__in=[services.item_of(g) for g in request.gaps.all()])
    assert set(notices.values_list("level", flat=True)) == {"blue"} and notices.count() == 2
    assert ItemEvent.objects.filter(code="ledger.notice.blue", points=-1).count() == 2
    assert scoring_feed(year=day_after.year, kind=LedgerKind.PAYMENTS)[personas.unit_a.pk] == -2


def test_a_supplement_that_will_not_do_past_its_date_is_overdue_at_once(personas, centre):
    request = deferred(personas, centre)
    gap = request.gaps.get(document_type__code="invoice")
    later = on_day(request.due_on + dt.timedelta(days=2))
    services.gap_step(actor=personas.unit_a_staff, gap=gap, code="supply", upload=pdf(), at=later)
    gap = services.gap_step(actor=centre.clerk, gap=gap, code="reject", reason="发票抬头不符", at=later)
    assert gap.state == "overdue" and CreditRecord.objects.filter(gap=gap).exists()
    assert services.item_of(gap).state == "returned"
    assert list(gap.events.values_list("code", flat=True))[-2:] == ["payments.gap.rejected", "payments.gap.overdue"]


def _inbox(user) -> list[tuple[str, str]]:
    """The user's green-channel notices, oldest first: (kind, link)."""
    found = Notification.objects.filter(user=user, kind__startswith="payments.").order_by("pk")
    return list(found.values_list("kind", "link"))


def test_whoever_acts_next_finds_a_notice_in_the_inbox(personas, centre, django_capture_on_commit_callbacks):
    capture, staff, head = django_capture_on_commit_callbacks, personas.unit_a_staff, personas.unit_a_head
    with capture(execute=True):
        request = submitted(personas, centre)
    link = reverse("payments:request_detail", args=[request.pk])
    assert _inbox(centre.clerk) == _inbox(centre.other_clerk) == [("payments.request.submit", link)]
    assert _inbox(staff) == _inbox(centre.reviewer) == []
    for user, code, told in [(centre.clerk, "accept", centre.reviewer), (centre.reviewer, "review", centre.approver),
                             (centre.approver, "approve", centre.cashier)]:  # fmt: skip
        with capture(execute=True):
            request = services.request_step(actor=user, request=request, code=code)
        assert _inbox(told) == [(f"payments.request.{code}", link)]
        assert (f"payments.request.{code}", link) not in _inbox(user)
    with capture(execute=True), pytest.raises(PermissionDenied):  # refused: no notice
        services.request_step(actor=centre.approver, request=request, code="pay", paid_on=timezone.localdate(),
                              voucher="GK2026-000118")  # fmt: skip
    assert Notification.objects.filter(kind__startswith="payments.").count() == 5
    with capture(execute=True):
        services.request_step(actor=centre.cashier, request=request, code="pay", paid_on=timezone.localdate(),
                              voucher="GK2026-000118")  # fmt: skip
    assert _inbox(staff) == [("payments.request.pay", link)] and _inbox(head) == []

    Notification.objects.all().delete()
    returned = submitted(personas, centre, invoice_ref="44031235")
    with capture(execute=True):
        returned = services.request_step(actor=centre.clerk, request=returned, code="return", reason="合同扫描件不清晰")
    link = reverse("payments:request_detail", args=[returned.pk])
    assert _inbox(staff) == _inbox(head) == [("payments.request.return", link)]
    assert _inbox(centre.clerk) == _inbox(centre.other_clerk) == []

    Notification.objects.all().delete()
    with capture(execute=True):
        request = deferred(personas, centre, invoice_ref="44031236")
    link = reverse("payments:request_detail", args=[request.pk])
    assert _inbox(head) == [("payments.request.defer", link)] and _inbox(staff) == []
    assert _inbox(centre.reviewer) == [("payments.request.commit", link)]
    gap = request.gaps.get(document_type__code="invoice")
    Notification.objects.all().delete()
    with capture(execute=True):
        gap = services.gap_step(actor=staff, gap=gap, code="supply", upload=pdf("发票.pdf"))
    assert _inbox(centre.clerk) == _inbox(centre.other_clerk) == [("payments.gap.supply", link)]
    with capture(execute=True), pytest.raises(PermissionDenied):  # refused: no notice
        services.gap_step(actor=staff, gap=gap, code="reject", reason="发票抬头不符")
    with capture(execute=True):
        services.gap_step(actor=centre.clerk, gap=gap, code="reject", reason="发票抬头不符")
    assert _inbox(staff) == _inbox(head) == [("payments.gap.reject", link)]
    assert len(_inbox(centre.clerk)) == 1
