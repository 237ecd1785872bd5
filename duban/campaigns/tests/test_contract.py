"""A problem report and its ledger item never disagree, whatever acts on them, through any entry point."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from duban.campaigns.choices import REPORT_ACTIONS, ROUTING_ACTIONS, ReportSource, ReportState
from duban.campaigns.models import Report
from duban.campaigns.services.reports import report_transition
from duban.campaigns.services.rerouting import report_reroute
from duban.campaigns.services.submitting import report_submit
from duban.campaigns.tests.conftest import DONGMEN, GUIYUAN, make_photo, office_workbook
from duban.ledger.choices import ItemState
from duban.ledger.services import item_transition, job_check, job_run, job_start
from duban.ledger.tests.contract import ANYONE, MACHINE_SETTINGS, PICK, ContractMachine

pytestmark = pytest.mark.django_db

REPORT_STEPS = set(REPORT_ACTIONS.by_code) - ROUTING_ACTIONS


def test_reports_and_their_items_agree_whatever_acts_on_them(client, personas, world):
    class Reports(ContractMachine):
        @initialize(accepted=st.integers(1, 3), imported=st.booleans())
        def report_some_problems(self, accepted, imported):
            if imported:  # from the office's own ledger: one still to deal with (a draft), one rectified
                self.subjects += import_two_reports(world, personas)
            for n, place in enumerate([DONGMEN, GUIYUAN, DONGMEN, GUIYUAN][: accepted + 1]):
                report = report_submit(
                    actor=personas.resident,
                    campaign=world.campaign,
                    source=ReportSource.PORTAL,
                    category=world.parking,
                    description=f"共享单车堆在人行道上（{n}）",
                    lat=place[0],
                    lng=place[1],
                )
                if n < accepted:
                    report = report_transition(actor=personas.office_admin, report=report, action="accept")
                self.subjects.append(report)

        @rule(index=st.integers(0, 5), pick=PICK, anyone=ANYONE, photo=st.booleans())
        def on_the_reports_page(self, index, pick, anyone, photo):
            report = Report.objects.get(pk=self.subject(index).pk)
            moves = [m for m in REPORT_ACTIONS.available(report.state) if m.code not in ROUTING_ACTIONS]
            action, user = self.pick(moves, pick, anyone, REPORT_STEPS, report.routed_unit)
            original = next((s for s in self.subjects if s.pk != report.pk), None)
            self.attempt(
                report,
                lambda: report_transition(
                    actor=user,
                    report=report,
                    action=action,
                    note="现场核查",
                    photos=[make_photo()] if photo else [],
                    duplicate_of=original,
                    transferred_to="市交通运输局",
                ),
            )

        @rule(index=st.integers(0, 5), to_b=st.booleans())
        def reroute(self, index, to_b):
            report = self.subject(index)
            unit = personas.unit_b if to_b else personas.unit_a
            self.attempt(
                report,
                lambda: report_reroute(actor=personas.office_admin, report=report, unit=unit, note="属地调整"),
            )

    Reports.personas, Reports.client = personas, client
    run_state_machine_as_test(Reports, settings=MACHINE_SETTINGS)


def import_two_reports(world, personas) -> list[Report]:
    due = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    rows = [
        [1, "解放路口共享单车堆放", "非机动车乱停放", "东门街道解放路口", "东门街道", due, "否"],
        [2, "桂园路单车压占盲道", "非机动车乱停放", "桂园街道桂园路", "桂园街道", due, "是"],
    ]  # fmt: skip
    data = office_workbook(
        rows, header=["序号", "问题描述", "问题类别", "问题地址", "责任单位", "整改时限", "是否完成整改"]
    )
    job = job_check(actor=personas.office_admin, ledger=world.campaign.ledger, name="台账.xlsx", data=data)
    job_run(job_start(actor=personas.office_admin, job=job))
    return list(Report.objects.filter(source=ReportSource.LEDGER).order_by("-pk")[:2])


def test_done_from_the_ledger_page_runs_the_reports_rule_or_is_refused_with_a_link(client, personas, world):
    report = report_submit(
        actor=personas.resident,
        campaign=world.campaign,
        source=ReportSource.PORTAL,
        category=world.parking,
        description="共享单车堆在人行道上",
        lat=DONGMEN[0],
        lng=DONGMEN[1],
    )
    report = report_transition(actor=personas.office_admin, report=report, action="accept")
    item = report.item
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge")

    with pytest.raises(ValidationError) as refused:  # 报送办结 needs the report's after-photo
        item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已清理")
    assert refused.value.link.endswith(f"/campaigns/reports/{report.pk}/")
    report.refresh_from_db()
    assert (report.state, report.item.state) == (ReportState.ACCEPTED, ItemState.ACKNOWLEDGED)

    client.force_login(personas.office_admin)
    response = client.post(f"/api/ledger/items/{item.pk}/transitions", {"action": "cancel", "reason": "x"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 409 and response.json()["link"].endswith(f"/campaigns/reports/{report.pk}/")

    report_transition(actor=personas.unit_a_staff, report=report, action="start")
    report_transition(actor=personas.unit_a_staff, report=report, action="fix", note="已清理", photos=[make_photo()])
    item_transition(actor=personas.supervisor, item=item, action="accept", reason="经核验已整改")
    report.refresh_from_db()
    assert (report.state, report.item.state) == (ReportState.CLOSED, ItemState.CLOSED)
