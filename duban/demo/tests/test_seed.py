"""The demo district is seeded once per test here (about a minute), so the checks are grouped."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from duban.demo import campaign_seed
from duban.demo.luohu import STREETS
from duban.demo.seed import DEMO_PASSWORD, PERSONAS
from duban.ledger.choices import ItemState, NoticeLevel
from duban.ledger.models import Item, ItemEvent, Ledger, Notice
from duban.orgs import access
from duban.orgs.choices import Role, UnitKind
from duban.orgs.models import LeaderPortfolio, Person, Position, Unit, User
from duban.reforms import services as reform_services
from duban.reforms.appraisal import appraisal_of
from duban.reforms.appraisal import rows as appraisal_rows
from duban.reforms.models import AnnualPlan, Case, ProposalCall, Reform, ToleranceCase

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def _organisation_is_real_luohu():
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    streets = Unit.objects.filter(parent=district, kind=UnitKind.STREET)
    assert district.name == "罗湖区"
    assert sorted(streets.values_list("code", flat=True)) == [f"440303{n:03d}" for n in range(1, 11)]
    expected_communities = sum(len(verified) + len(filler) for _, _, verified, filler in STREETS)
    assert Unit.objects.filter(kind=UnitKind.COMMUNITY).count() == expected_communities
    assert Unit.objects.get(code="440303005015").name == "罗湖社区"
    assert Unit.objects.get(name="罗湖村").parent.name == "罗湖社区"
    for unit in Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.DEPARTMENT, UnitKind.COMMUNITY]):
        assert Position.objects.current().filter(unit=unit, role="head").count() == 1, unit
    for street in streets:
        assert LeaderPortfolio.objects.covering(street).exists(), street


def _one_login_per_persona(rf):
    expected_roles = {
        "office_admin": Role.OFFICE_ADMIN,
        "leader": Role.DISTRICT_LEADER,
        "head_dongmen": Role.UNIT_HEAD,
        "staff_dongmen": Role.UNIT_STAFF,
        "staff_guiyuan": Role.UNIT_STAFF,
        "supervisor": Role.SUPERVISOR,
        "expert": Role.EXPERT,
    }
    for username, role in expected_roles.items():
        user = authenticate(rf.post("/accounts/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert role in access.roles_of(user), username
    # The expert is a researcher posted at the third-party evaluator: an expert, not unit staff.
    assert access.roles_of(User.objects.get(username="expert")) == {Role.EXPERT}
    resident = User.objects.get(phone=PERSONAS[-1][0])
    assert access.roles_of(resident) == {Role.RESIDENT}
    assert Person.objects.get(user__username="staff_dongmen").positions.get().unit.name == "东门街道"


def _ledgers_were_played_through_the_services():
    audit = Ledger.objects.get(name="2024年审计整改台账")
    items = Item.objects.filter(ledger=audit)
    assert items.filter(state=ItemState.CLOSED).count() >= 10
    assert items.filter(state=ItemState.IN_PROGRESS).exists()
    # Every item's state matches its last state event: nothing was written around the services.
    for item in Item.objects.all():
        last = ItemEvent.objects.filter(item=item).exclude(to_state="").order_by("at", "id").last()
        assert last.to_state == item.state, item
    interview = Notice.objects.get(level=NoticeLevel.INTERVIEW)
    assert interview.recipient_unit.name == "区住房和建设局"
    assert Notice.objects.filter(recipient_unit=interview.recipient_unit, level=NoticeLevel.RED).count() >= 3
    totals = {row["unit__name"]: row["points"] for row in ItemEvent.objects.unit_totals(2024)}
    assert min(totals, key=totals.get) == "区住房和建设局"


def _reforms_reproduce_the_seed(client):
    """2014–2018 as the second article tells it, counted by the summary page from the records."""
    figures = reform_services.summary(2014, 2018)["total"]
    assert figures == {
        "year": None, "assigned": 11, "assigned_completed": 11, "completion": 100, "key": 38, "micro": 491,
        "scored": 38, "excellent": 10,
    }  # fmt: skip
    client.force_login(User.objects.get(username="office_admin"))
    html = client.get(reverse("reforms:summary")).content.decode()
    assert '<div class="stat">491</div>' in html and "11 项已完成（100%）" in html
    year = timezone.localdate().year
    assert AnnualPlan.objects.get(year=year).state == "approved"
    call = ProposalCall.objects.get(year=year + 1)
    assert call.is_open(timezone.localdate())
    assert set(call.proposals.values_list("state", flat=True)) == {"submitted", "adopted", "merged", "declined"}
    east = next(row for row in appraisal_rows(appraisal_of(year)) if row.unit.name == "东门街道")
    assert any("省级" in label for label, _points in east.bonus_items)
    assert ToleranceCase.objects.get().decision == "exempted"
    pages = [
        reverse("reforms:reform_list"),
        reverse("reforms:plan_detail", args=[year]),
        reverse("reforms:evaluation"),
        reverse("reforms:appraisal_detail", args=[year]),
        reverse("reforms:case_list"),
        reverse("reforms:tolerance_list"),
        reverse("reforms:call_list"),
        reverse("reforms:reform_detail", args=[Reform.objects.filter(year=year).first().pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.logout()
    for url in (reverse("portal:reforms"), reverse("portal:cases"), reverse("portal:calls")):
        assert client.get(url).status_code == 200, url
    assert Case.objects.filter(published_at__isnull=False).exists()


def _campaigns_reproduce_the_seed(client):
    """The 2021 ten campaigns: every report closed, across ten categories and ten streets, the
    figure computed by the statistics page; the running campaign has work in every state."""
    from duban.campaigns.choices import ReportState
    from duban.campaigns.models import Campaign, Report
    from duban.campaigns.stats import figures

    campaign_2021 = Campaign.objects.get(code="2021")
    reports = Report.objects.filter(campaign=campaign_2021)
    assert reports.count() >= campaign_seed.SOLVED_2021
    assert set(reports.values_list("state", flat=True)) == {ReportState.CLOSED}
    assert reports.values("category").distinct().count() == 10
    assert reports.values("street").distinct().count() == 10
    page = client.get(reverse("portal:problem_stats"), {"campaign": campaign_2021.pk})
    assert page.context["figures"].solved == reports.count()
    assert 0.85 < page.context["figures"].on_time_rate / 100 < 0.99
    assert Item.objects.for_subjects(reports).filter(state=ItemState.CLOSED).count() == reports.count()
    running = Campaign.objects.exclude(pk=campaign_2021.pk).get()
    states = set(Report.objects.filter(campaign=running).values_list("state", flat=True))
    assert {ReportState.SUBMITTED, ReportState.ACCEPTED, ReportState.IN_PROGRESS, ReportState.FIXED} <= states
    assert figures(running).exposure[0]["unit"] == "东门街道"
    services = client.get("/open311/v2/services.json").json()
    assert {row["group"] for row in services} == {running.name} and len(services) == 10
    posted = client.post(
        "/open311/v2/requests.json",
        {"api_key": campaign_seed.DEMO_OPEN311_KEY, "service_code": services[0]["service_code"],
         "lat": 22.5530, "long": 114.1215, "description": "演示"},
    )  # fmt: skip
    assert posted.status_code == 201


def _rules_reproduce_the_seed(client):
    """区纪委监委: 11 categories, 60 rules, 27 newly made and 16 revised through its plan, compiled and
    issued; the court's handbook and judicial recommendation reached 200+ enterprises and 3,000+
    practitioners; the rules built because of audit findings are counted at year end — all on
    the summary page, computed from the registry."""
    import datetime as dt

    from duban.ledger.owners import owner_of_model
    from duban.rectification.services import yearend_report, yearend_total
    from duban.reforms.models import LookBack
    from duban.reforms.services import rules_in_effect
    from duban.rules.models import Compilation, RuleAction

    client.force_login(User.objects.get(username="office_admin"))
    rows = {row.unit.name: row for row in client.get(reverse("rules:summary")).context["rows"]}
    discipline = rows["区纪委监委"]
    assert (discipline.categories, discipline.rules, discipline.made, discipline.revised) == (11, 60, 27, 16)
    court = rows["深圳市罗湖区人民法院"]
    assert court.reach.enterprises > 200 and court.reach.practitioners > 3000
    compilation = Compilation.objects.get(title="区纪委监委工作制度汇编")
    assert compilation.state == "issued" and compilation.entries.count() == 60
    assert client.get(reverse("rules:compilation_download", args=[compilation.pk, "docx"])).status_code == 200
    assert yearend_total(yearend_report(2024, dt.date(2024, 12, 31))).rules_built >= 4
    owner = owner_of_model(RuleAction)
    assert all(owner.disagreements(action) == [] for action in RuleAction.objects.all())
    institutionalised = LookBack.objects.get(outcome="institutionalised")
    [rule] = rules_in_effect(institutionalised.reform)
    assert institutionalised.rules == "" and rule.label.endswith("工作规则")
    client.logout()
    assert "黄金珠宝行业企业犯罪风险提示手册" in client.get(reverse("portal:policies") + "?q=黄金").content.decode()


def _fleet_reproduces_the_seed(client):
    """8 platform cars of the 机关车队 lent to the industry and key-project departments, 50+ trips
    back from the road over the demo's months, computed on the utilisation page from the trips."""
    from duban.fleet.models import Booking, Settlement

    client.force_login(User.objects.get(username="dispatcher"))
    figures = client.get(reverse("fleet:utilisation")).context["figures"]
    assert figures.platform_cars == 8 and figures.trips >= 50
    assert "区投资推广和企业服务中心" in {row.label for row in figures.units}
    states = set(Booking.objects.values_list("state", flat=True))
    assert {"settled", "refused", "cancelled", "approved", "dispatched", "pending"} <= states
    assert Settlement.objects.exists()
    assert all(b.events.count() >= 2 for b in Booking.objects.exclude(state="pending"))
    [upkeep] = Item.objects.filter(ledger__kind="fleet")
    assert upkeep.title.startswith("车辆年检：粤B·G0308") and upkeep.state == "assigned"
    client.logout()


def _payments_reproduce_the_seed(client):
    """A year of requests from education, health, civil affairs and two streets: the green channel
    pays faster, computed from the requests; some documents followed on time, some late; 桂园街道's
    green channel was suspended and restored once it caught up."""
    from duban.payments.models import CreditRecord, PaymentRequest, Suspension

    client.force_login(User.objects.get(username="treasury_clerk"))
    page = client.get(reverse("payments:statistics"))
    rep = page.context["rep"]
    green, normal = rep.speeds["green"], rep.speeds["normal"]
    assert green.paid >= 40 and normal.paid >= 20
    assert green.median_days < 1.5 < normal.median_days and rep.speedup >= 3
    assert rep.gaps["on_time"] > rep.gaps["late"] > 0
    [suspension] = Suspension.objects.all()
    assert suspension.unit.name == "桂园街道" and suspension.ended_how == "caught_up"
    assert CreditRecord.objects.filter(unit=suspension.unit).exists()
    assert {"paid", "returned"} <= set(PaymentRequest.objects.values_list("state", flat=True))
    assert "绿色通道" in page.content.decode()
    client.logout()


def _research_reproduces_the_seed(client):
    """This year's call decided by the leading group, bids scored by the pool (one expert sitting out
    her institute's bid), contracts with milestones on the research ledger, one late mid-term report
    with a notice, two projects graded and their results adopted into a reform and a rule."""
    from duban.ledger.models import Notice
    from duban.research.models import Adoption, Panel, PanelMember, Project, Score, Topic

    assert Topic.objects.filter(state="approved").count() == 6 and Topic.objects.filter(state="not_approved").exists()
    assert set(Project.objects.values_list("selection", flat=True)) == {"open", "invitation", "direct"}
    recused = [m for m in PanelMember.objects.filter(panel__stage="selection") if m.unit and m.unit.kind == "external"
               and Score.objects.filter(member=m).count() < 4 * m.panel.project.bids.count()]  # fmt: skip
    assert recused, "an expert from an applicant sits out its bid"
    assert sorted(Project.objects.filter(state="accepted").values_list("grade", flat=True)) == ["excellent", "good"]
    assert {a.kind for a in Adoption.objects.all()} == {"reform", "rule"}
    from duban.core.derived import built_from

    reform = Adoption.objects.get(kind="reform").target
    assert any("课题成果" in b.label or "Research result" in b.label for b in built_from([reform])[reform.pk])
    late = Item.objects.filter(ledger__kind="research", state="assigned", title__endswith="中期检查")
    assert Notice.objects.filter(item__in=late, level="blue").exists()
    assert Panel.objects.filter(stage="final", grade="excellent").exists()
    client.force_login(User.objects.get(username="research_staff"))
    assert client.get(reverse("research:money")).context["money"].total[2] > 0
    client.logout()


def _renewal_reproduces_the_seed(client):
    """A dozen renewal projects; mediation cases settled, ended and in progress (one past its period
    with a reminder, one old estate past the consent threshold referred to expropriation); the
    supervised funds released over the years add up to the seed's ¥690 million."""
    from decimal import Decimal

    from duban.ledger.models import Notice
    from duban.renewal.models import MediationCase, Project, Release

    assert Project.objects.count() >= 10 and Project.objects.values("street").distinct().count() >= 8
    states = set(MediationCase.objects.values_list("state", flat=True))
    assert {"archived", "settled", "mediating", "applied", "declined"} <= states
    assert MediationCase.objects.filter(referral="expropriation").exists()
    overdue = [c for c in MediationCase.objects.filter(state="mediating") if c.overdue()]
    assert len(overdue) == 1
    assert Notice.objects.filter(item__in=Item.objects.filter(ledger__kind="renewal", state__in=["assigned",
                                 "acknowledged", "in_progress"]), level="blue").exists()  # fmt: skip
    years = set(Release.objects.filter(state="released").values_list("released_on__year", flat=True))
    assert len(years) >= 4
    client.force_login(User.objects.get(username="renewal_officer"))
    page = client.get(reverse("renewal:funds"))
    assert page.context["totals"][2] == Decimal("690000000.00")
    assert "690,000,000.00" in page.content.decode()
    quarters = client.get(reverse("renewal:statistics")).context["quarters"]
    assert quarters[-1].settled > quarters[-1].terminated > 0
    client.logout()


def _contracts_reproduce_the_seed(client):
    """The 29 analysed contracts and their common gaps; the template issued after the legality review
    returned it once; contracts on it with nodes on time, early and late, one late node still open on
    the ledger, and a settled contract on a contractor's record."""
    from duban.contracts import services as contract_services
    from duban.contracts.models import AnalysedContract, Contract, ContractEvent, KeyNode

    assert AnalysedContract.objects.count() == 29
    gaps = {clause.code for clause, _missing in contract_services.matrix().gaps()}
    assert {"key_nodes", "schedule_bonus"} <= gaps
    assert ContractEvent.objects.filter(code="contracts.version.returned").exists()
    assert KeyNode.objects.filter(days__gt=0).exists() and KeyNode.objects.filter(days__lt=0).exists()
    open_late = Item.objects.filter(ledger__kind="contract", state="in_progress", deadline__lt=timezone.localdate())
    assert open_late.exists()
    settled = Contract.objects.get(state="settled")
    assert contract_services.settlement(settled).net != 0
    client.force_login(User.objects.get(username="builder"))
    page = client.get(reverse("contracts:contractor_detail", args=[settled.contractor_id]))
    assert page.status_code == 200 and len(page.context["rows"]) == 2
    client.logout()


def _cockpit_and_bulletins_show_the_ledger(client):
    """The secretary's cockpit covers the district, its red lights equal the list behind them; last
    month's bulletin is issued with its number and the units it names got the 通报 step."""
    from duban.bulletins.models import Bulletin
    from duban.ledger.models import Notice

    client.force_login(User.objects.get(username="secretary"))
    page = client.get(reverse("cockpit:home"))
    assert page.status_code == 200 and page.context["scope"].district
    figures = page.context["figures"]
    assert figures.open_total == Item.objects.open().count()
    red = figures.light_totals["red"]
    assert client.get(red.url).context["page"].paginator.count == red.n
    issued = Bulletin.objects.get(state="issued")
    assert issued.number.startswith("罗督通〔") and issued.figures["totals"]["finished"] > 0
    stepped = Notice.objects.filter(level="public_notice", auto_key=f"bulletin:{issued.pk}")
    assert stepped.exists() == bool(issued.figures["named"])
    assert Bulletin.objects.filter(state="draft", cadence="weekly").exists()
    client.logout()


def test_the_demo_district(rf, client, monkeypatch):
    # The full 21,300 take minutes to play through; the mechanism is the same at a tenth of it.
    monkeypatch.setattr(campaign_seed, "SOLVED_2021", 2000)
    monkeypatch.delenv("DUBAN_DEMO_OPEN311_KEY", raising=False)
    call_command("demo", stdout=open("/dev/null", "w"))

    _organisation_is_real_luohu()
    _one_login_per_persona(rf)
    _ledgers_were_played_through_the_services()
    _reforms_reproduce_the_seed(client)
    _campaigns_reproduce_the_seed(client)
    _rules_reproduce_the_seed(client)
    _fleet_reproduces_the_seed(client)
    _payments_reproduce_the_seed(client)
    _research_reproduces_the_seed(client)
    _renewal_reproduces_the_seed(client)
    _contracts_reproduce_the_seed(client)
    _cockpit_and_bulletins_show_the_ledger(client)

    counts = (Unit.objects.count(), Person.objects.count(), Item.objects.count(), ItemEvent.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))
    assert (Unit.objects.count(), Person.objects.count(), Item.objects.count(), ItemEvent.objects.count()) == counts
