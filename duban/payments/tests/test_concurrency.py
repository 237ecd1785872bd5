"""Two cashiers recording the same approved payment at the same moment: the request row is locked,
so the second finds it already paid and is refused; the payment is recorded once."""

import pytest
from django.utils import timezone

from duban.core.testing import run_together
from duban.payments import services
from duban.payments.models import PaymentRequest, RequestEvent
from duban.payments.tests.conftest import submitted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_approvals_and_payments_of_one_request_pay_once(personas, centre):
    from duban.payments.choices import CentreRole
    from duban.payments.models import CentrePost

    CentrePost.objects.create(person=centre.other_clerk.person, role=CentreRole.APPROVER)
    CentrePost.objects.create(person=centre.other_clerk.person, role=CentreRole.CASHIER)
    request = services.request_step(actor=centre.clerk, request=submitted(personas, centre), code="accept")
    request = services.request_step(actor=centre.reviewer, request=request, code="review")
    outcomes = run_together(
        *[lambda user=user: services.request_step(actor=user, request=request, code="approve")
          for user in (centre.approver, centre.other_clerk)]
    )  # fmt: skip
    assert sorted(type(o).__name__ for o in outcomes) == ["PaymentRequest", "TransitionError"]
    today = timezone.localdate()
    outcomes = run_together(
        *[lambda user=user, n=n: services.request_step(actor=user, request=request, code="pay", paid_on=today,
                                                       voucher=f"GK-{n}")
          for n, user in enumerate((centre.cashier, centre.other_clerk))]
    )  # fmt: skip
    assert sorted(type(o).__name__ for o in outcomes) == ["PaymentRequest", "TransitionError"]
    assert PaymentRequest.objects.get().state == "paid"
    assert RequestEvent.objects.filter(code="payments.request.paid").count() == 1
    assert RequestEvent.objects.filter(code="payments.request.approved").count() == 1
