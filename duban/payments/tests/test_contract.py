"""A missing document and its supplement item never disagree, whatever acts on them: the request
page's steps, the sweep's lapse, and every entry point the ledger has."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from duban.core.workdays import on_day
from duban.ledger.tests.contract import INDEX, MACHINE_SETTINGS, ContractMachine
from duban.payments import services
from duban.payments.choices import GAP_MOVES
from duban.payments.models import Gap, Suspension
from duban.payments.tests.conftest import deferred, pdf

pytestmark = pytest.mark.django_db
INVOICES = itertools.count(70000001)  # each example's request its own invoice (the database is shared)


def test_missing_documents_and_their_items_agree_whatever_acts_on_them(client, personas, centre):
    class Supplements(ContractMachine):
        @initialize()
        def accept_a_request_with_two_documents_to_follow(self):
            # the examples share the database: an earlier example's suspension ends with it
            Suspension.objects.active().update(ended_at=timezone.now(), ended_how="lifted")
            request = deferred(personas, centre, invoice_ref=str(next(INVOICES)))
            self.subjects += list(request.gaps.order_by("pk"))

        @rule(index=INDEX, code=st.sampled_from(sorted(GAP_MOVES.by_code)),
              who=st.sampled_from(["unit_a_staff", "unit_b_staff", "clerk", "other_clerk", "reviewer"]))  # fmt: skip
        def on_the_request_page(self, index, code, who):
            gap = Gap.objects.get(pk=self.subject(index).pk)
            user = getattr(personas, who, None) or getattr(centre, who)
            self.attempt(gap, lambda: services.gap_step(actor=user, gap=gap, code=code, reason="材料不全",
                                                        upload=pdf() if code == "supply" else None))  # fmt: skip

        @rule(days=st.integers(1, 20))
        def the_centres_sweep(self, days):
            later = on_day(timezone.localdate() + dt.timedelta(days=days))
            services.gaps_lapse(at=later)
            services.suspensions_review(at=later)

    Supplements.personas, Supplements.client = personas, client
    run_state_machine_as_test(Supplements, settings=MACHINE_SETTINGS)
