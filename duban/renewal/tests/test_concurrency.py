"""Two case officers applying for releases at the same moment under the same milestone: the account
row is locked, so the second sees the first's amount held and is refused; the share is never
exceeded."""

import pytest
from django.utils import timezone

from duban.core.testing import run_together
from duban.renewal import services
from duban.renewal.models import Release
from duban.renewal.tests.conftest import opened, pdf

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_releases_cannot_overdraw_the_share(personas, bureau):
    account = opened(bureau)
    services.milestone_reach(actor=bureau.officer, account=account, milestone="topped_out",
                             reached_on=timezone.localdate(), evidence=pdf())  # fmt: skip
    rule = account.rules.get(milestone="topped_out")  # 30 million in all
    outcomes = run_together(
        *[lambda user=user: services.release_apply(actor=user, account=account, rule=rule, amount="20000000")
          for user in (bureau.officer, bureau.officer2)]
    )  # fmt: skip
    assert sorted(type(o).__name__ for o in outcomes) == ["Release", "ValidationError"]
    assert Release.objects.count() == 1
    release = Release.objects.get()
    release = services.release_step(actor=bureau.head, release=release, code="approve")
    today = timezone.localdate()
    outcomes = run_together(
        *[lambda user=user, n=n: services.release_step(actor=user, release=release, code="transfer", released_on=today,
                                                       voucher=f"ZJ-{n}")
          for n, user in enumerate((bureau.officer, bureau.officer2))]
    )  # fmt: skip
    assert sorted(type(o).__name__ for o in outcomes) == ["Release", "TransitionError"]
    assert account.released() == release.amount
