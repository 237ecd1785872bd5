"""The demo's construction contracts, played through the contracts services: 区建筑工务署 and 区司法局
analysed 29 construction contracts of city and district works agencies and of central and local
state-owned enterprises (fictional projects) against the clause checklist; the district template with
the key-node and schedule-reward clauses went through the legality review (returned once) and was
issued; district projects signed on it have nodes met on time, early and late, quarterly ratings,
and one contract is settled, so a contractor's record across contracts shows. Dates are counted
back from today."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

import openpyxl
from django.utils import timezone

from duban.contracts import services
from duban.contracts.choices import STANDARD_CRITERIA, STANDARD_NODES
from duban.contracts.models import ClauseItem, Contractor, ContractsSettings, Template
from duban.core.workdays import on_day
from duban.demo.fleet_seed import _login
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole, UnitKind
from duban.orgs.models import Person, Unit, User

STAFF = ["慕容海峰", "令狐雅琴", "西门志成", "独孤晓岚", "长孙浩然"]
# The 29 analysed: owner kind, owner, how many
OWNERS = [
    ("city_works", "深圳市建筑工务署", 8),
    ("district_works", "罗湖区建筑工务署", 9),
    ("central_soe", "中建某局深圳分公司", 6),
    ("local_soe", "深圳市某国有投资集团", 6),
]
KIND_WORDS = {
    "city_works": "市建筑工务署",
    "district_works": "区建筑工务署",
    "central_soe": "央企",
    "local_soe": "国企",
}
# how often each checklist clause was found in those contracts
PRESENCE = {
    "key_nodes": 0.1,
    "schedule_bonus": 0.0,
    "delay_damages": 0.9,
    "acceleration": 0.4,
    "suspension": 0.85,
    "price_adjustment": 0.7,
    "variation": 0.95,
    "progress_payment": 1.0,
    "settlement_deadline": 0.45,
    "performance_rating": 0.2,
    "dispute": 1.0,
}
KINDS = [
    "学校改扩建工程",
    "社区健康服务中心新建工程",
    "道路综合提升工程",
    "保障性住房项目",
    "公园改造工程",
    "河道综合整治工程",
    "党群服务中心改造工程",
    "体育中心修缮工程",
]
PLACES = ["翠竹", "东门", "黄贝", "莲塘", "清水河", "笋岗", "南湖", "东晓", "东湖", "桂园"]
CONTRACTORS = ["深圳市鹏城建设集团有限公司", "深圳市罗湖建筑工程有限公司", "深圳市梧桐山市政工程有限公司"]
# project, contractor, days ago it started, days early (+) or late (−) at each node reached
PROJECTS = [
    ("东门街道社区健康服务中心新建工程", 0, 520, [0, 3, -6, 2, 0]),
    ("翠竹外国语实验学校改扩建工程", 0, 330, [0, 4, -12]),
    ("莲塘街道党群服务中心改造工程", 1, 200, [0, 2]),
    ("清水河片区道路综合提升工程", 2, 100, [-5]),
]
SPACING = [0, 90, 200, 300, 380]  # days from commencement to each key node


class Play:
    def __init__(self, rng: random.Random, agency: Unit, staff: User, head: User, reviewer: User) -> None:
        self.rng, self.agency, self.staff, self.head, self.reviewer = rng, agency, staff, head, reviewer
        self.today = timezone.localdate()

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int = 10) -> dt.datetime:
        return on_day(self.day(days_ago), hour)

    def analysis(self) -> None:
        """The 29 come in as the agency keeps them: a workbook with a title row, one row per contract
        and a ✓/✗ column per checklist clause, imported through the analysis's own import."""
        services.standard_checklist()
        clauses = list(ClauseItem.objects.order_by("sort_order"))
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["罗湖区建设工程施工合同条款分析台账"])
        sheet.append(["项目名称", "建设单位类型", "建设单位", "施工单位", "合同金额（元）", "开工日期", "竣工日期",
                      "延误天数", "竣工至结算天数", "存在问题", *[c.name for c in clauses]])  # fmt: skip
        n = 0
        for kind, owner, count in OWNERS:
            for _i in range(count):
                n += 1
                start = self.day(1800 - 45 * n)
                delay = self.rng.choice([0, 0, 30, 60, 90, 120, 180])
                present = {c.code for c in clauses if self.rng.random() < PRESENCE[c.code]}
                notes = (
                    "关键节点无约束，工期延误责任难界定；结算久拖不决"
                    if delay >= 90
                    else ("工期延误，缺少误期赔偿约定" if delay and "delay_damages" not in present else "")
                )
                sheet.append([
                    f"{self.rng.choice(PLACES)}{self.rng.choice(KINDS)}（{n}）", KIND_WORDS[kind], owner,
                    self.rng.choice(CONTRACTORS), self.rng.randrange(20, 900) * 100000, start,
                    start + dt.timedelta(days=self.rng.randrange(300, 900)), delay, self.rng.randrange(60, 540),
                    notes, *["✓" if c.code in present else "✗" for c in clauses],
                ])  # fmt: skip
        data = io.BytesIO()
        book.save(data)
        services.analysed_import(actor=self.staff, data=data.getvalue(), name="合同条款分析台账.xlsx", at=self.at(420))

    def template(self):
        template = Template.objects.create(name="罗湖区建设工程施工合同（示范文本）")
        version = services.version_draft(
            actor=self.staff,
            template=template,
            at=self.at(620),
            agreement="发包人与承包人根据《中华人民共和国民法典》《中华人民共和国建筑法》及有关法律规定，就本工程施工事项协商一致，订立本合同。",
            general_terms="通用条款采用《建设工程施工合同（示范文本）》（GF-2017-0201）通用合同条款。",
            special_terms="专用条款：本合同增设关键节点工期要求及履约评价与工期奖罚挂钩条款，优先于通用条款适用。",
            reward_per_day=Decimal("5000"),
            penalty_per_day=Decimal("5000"),
            reward_cap_percent=Decimal("2"),
            penalty_cap_percent=Decimal("5"),
            criteria=[list(c) for c in STANDARD_CRITERIA],
            nodes=[list(n) for n in STANDARD_NODES],
        )
        services.version_step(actor=self.staff, version=version, code="submit", at=self.at(610))
        version = services.version_step(
            actor=self.reviewer,
            version=version,
            code="return",
            at=self.at(595),
            reason="违约金每日标准应与奖励标准区分，建议按延误危害程度适当提高。",
        )
        version = services.version_save(
            actor=self.staff, version=version, penalty_per_day=Decimal("8000"), at=self.at(585)
        )
        services.version_step(actor=self.staff, version=version, code="submit", at=self.at(582))
        return services.version_step(actor=self.reviewer, version=version, code="issue", at=self.at(570))

    def contracts(self, version) -> None:
        for n, (project, who, started, offsets) in enumerate(PROJECTS, start=1):
            start = self.day(started)
            planned = [start + dt.timedelta(days=d) for d in SPACING]
            contract = services.contract_sign(
                actor=self.staff,
                version=version,
                number=f"罗工合〔{start.year}〕{n:02d}号",
                project=project,
                owner=self.agency,
                contractor=CONTRACTORS[who],
                amount=Decimal(self.rng.randrange(30, 180)) * 1000000,
                starts_on=start,
                ends_on=planned[3],
                planned=planned,
                at=self.at(started + 15),
            )
            for node, early in zip(contract.nodes.order_by("order"), offsets, strict=False):
                actual = node.planned_on - dt.timedelta(days=early)
                services.node_record(actor=self.staff, node=node, actual_on=actual, at=on_day(actual, 17))
            self.ratings(contract, start)

    def ratings(self, contract, start: dt.date) -> None:
        quarter_start = dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
        while True:
            quarter = (quarter_start.month - 1) // 3 + 1
            end = services.quarter_end(quarter_start.year, quarter)
            if end + dt.timedelta(days=10) > self.today:
                break
            scored = on_day(end + dt.timedelta(days=5))
            scores = {
                "quality": self.rng.randrange(78, 96),
                "safety": self.rng.randrange(80, 98),
                "management": self.rng.randrange(75, 95),
            }
            rating = services.rating_record(
                actor=self.staff, contract=contract, year=quarter_start.year, quarter=quarter, scores=scores, at=scored
            )
            services.rating_approve(actor=self.head, rating=rating, at=scored + dt.timedelta(days=3))
            quarter_start = end + dt.timedelta(days=1)


def seed_contracts(rng: random.Random, logins: dict[str, User]) -> None:
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    agency = org_services.unit_create(
        actor=None, parent=district, name="区建筑工务署", kind=UnitKind.DEPARTMENT, short_name="区工务署"
    )
    justice = Unit.objects.get(short_name="区司法局")
    names = iter(name for name in STAFF if not Person.objects.filter(name=name).exists())

    def person(unit: Unit, role: str, title: str) -> Person:
        found = org_services.person_create(actor=None, name=next(names), mobile=f"135{rng.randrange(10**8):08d}")
        org_services.position_assign(actor=None, person=found, unit=unit, role=role, title=title)
        return found

    head = _login(person(agency, PositionRole.HEAD, "署长"), "works_head")
    staff = _login(person(agency, PositionRole.STAFF, "工程管理科科员"), "works_staff")
    reviewer = _login(person(justice, PositionRole.STAFF, "法制审核科科员"), "justice_reviewer")
    ContractsSettings.objects.create(agency=agency, justice=justice)
    body = org_services.unit_create(actor=None, parent=None, name=CONTRACTORS[0], kind=UnitKind.EXTERNAL)
    _login(person(body, PositionRole.STAFF, "项目经理"), "builder")
    play = Play(rng, agency, staff, head, reviewer)
    play.analysis()
    play.contracts(play.template())
    Contractor.objects.filter(name=CONTRACTORS[0]).update(unit=body)
    settled = Contractor.objects.get(name=CONTRACTORS[0]).contracts.order_by("starts_on").first()
    services.contract_settle(actor=staff, contract=settled, at=play.at(20))
    rating = settled.ratings.order_by("year", "quarter").last()
    services.rating_answer(
        actor=None,
        rating=rating,
        answer="对工期履约评分无异议，主体封顶延误系设计变更所致，已按程序报送。",
        at=play.at(18),
    )
