"""A contract's milestones and their items never disagree, whatever acts on them: deliverables and
reviews on the project's page, and every entry point the ledger has."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test

from duban.ledger.tests.contract import INDEX, MACHINE_SETTINGS, ContractMachine
from duban.research import services
from duban.research.models import Milestone, Panel, Project
from duban.research.tests.conftest import signed

pytestmark = pytest.mark.django_db


def test_milestones_and_their_items_agree_whatever_acts_on_them(client, personas, world):
    class Milestones(ContractMachine):
        @initialize()
        def sign_a_contract(self):
            if Project.objects.exists():  # the examples share the database: one contract serves them all
                project = Project.objects.get()
            else:
                project = signed(personas, world)
            self.project = project
            self.subjects += list(Milestone.objects.filter(contract__project=project).order_by("due_on"))

        @rule(index=INDEX)
        def deliver(self, index):
            milestone = Milestone.objects.get(pk=self.subject(index).pk)
            self.attempt(milestone, lambda: services.milestone_deliver(actor=world.staff, milestone=milestone))

        @rule(index=INDEX, mark=st.sampled_from([40, 75, 95]))
        def review(self, index, mark):
            milestone = Milestone.objects.get(pk=self.subject(index).pk)
            project = Project.objects.get(pk=self.project.pk)

            def hold():
                panel = services.panel_open(actor=world.staff, project=project, stage=milestone.stage,
                                            experts=world.experts[1:])  # fmt: skip
                for expert in world.experts[1:]:
                    services.score_submit(actor=expert, panel=panel, entry=project.pk,
                                          scores=dict.fromkeys(("quality", "use", "form"), mark))  # fmt: skip
                services.panel_publish(actor=world.staff, panel=panel)

            self.attempt(milestone, hold)
            Panel.objects.filter(project=project, state="scoring").delete()  # a refused review leaves no panel open

    Milestones.personas, Milestones.client = personas, client
    run_state_machine_as_test(Milestones, settings=MACHINE_SETTINGS)
