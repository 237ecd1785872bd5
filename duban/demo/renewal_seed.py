"""The demo's urban renewal (城市更新), played through the renewal services: 区城市更新和土地整备局 runs a
dozen renewal projects across the streets (real street and community names, fictional projects and
people). Disputes that stall them go to administrative mediation under the bureau's procedure:
most settle with a signed agreement, some end without one and are referred on, one old residential
estate past the consent threshold is referred to expropriation, a few are in progress (one past its
period, with a reminder). Each project's supervised funds are released against its milestones over
several years, early against bank guarantees where the measures allow; the dashboard's total
released (the seed's ¥690 million) is the sum of those releases. Dates are counted back from today,
so the demo reads the same whatever day it is built."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from duban.core.workdays import add_working_days, on_day
from duban.demo.fleet_seed import _login
from duban.ledger.services import notice_issue
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole
from duban.orgs.models import Person, Unit, User
from duban.renewal import services
from duban.renewal.choices import STAGE_ORDER, BureauRole
from duban.renewal.models import BureauPost, Project, RenewalSettings

PDF = b"%PDF-1.4\n% demo scan\n"
M = Decimal(1_000_000)
STAFF = ["欧阳振邦", "司徒慧琳", "上官志远", "诸葛明轩", "东方嘉禾", "皇甫思齐"]
SURNAMES = "陈林黄张李王吴刘蔡杨郑谢许罗邱何叶赖周曾"
GIVEN = [
    "志强",
    "淑芬",
    "伟明",
    "秀英",
    "国华",
    "丽娟",
    "建新",
    "美玲",
    "家豪",
    "佩仪",
    "锦荣",
    "慧敏",
    "永康",
    "玉珍",
    "振华",
    "碧霞",
    "嘉怡",
    "少明",
    "桂兰",
    "树森",
]
# name, street, community, kind, developer, stage, owners' households, share signed
PROJECTS = [
    ("湖贝片区城市更新单元", "东门街道", "湖贝社区", "demolition", "深圳市湖贝城市更新有限公司", "building", 80, 1),
    (
        "木头龙小区旧住宅区改造项目",
        "翠竹街道",
        "木头龙社区",
        "old_estate",
        "深圳市翠竹安居发展有限公司",
        "building",
        90,
        1,
    ),
    ("二线插花地棚户区改造项目", "东晓街道", "木棉岭社区", "shanty", "深圳市人才安居集团罗湖公司", "return", 70, 1),
    ("大望村城市更新单元", "东湖街道", "大望社区", "demolition", "深圳市大望实业发展有限公司", "return", 40, 1),
    ("水贝珠宝片区城市更新单元", "翠竹街道", "水贝社区", "demolition", "深圳市水贝城市更新有限公司", "building", 50, 1),
    ("松园片区城市更新单元", "桂园街道", "松园社区", "demolition", "深圳市桂园置业有限公司", "demolition", 60, 1),
    ("罗芳村城市更新单元", "黄贝街道", "罗芳社区", "demolition", "深圳市罗芳股份合作公司", "signing", 60, 0.85),
    (
        "鹏兴花园旧住宅区改造项目",
        "莲塘街道",
        "鹏兴社区",
        "old_estate",
        "深圳市莲塘城市发展有限公司",
        "signing",
        50,
        0.96,
    ),
    ("田贝四村城市更新单元", "笋岗街道", "田贝社区", "demolition", "深圳市田贝实业有限公司", "signing", 45, 0.7),
    ("向西村综合整治项目", "南湖街道", "向西社区", "refurbish", "深圳市南湖物业发展有限公司", "building", 30, 1),
    ("草埔西片区城市更新单元", "东晓街道", "草埔西社区", "demolition", "深圳市东晓城市更新有限公司", "planning", 0, 0),
    ("清水河物流园城市更新单元", "清水河街道", "清水河社区", "demolition", "深圳市清水河投资有限公司", "plan", 0, 0),
]


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class Play:
    def __init__(self, rng: random.Random, officers: list[User], mediator: User, head: User, district: User) -> None:
        self.rng, self.officers, self.head, self.district = rng, officers, head, district
        self.mediators = [officers[0].person, mediator.person]
        self.today = timezone.localdate()

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int = 10) -> dt.datetime:
        return on_day(self.day(days_ago), hour)

    def officer(self, n: int = 0) -> User:
        return self.officers[n % len(self.officers)]

    # projects

    def projects(self) -> dict[str, Project]:
        found = {}
        for n, (name, street, community, kind, developer, stage, owners, share) in enumerate(PROJECTS):
            start = 2400 - n * 60
            project = services.project_register(
                actor=self.officer(),
                name=name,
                street=Unit.objects.get(name=street),
                community=community,
                kind=kind,
                developer=developer,
                area=Decimal(self.rng.randrange(20_000, 180_000)),
                at=self.at(start),
            )
            rows = [self.household(f"{1 + i // 8}栋{101 + (i % 8) * 100}", "owner") for i in range(owners)]
            rows += [self.household(f"{1 + i}栋101", "tenant") for i in range(owners // 10)]
            if rows:
                services.households_add(actor=self.officer(), project=project, rows=rows, at=self.at(start - 20))
            for step in range(STAGE_ORDER.index(stage)):
                moved = start - 30 - 200 * (step + 1)
                project = services.project_advance(actor=self.officer(), project=project, at=self.at(moved))
                if STAGE_ORDER[step + 1] == "signing" and owners:
                    self.sign(project, share, moved - 10)
            found[name] = project
        return found

    def household(self, label: str, kind: str) -> dict:
        name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
        phone = f"13{self.rng.randrange(5, 10)}{self.rng.randrange(10**8):08d}"
        area = f"{self.rng.randrange(4500, 12000) / 100:.2f}"
        return {"label": label, "kind": kind, "name": name, "phone": phone, "area": area}

    def sign(self, project: Project, share: float, days_ago: int) -> None:
        """Owners sign month by month: most early, the last ones slowly."""
        owners = list(project.households.filter(kind="owner").order_by("pk"))
        signing = owners[: round(len(owners) * share)]
        for month, batch in enumerate(
            (
                signing[: len(signing) // 2],
                signing[len(signing) // 2 : len(signing) * 5 // 6],
                signing[len(signing) * 5 // 6 :],
            )
        ):
            if batch:
                on = self.day(max(days_ago - 30 * month, 1))
                services.households_sign(
                    actor=self.officer(), project=project, households=batch, signed_on=on, at=on_day(on, 16)
                )

    # mediation

    def case(self, project: Project, claim_type: str, claim: str, days_ago: int, *, n: int, outcome: str, extra=None):
        """A case applied for `days_ago` days ago, played to `outcome`."""
        owner = project.households.filter(kind="owner", signed_on__isnull=True).order_by("pk").first()
        owner = owner or project.households.filter(kind="owner").order_by("-pk")[n % 5]
        consented = None if outcome == "declined" or outcome == "applied" else self.day(days_ago)
        case = services.case_apply(
            actor=self.officer(n),
            project=project,
            origin="initiative" if n % 4 == 0 else "application",
            claim_type=claim_type,
            claim=claim,
            at=self.at(days_ago),
            parties=[
                {
                    "side": "developer",
                    "name": project.developer,
                    "phone": f"0755-2{n:03d}8888",
                    "consented_on": consented,
                },
                {"side": "relocated", "household": owner, "consented_on": consented},
            ],
        )
        if outcome == "applied":
            return case
        if outcome == "declined":
            return services.case_step(
                actor=self.officer(n),
                case=case,
                code="decline",
                at=self.at(days_ago - 3),
                reason="搬迁人明确表示不同意调解，不符合受理条件，已告知当事人可通过其他途径解决。",
            )
        accepted = days_ago - 2
        officer = self.officer(n)
        case = services.case_step(
            actor=officer, case=case, code="accept", mediators=self.mediators, at=self.at(accepted)
        )
        sessions = {
            "settled": [5, 12],
            "archived": [4, 10],
            "terminated": [6],
            "withdrawn": [6],
            "time_out": [8, 20],
            "expropriation": [5, 14],
            "mediating": [3],
            "overdue": [4, 11],
            "extended": [4],
        }[outcome]
        for offset in sessions:
            if accepted - offset <= 0:
                continue
            services.session_record(
                actor=officer,
                case=case,
                held_on=self.day(accepted - offset),
                place=f"{project.street.name}调解室",
                mediators=self.mediators,
                attendees=f"{project.developer}代表、{owner.name}",
                minutes="调解员告知当事人权利义务，听取双方陈述，释明补偿安置政策，组织双方协商。",
                uploads=[pdf("调解笔录.pdf")],
                at=self.at(accepted - offset, 15),
            )
        if outcome in ("settled", "archived"):
            end = accepted - sessions[-1] - 2
            services.agreement_draft(
                actor=officer, case=case, facts=extra["facts"], terms=extra["terms"], at=self.at(end + 1)
            )
            case = services.case_step(
                actor=officer,
                case=case,
                code="settle",
                at=self.at(end, 16),
                signed={p.pk: self.day(end) for p in case.parties.all()},
            )
            if outcome == "archived":
                visit = end - 30
                services.followup_record(
                    actor=officer,
                    case=case,
                    visited_on=self.day(visit),
                    performance="full",
                    notes="协议约定款项已支付，当事人已按期搬迁交房。",
                    at=self.at(visit),
                )
                case = services.case_step(actor=officer, case=case, code="archive", at=self.at(visit - 2))
        elif outcome in ("terminated", "withdrawn", "time_out", "expropriation"):
            end = add_working_days(case.accepted_on, 21) if outcome == "time_out" else self.day(accepted - 18)
            reason, referral = {
                "terminated": ("no_agreement", "litigation"),
                "withdrawn": ("withdrawn", "review"),
                "time_out": ("time_out", "arbitration"),
                "expropriation": ("no_agreement", "expropriation"),
            }[outcome]
            case = services.case_step(
                actor=officer,
                case=case,
                code="terminate",
                end_reason=reason,
                referral=referral,
                reason="经多次调解，双方分歧较大，未能达成一致。",
                at=on_day(end, 16),
            )
            case = services.case_step(actor=officer, case=case, code="archive", at=on_day(end + dt.timedelta(days=5)))
        elif outcome == "extended":
            case = services.case_step(
                actor=self.head,
                case=case,
                code="extend",
                at=self.at(accepted - 14),
                reason="涉及面积重新测绘，需委托测绘机构出具报告。",
            )
        elif outcome == "overdue":  # past its period: the office's reminder
            notice_issue(
                actor=None,
                item=services.item_of(case),
                level="blue",
                at=on_day(case.ends_on + dt.timedelta(days=2)),
                reason="该行政调解案件已超过调解期限，请尽快办结或依法终止调解。",
            )
        return case

    def mediation(self, projects: dict[str, Project]) -> None:
        terms = {
            "compensation": (
                "被搬迁人对货币补偿标准有异议，认为评估价格偏低。",
                "搬迁人按重新评估结果每平方米提高补偿1,800元，于协议生效后30日内一次性支付。",
            ),
            "area": (
                "双方对房屋加建部分面积是否计入补偿存在争议。",
                "以测绘机构出具的测绘报告为准，认定建筑面积并按原补偿标准计算补偿款。",
            ),
            "resettlement": (
                "被搬迁人要求调整回迁房屋的楼层和朝向。",
                "搬迁人同意在同户型中优先安排中高楼层，选房顺序按签约先后确定。",
            ),
            "rent": (
                "被搬迁人认为过渡期租金标准低于周边市场租金。",
                "搬迁人按周边同类房屋市场租金上调过渡期租金10%，按季度预付。",
            ),
        }
        plan = [  # project, claim type, days ago, outcome
            ("罗芳村城市更新单元", "compensation", 560, "archived"),
            ("湖贝片区城市更新单元", "rent", 520, "archived"),
            ("田贝四村城市更新单元", "area", 470, "archived"),
            ("松园片区城市更新单元", "resettlement", 420, "archived"),
            ("罗芳村城市更新单元", "area", 380, "terminated"),
            ("木头龙小区旧住宅区改造项目", "rent", 330, "archived"),
            ("田贝四村城市更新单元", "compensation", 300, "time_out"),
            ("水贝珠宝片区城市更新单元", "resettlement", 280, "archived"),
            ("罗芳村城市更新单元", "compensation", 250, "archived"),
            ("松园片区城市更新单元", "area", 230, "withdrawn"),
            ("田贝四村城市更新单元", "resettlement", 200, "archived"),
            ("鹏兴花园旧住宅区改造项目", "compensation", 170, "expropriation"),
            ("湖贝片区城市更新单元", "compensation", 150, "archived"),
            ("罗芳村城市更新单元", "rent", 120, "declined"),
            ("鹏兴花园旧住宅区改造项目", "area", 100, "settled"),
            ("田贝四村城市更新单元", "rent", 90, "terminated"),
            ("木头龙小区旧住宅区改造项目", "area", 75, "settled"),
            ("罗芳村城市更新单元", "resettlement", 60, "overdue"),
            ("鹏兴花园旧住宅区改造项目", "rent", 30, "extended"),
            ("田贝四村城市更新单元", "compensation", 14, "mediating"),
            ("罗芳村城市更新单元", "area", 4, "applied"),
        ]
        claims = {
            "compensation": "要求提高货币补偿标准。",
            "area": "要求重新认定房屋面积。",
            "resettlement": "要求调整回迁安置房源。",
            "rent": "要求提高过渡期租金。",
        }
        for n, (name, claim_type, days_ago, outcome) in enumerate(plan):
            facts, agreed = terms[claim_type]
            self.case(
                projects[name],
                claim_type,
                claims[claim_type],
                days_ago,
                n=n,
                outcome=outcome,
                extra={"facts": facts, "terms": agreed},
            )

    # supervised funds

    def account(self, project: Project, required: dict[str, Decimal], days_ago: int, *, guarantee: int | None = 20):
        rules = [
            {"kind": "milestone", "milestone": m, "cap_percent": cap, "basis": "《暂行措施》第五条"}
            for m, cap in (("topped_out", 30), ("completed", 70), ("handover", 100))
        ]
        if guarantee:
            rules.append({"kind": "guarantee", "cap_percent": guarantee, "basis": "《暂行措施》第六条（保函置换）"})
        account = services.account_open(
            actor=self.officer(),
            project=project,
            bank="中国银行深圳罗湖支行",
            number=f"7555{project.pk:04d}{self.rng.randrange(10**6):06d}",
            opened_on=self.day(days_ago),
            requirements=required,
            rules=rules,
            at=self.at(days_ago),
        )
        total = sum(required.values())
        for share, later in ((Decimal("0.6"), 5), (Decimal("0.4"), 300)):
            services.deposit_record(
                actor=self.officer(),
                account=account,
                amount=(total * share).quantize(M),
                deposited_on=self.day(days_ago - later),
                reference=f"JG{project.pk:03d}{later:04d}",
                at=self.at(days_ago - later),
            )
        return account

    def reach(self, account, milestone: str, days_ago: int) -> None:
        evidence = {
            "topped_out": "主体结构封顶验收记录.pdf",
            "completed": "竣工验收备案证明.pdf",
            "handover": "回迁房交付确认书.pdf",
        }[milestone]
        services.milestone_reach(
            actor=self.officer(1),
            account=account,
            milestone=milestone,
            reached_on=self.day(days_ago),
            evidence=pdf(evidence),
            at=self.at(days_ago),
        )

    def release(self, account, rule: str, millions: int, days_ago: int, *, until: str = "released", officer: int = 0):
        rule_row = account.rules.get(milestone=rule) if rule != "guarantee" else account.rules.get(kind="guarantee")
        amount = Decimal(millions) * M
        guarantee = None
        if rule == "guarantee":
            guarantee = {
                "bank": "中国建设银行深圳分行",
                "number": f"BH{account.pk:03d}{days_ago:04d}",
                "amount": amount,
                "expires_on": self.day(days_ago - 720),
            }
        release = services.release_apply(
            actor=self.officer(officer),
            account=account,
            rule=rule_row,
            amount=amount,
            guarantee=guarantee,
            at=self.at(days_ago),
        )
        if until == "applied":
            return release
        if until == "refused":
            return services.release_step(
                actor=self.head,
                release=release,
                code="refuse",
                at=self.at(days_ago - 3),
                reason="保函有效期短于回迁房建设工期，请更换保函后重新申请。",
            )
        over = services.over_threshold(release)
        release = services.release_step(
            actor=self.head, release=release, code="refer" if over else "approve", at=self.at(days_ago - 3)
        )
        if until == "referred":
            return release
        if over:
            release = services.release_step(
                actor=self.district, release=release, code="endorse", at=self.at(days_ago - 6)
            )
        return services.release_step(
            actor=self.officer(officer + 1),
            release=release,
            code="transfer",
            released_on=self.day(days_ago - 8),
            voucher=f"ZJ{release.pk:05d}",
            at=self.at(days_ago - 8),
        )

    def funds(self, projects: dict[str, Project]) -> None:
        # 湖贝: 60 million early against a guarantee, then 90 more when topped out (150 million)
        hubei = self.account(projects["湖贝片区城市更新单元"], {"housing": 350 * M, "compensation": 150 * M}, 1500)
        self.release(hubei, "guarantee", 60, 1200)
        self.reach(hubei, "topped_out", 520)
        self.release(hubei, "topped_out", 90, 500)
        # 木头龙: topped out, then completed (270 million)
        mutoulong = self.account(projects["木头龙小区旧住宅区改造项目"], {"housing": 400 * M}, 1700, guarantee=None)
        self.reach(mutoulong, "topped_out", 800)
        self.release(mutoulong, "topped_out", 120, 780)
        self.reach(mutoulong, "completed", 200)
        self.release(mutoulong, "completed", 150, 180)
        # 二线插花地: every milestone, released in full (200 million)
        shanty = self.account(projects["二线插花地棚户区改造项目"], {"housing": 160 * M, "public_land": 40 * M}, 2000)
        for milestone, millions, days_ago in (("topped_out", 60, 1400), ("completed", 80, 1000), ("handover", 60, 700)):
            self.reach(shanty, milestone, days_ago + 15)
            self.release(shanty, milestone, millions, days_ago)
        # 大望村: topped out and completed (70 million)
        dawang = self.account(projects["大望村城市更新单元"], {"housing": 80 * M, "compensation": 20 * M}, 1600)
        self.reach(dawang, "topped_out", 1100)
        self.release(dawang, "topped_out", 30, 1080)
        self.reach(dawang, "completed", 600)
        self.release(dawang, "completed", 40, 580)
        # 水贝: topped out this autumn; 70 million awaits the district (over its threshold)
        shuibei = self.account(projects["水贝珠宝片区城市更新单元"], {"housing": 300 * M}, 900)
        self.reach(shuibei, "topped_out", 25)
        self.release(shuibei, "topped_out", 70, 12, until="referred")
        self.release(shuibei, "topped_out", 15, 5, until="applied", officer=1)
        # 松园: an early release refused (the guarantee runs out before the building does)
        songyuan = self.account(projects["松园片区城市更新单元"], {"housing": 220 * M, "compensation": 60 * M}, 700)
        self.release(songyuan, "guarantee", 40, 60, until="refused")


@transaction.atomic
def seed_renewal(rng: random.Random, logins: dict[str, User]) -> None:
    bureau = Unit.objects.get(short_name="区城市更新局")
    staff = iter(name for name in STAFF if not Person.objects.filter(name=name).exists())

    def person(title: str) -> Person:
        found = org_services.person_create(actor=None, name=next(staff), mobile=f"136{rng.randrange(10**8):08d}")
        org_services.position_assign(actor=None, person=found, unit=bureau, role=PositionRole.STAFF, title=title)
        return found

    officers = [_login(person("案件承办人"), name) for name in ("renewal_officer", "renewal_officer2")]
    mediator = _login(person("调解员"), "renewal_mediator")
    head_person = bureau.positions.current().filter(role=PositionRole.HEAD).select_related("person").first().person
    head = _login(head_person, "head_renewal")
    leader = Person.objects.get(portfolios__title="副区长", portfolios__units=bureau, portfolios__ended_on__isnull=True)
    district = _login(leader, "leader_renewal")
    for user, role in [
        (officers[0], BureauRole.OFFICER),
        (officers[1], BureauRole.OFFICER),
        (mediator, BureauRole.MEDIATOR),
        (head, BureauRole.HEAD),
        (district, BureauRole.DISTRICT),
    ]:
        BureauPost.objects.create(person=user.person, role=role)
    RenewalSettings.objects.create(bureau=bureau)
    play = Play(rng, officers, mediator, head, district)
    projects = play.projects()
    play.mediation(projects)
    play.funds(projects)
