"""The demo's commissioned research (委托课题), played through the research services: 区发展研究中心
opens this year's call; departments and streets propose topics (two from the reform portfolio); the
review leading group approves six and declines the rest; the guide is published; four projects go
to open call and one to an invitation, one is commissioned directly; experts from the pool score
the bids (one sits out the bid of the institute she works at); contracts are signed with their
milestones; two projects are graded at their final review (优秀, 良好) and their reports shared, then
adopted into a reform and a rule; one project's mid-term report is late and has had a reminder."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from duban.core.workdays import on_day
from duban.ledger.services import notice_issue
from duban.orgs import services as org_services
from duban.orgs.choices import AccountType, PositionRole, UnitKind
from duban.orgs.models import Person, Unit, User
from duban.reforms.models import Reform
from duban.research import services
from duban.research.models import Project, ResearchSettings
from duban.rules.models import Rule

PASSWORD = "luohu-demo-2024"  # noqa: S105 - the demo's one password (duban.demo.seed.DEMO_PASSWORD)
PDF = b"%PDF-1.4\n% demo research document\n"
NAMES = (
    "欧阳雪晴 司徒明远 慕容清扬 端木子涵 皇甫嘉怡 诸葛思源 东方若琳 公孙志远 南宫静怡 上官瑞霖 夏侯晨曦 宇文昊天"
).split()

# proposing unit (short name), title, why, questions, expected use, budget (10,000 yuan), source
TOPICS = [
    ("区委改革办", "罗湖区改革项目“回头看”评估机制研究", "改革成效缺少持续跟踪",
     "如何建立改革项目实施后评估与制度化机制", "形成改革评估工作指引", 30, "reform"),
    ("区发展改革局", "罗湖区消费中心建设路径研究", "国际消费中心城市核心区建设需要抓手",
     "罗湖消费提质扩容的重点片区与政策工具", "供区委区政府决策参考", 35, "unit"),
    ("区城市更新局", "城市更新项目搬迁纠纷多元化解机制研究", "搬迁纠纷拖慢项目", "行政调解在城市更新各阶段的适用与衔接",
     "完善行政调解程序指引", 25, "reform"),
    ("区教育局", "学位供给与人口变化预测研究", "学位需求波动大", "未来五年各片区学位需求预测",
     "指导学校建设规划", 20, "unit"),
    ("区民政局", "居家社区养老服务供给评估研究", "长者服务需求增长", "长者饭堂与居家养老服务的覆盖与质量",
     "优化养老服务布局", 18, "unit"),
    ("东门街道", "老旧小区改造居民参与机制研究", "改造中居民意见分歧大", "如何建立议事协商与共建共治机制",
     "形成街道工作指引", 12, "unit"),
    ("桂园街道", "“民生微实事”项目绩效评价研究", "项目分散、成效难评", "微实事项目绩效指标体系",
     "完善微实事管理办法", 10, "unit"),
    ("区卫健局", "社区健康服务中心服务能力提升研究", "基层首诊率不高", "社康机构服务能力短板与提升路径",
     "指导社康机构建设", 15, "unit"),
    ("翠竹街道", "街道综合执法协同机制研究", "多头执法效率低", "街道综合执法与部门协同的边界",
     "完善协同机制", 10, "unit"),
]  # fmt: skip
# the leading group's decision: title prefix → (kind, cap in 10,000 yuan); the rest are declined
APPROVE = {"罗湖区改革项目": ("key", 28), "罗湖区消费中心": ("key", 32), "城市更新项目": ("special", 22),
           "学位供给": ("special", 18), "老旧小区": ("general", 10), "“民生微实事”": ("general", 8)}  # fmt: skip
# research bodies outside the district (applicants) and where the pool's experts work
BODIES = [
    "综合开发研究院（中国·深圳）",
    "深圳大学城市治理研究院",
    "哈尔滨工业大学（深圳）公共管理学院",
    "深圳市城市规划设计研究院",
]
EXPERT_BODIES = ["深圳大学城市治理研究院", "鹏城公共政策评估中心", "深圳市社会科学院", "中山大学粤港澳发展研究院"]


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def report(text: str) -> SimpleUploadedFile:
    import io

    from docx import Document

    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile("研究报告.docx", buffer.getvalue())


class Cast:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names = iter(name for name in NAMES if not Person.objects.filter(name=name).exists())

    def person(self, unit: Unit, role: str, title: str) -> Person:
        person = org_services.person_create(
            actor=None, name=next(self.names), mobile=f"135{self.rng.randrange(10**8):08d}"
        )
        org_services.position_assign(actor=None, person=person, unit=unit, role=role, title=title)
        return person

    def login(self, person: Person, username: str, **flags) -> User:
        if getattr(person, "user", None) is not None:
            return person.user
        return org_services.official_account_create(actor=None, person=person, username=username, password=PASSWORD,
                                                    **flags)  # fmt: skip


def _unit(name: str) -> Unit:
    return Unit.objects.filter(short_name=name).first() or Unit.objects.get(name=name)


def _external(name: str) -> Unit:
    found = Unit.objects.filter(name=name, kind=UnitKind.EXTERNAL).first()
    return found or org_services.unit_create(actor=None, parent=None, name=name, kind=UnitKind.EXTERNAL)


def seed_research(rng: random.Random, logins: dict[str, User]) -> None:
    cast = Cast(rng)
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    centre = org_services.unit_create(actor=None, parent=district, name="区发展研究中心", kind=UnitKind.DEPARTMENT)
    director = cast.person(centre, PositionRole.HEAD, "主任")
    staff = cast.login(cast.person(centre, PositionRole.STAFF, "研究员"), "research_staff")
    leader = Person.objects.get(portfolios__title="常务副区长", portfolios__ended_on__isnull=True)
    reform_head = _unit("区委改革办").positions.current().filter(role=PositionRole.HEAD).first().person
    settings = ResearchSettings.objects.create(centre=centre)
    settings.group.set([leader, director, reform_head])
    bodies = [_external(name) for name in BODIES]
    applicants = [cast.login(cast.person(body, PositionRole.STAFF, "研究员"), f"applicant{n + 1}",
                             account_type=AccountType.EXTERNAL) for n, body in enumerate(bodies)]  # fmt: skip
    experts = [logins.get("expert") or User.objects.get(username="expert")]
    for n, name in enumerate(EXPERT_BODIES):
        body = _external(name)
        if name == "鹏城公共政策评估中心":
            continue  # the fixed expert persona works there
        experts.append(cast.login(cast.person(body, PositionRole.STAFF, "研究员"), f"expert{n + 2}", is_expert=True,
                                  account_type=AccountType.EXTERNAL))  # fmt: skip
    Play(rng, staff, applicants, bodies, experts, [leader, director, reform_head]).run()


class Play:
    """The call opened some eleven months ago; every step at its own moment since (`day(n)`: n days
    after the call opened), so the demo reads the same whatever day it is built."""

    def __init__(self, rng, staff, applicants, bodies, experts, group) -> None:
        self.rng, self.staff, self.applicants, self.bodies, self.experts, self.group = (
            rng, staff, applicants, bodies, experts, group)  # fmt: skip
        self.today = timezone.localdate()
        self.base = self.today - dt.timedelta(days=330)

    def day(self, n: int) -> dt.date:
        return self.base + dt.timedelta(days=n)

    def at(self, n: int, hour: int = 10) -> dt.datetime:
        return on_day(self.day(n), hour)

    def run(self) -> None:
        year = self.base.year
        call = services.call_open(actor=self.staff, year=year, title=f"{year}年度区委托课题选题征集",
                                  closes_on=self.day(45),
                                  guide_intro="围绕区委区政府中心工作和重大改革任务开展前瞻性研究。")  # fmt: skip
        reforms = list(Reform.objects.order_by("-year", "pk")[:3])
        topics = []
        for n, (unit_name, title, why, questions, use, budget, source) in enumerate(TOPICS):
            unit = _unit(unit_name)
            record = reforms[n % len(reforms)] if source == "reform" and reforms else None
            topics.append(services.topic_propose(
                actor=self._login_for(unit), call=call, unit=unit, title=title, why=why, questions=questions,
                expected_use=use, budget=Decimal(budget * 10000), source=source if record else "unit",
                source_record=record, at=self.at(5 + 2 * n),
            ))  # fmt: skip
        services.call_step(actor=self.staff, call=call, code="close", at=self.at(47))
        approved, declined = {}, {}
        for topic in topics:
            match = next((v for k, v in APPROVE.items() if topic.title.startswith(k)), None)
            if match:
                approved[topic] = (match[0], Decimal(match[1] * 10000))
            else:
                declined[topic] = "与往年课题重复或宜由部门自行研究"
        services.decision_record(actor=self.staff, call=call, held_on=self.day(55), present=self.group,
                                 approved=approved, declined=declined, at=self.at(55, 15),
                                 minutes="评审领导小组会议审定年度委托课题，确定6项立项。")  # fmt: skip
        services.call_step(actor=self.staff, call=call, code="publish", at=self.at(57))
        projects = list(Project.objects.filter(topic__call=call).order_by("pk"))
        for n, project in enumerate(projects):
            self.award(project, n)
        # two projects finished, graded at their final review, shared and adopted
        for project, marks in [(projects[0], (88, 90, 93)), (projects[1], (82, 84, 86))]:
            self.research(project, marks, signed=100, due=(135, 200, 270))
        self.research(projects[2], (85,), signed=100, due=(135, 250, 400))  # the mid-term report is late
        for project in projects[3:]:
            self.research(project, (), signed=320, due=(345, 420, 500))
        self.share(projects[0], adopt="reform")
        self.share(projects[1], adopt="rule")

    def _login_for(self, unit: Unit) -> User:
        posted = unit.positions.current().filter(person__user__isnull=False).select_related("person__user").first()
        if posted is not None:
            return posted.person.user
        person = unit.positions.current().order_by("pk").first().person
        return org_services.official_account_create(actor=None, person=person, username=f"research_u{unit.pk}",
                                                    password=PASSWORD)  # fmt: skip

    def award(self, project: Project, n: int) -> None:
        selection = "direct" if n == 5 else "invitation" if n == 4 else "open"
        invited = {"direct": self.bodies[3:4], "invitation": self.bodies[1:3]}.get(selection, [])
        services.project_setup(actor=self.staff, project=project, selection=selection, invited=invited,
                               bids_until=None if selection == "direct" else self.day(85))  # fmt: skip
        if selection == "direct":
            services.project_choose(actor=self.staff, project=project, at=self.at(90))
            return
        bidders = [i for i in range(len(self.bodies)) if selection == "open" or self.bodies[i] in invited][:3]
        bids = []
        for order, i in enumerate(bidders):
            price = project.budget_cap * Decimal(self.rng.choice(["0.92", "0.96", "1.00"]))
            bids.append(services.bid_submit(actor=self.applicants[i], project=project, applicant=self.bodies[i],
                                            price=price.quantize(Decimal(1)),
                                            lead_researcher=f"课题组负责人{order + 1}",
                                            summary="文献研究、问卷调查与深度访谈相结合，比较借鉴先进地区经验。",
                                            upload=pdf("申报书.pdf"), at=self.at(75 + order)))  # fmt: skip
        panel = services.panel_open(actor=self.staff, project=project, stage="selection", experts=self.experts,
                                    at=self.at(88))  # fmt: skip
        for expert in self.experts:
            member = panel.members.get(user=expert)
            for rank, bid in enumerate(bids):
                if services.conflicted(member, bid.applicant):
                    continue  # she works at this institute: she sits out its bid
                mark = 90 - 6 * ((rank + n) % len(bids)) + self.rng.randrange(-2, 3)
                services.score_submit(actor=expert, panel=panel, entry=bid.pk, scores={
                    "relevance": mark, "method": mark - 1, "team": mark + 1, "budget": mark})  # fmt: skip
        services.panel_publish(actor=self.staff, panel=panel, at=self.at(90))
        services.project_choose(actor=self.staff, project=project, at=self.at(91))

    def research(self, project: Project, marks: tuple, *, signed: int, due: tuple[int, int, int]) -> None:
        project.refresh_from_db()
        amount = (project.budget_cap * Decimal("0.95")).quantize(Decimal(100))
        first, second = (amount * Decimal("0.4")).quantize(Decimal(1)), (amount * Decimal("0.3")).quantize(Decimal(1))
        contract = services.contract_sign(
            actor=self.staff, project=project, number=f"罗发研合〔{self.base.year}〕{project.pk}号", amount=amount,
            signed_on=self.day(signed), deliverables="研究报告一份（3万字以上）、政策建议专报一份、调研数据库一套",
            due=dict(zip(("opening", "midterm", "final"), (self.day(d) for d in due), strict=True)),
            instalments={"opening": first, "midterm": second, "final": amount - first - second},
            at=self.at(signed, 16),
        )  # fmt: skip
        for stage, mark in zip(("opening", "midterm", "final"), marks, strict=False):
            milestone = contract.milestones.get(stage=stage)
            delivered = on_day(milestone.due_on - dt.timedelta(days=self.rng.randrange(1, 4)), 10)
            services.milestone_deliver(actor=self.staff, milestone=milestone, at=delivered)
            panel = services.panel_open(actor=self.staff, project=project, stage=stage, experts=self.experts[1:],
                                        at=delivered + dt.timedelta(days=3))  # fmt: skip
            for expert in self.experts[1:]:
                if services.conflicted(panel.members.get(user=expert), project.contractor):
                    continue  # an expert of the contractor does not grade its work
                spread = self.rng.randrange(-2, 3)
                services.score_submit(actor=expert, panel=panel, entry=project.pk, scores={
                    "quality": mark + spread, "use": mark, "form": mark - spread})  # fmt: skip
            services.panel_publish(actor=self.staff, panel=panel, at=delivered + dt.timedelta(days=5))
            paid = delivered + dt.timedelta(days=12)
            services.instalment_pay(actor=self.staff, instalment=milestone.instalment, paid_on=paid.date(),
                                    voucher=f"YJ{self.base.year}-{milestone.pk:04d}", at=paid)  # fmt: skip
        midterm = contract.milestones.get(stage="midterm")
        if len(marks) == 1 and midterm.due_on < self.today:  # the mid-term report is late: a reminder
            notice_issue(actor=None, item=services.item_of(midterm), level="blue",
                         reason="中期报告逾期未提交，请督促承担单位尽快提交。",
                         at=on_day(midterm.due_on + dt.timedelta(days=3)))  # fmt: skip

    def share(self, project: Project, *, adopt: str) -> None:
        project.refresh_from_db()
        result = services.result_share(
            actor=self.staff, project=project, title=f"{project.title}报告", visibility="public", at=self.at(285),
            abstract=f"{project.topic.questions}。报告提出分阶段推进的对策建议。",
            upload=report(f"{project.title}\n一、研究背景\n二、问题分析\n三、对策建议"),
        )  # fmt: skip
        services.instruction_add(actor=self.staff, result=result, leader=self.group[0], given_on=self.day(290),
                                 text="研究成果很有价值，请相关单位认真研究吸收。", at=self.at(290))  # fmt: skip
        if adopt == "reform":
            target = Reform.objects.order_by("-year", "pk").first()
        else:
            target = Rule.objects.filter(status="in_force").order_by("pk").first()
        services.adoption_add(actor=self.staff, result=result, kind=adopt, target=target, adopted_on=self.day(300),
                              at=self.at(300))  # fmt: skip
