"""The demo's rules (建章立制), played through the rules services so every figure is computed: the
区纪委监委's 60 rules in 11 categories (27 newly made and 16 revised through its 2023 plan of 增、补、调,
the rest kept), issued as its 《工作制度汇编》; the education work committee's implementation plan
and eight measures; the health committee's pilot scheme; the court's risk handbook and first
judicial recommendation brought to 200+ enterprises and 3,000+ practitioners; rules built
because of the 2024 audit findings (以审促建); and a 2018 reform's rule, which its look-back links."""

from __future__ import annotations

import datetime as dt
import random
import re

from django.utils import timezone

from duban.core.workdays import on_day
from duban.demo.luohu import DISCIPLINE_RULES
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services import item_transition
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User
from duban.rectification.models import AuditFinding
from duban.reforms.choices import LookBackOutcome, ReformLevel
from duban.reforms.models import Reform
from duban.reforms.services import lookback_record
from duban.rules import publicity, services
from duban.rules.choices import ActionKind, PlanScheme, RuleKind, RuleScope
from duban.rules.compilation import compilation_create, compilation_issue
from duban.rules.reviews import reviews_open

MADE_PER_CATEGORY = [3, 3, 2, 3, 2, 3, 2, 3, 2, 2, 2]  # 27
REVISED_PER_CATEGORY = [2, 1, 2, 2, 1, 2, 1, 2, 1, 1, 1]  # 16

COURT_ENTERPRISES = 212  # each reached once or more: counted once
COURT_PRACTITIONERS = [820, 760, 690, 540, 350]  # at each action: 3,160


def _code(n: int) -> str:
    first = f"91440303MA5G{n:05d}"
    return first + publicity.credit_code_check_character(first)


def _kind_word(title: str) -> str:
    """What a rule calls itself (本制度, 本办法…), from the end of its title before any note in brackets."""
    bare = re.sub(r"[（(][^）)]*[）)]$", "", title)
    return next(
        (word for word in ("实施细则", "细则", "办法", "规定", "规则", "规范", "制度") if bare.endswith(word)), "制度"
    )


def _text(title: str, rng: random.Random) -> str:
    aims = ["规范工作程序", "提高工作质量", "强化监督制约", "防范廉政风险", "提升工作效能"]
    return "\n".join(
        [
            f"第一条 为{rng.choice(aims)}，根据有关规定，结合工作实际，制定本{_kind_word(title)}。",
            "第二条 本制度适用于本单位各内设机构及全体工作人员。",
            "第三条 各部门应当按照职责分工抓好落实，办公室负责督促检查。",
            "第四条 本制度自印发之日起施行。",
        ]
    )


class Playback:
    """One unit's plan actions, each taken through assignment, its stages and verification."""

    def __init__(
        self,
        *,
        ledger: Ledger,
        unit: Unit,
        title: str,
        scheme: str,
        year: int,
        logins,
        rng,
        verifier: str = "office_admin",
    ) -> None:
        self.plan = services.plan_create(actor=None, unit=unit, ledger=ledger, year=year, title=title, scheme=scheme)
        self.office, self.verifier = logins["office_admin"], logins[verifier]
        self.rng = rng
        self.year = year

    def act(
        self,
        kind: str,
        *,
        title: str,
        start: dt.date,
        rule=None,
        rule_kind=RuleKind.SYSTEM,
        category=None,
        scope=RuleScope.INTERNAL,
        summary: str,
        causes=(),
        number: str,
    ) -> None:
        at = on_day(start, 9)
        action = services.action_add(
            actor=None,
            plan=self.plan,
            kind=kind,
            rule=rule,
            title=title if rule is None else "",
            rule_kind=rule_kind,
            scope=scope,
            category=category,
            deadline=start + dt.timedelta(days=120),
            summary=summary,
            causes=causes,
            at=at,
        )
        item = item_transition(actor=self.office, item=action.item, action="assign", at=on_day(start, 10))
        item_transition(actor=None, item=item, action="acknowledge", at=on_day(start + dt.timedelta(days=1), 9))
        day = start + dt.timedelta(days=self.rng.randrange(10, 30))
        if (rule.kind if rule else rule_kind) in {RuleKind.MEASURES, RuleKind.PROVISIONS, RuleKind.NORMATIVE}:
            services.action_step(actor=None, action=action, code="to_legal_review", at=on_day(day, 10))
            day += dt.timedelta(days=10)
            opinion = "经区司法局合法性审查，未发现违反上位法规定的内容。"
            services.action_step(actor=None, action=action, code="to_deliberation", reason=opinion, at=on_day(day, 10))
        else:
            services.action_step(actor=None, action=action, code="to_deliberation", at=on_day(day, 10))
        day += dt.timedelta(days=self.rng.randrange(7, 20))
        services.action_step(
            actor=None,
            action=action,
            code="issue",
            reason=f"{self.plan.unit.name}{day.year}年第{day.month}次会议",
            document_number=number,
            adopted_on=day,
            effective_on=day,
            text=_text(title or rule.title, self.rng),
            at=on_day(day, 15),
        )
        day += dt.timedelta(days=3)
        action = services.action_step(actor=None, action=action, code="publish", at=on_day(day, 10))
        item_transition(
            actor=self.verifier,
            item=action.item,
            action="accept",
            reason="经核验，制度已印发施行",
            at=on_day(day + dt.timedelta(days=5), 11),
        )


def _from_reform(rng, logins, office: Unit) -> None:
    """A 2018 key reform made into the district's working rule in 2019; this year's look-back finds
    it institutionalised and links the rule rather than naming it."""
    reform = Reform.objects.filter(year=2018, level=ReformLevel.KEY).order_by("id").first()
    play = Playback(
        ledger=_ledger(2019, office),
        unit=office,
        title="区委改革办2019年制度“废、改、立”工作计划",
        scheme=PlanScheme.REPEAL_AMEND_MAKE,
        year=2019,
        logins=logins,
        rng=rng,
        verifier="supervisor",  # the office's own plan is verified from outside it
    )
    play.act(
        ActionKind.MAKE,
        title=f"罗湖区{reform.title.removeprefix('2018年')}工作规则",
        start=dt.date(2019, 2, 18),
        summary="把改革中行之有效的做法固化为制度",
        causes=[reform],
        number="罗改办〔2019〕12号",
    )
    year = timezone.localdate().year
    lookback_record(
        actor=logins["office_admin"],
        reform=reform,
        year=year,
        outcome=LookBackOutcome.INSTITUTIONALISED,
        findings="改革经验已固化为全区制度，持续运行。",
        at=on_day(dt.date(year, 3, 10), 10),
    )


def _ledger(year: int, office: Unit) -> Ledger:
    return Ledger.objects.create(
        name=f"{year}年制度建设台账",
        year=year,
        kind=LedgerKind.RULES,
        owner_unit=office,
        number_prefix=f"罗制{year % 100}",
    )


def _unit(district: Unit, name: str, short: str, kind: str) -> Unit:
    found = Unit.objects.filter(name=name).first()
    return found or org_services.unit_create(actor=None, parent=district, name=name, short_name=short, kind=kind)


def seed_rules(rng: random.Random, logins: dict[str, User]) -> None:
    by_short = {unit.short_name or unit.name: unit for unit in Unit.objects.active()}
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    office = by_short["区委改革办"]
    ledger_2023, ledger_2024 = _ledger(2023, office), _ledger(2024, office)
    _discipline(rng, logins, by_short["区纪委监委"], ledger_2023)
    _education_health_court(rng, logins, district, ledger_2023)
    _from_audits(rng, logins, by_short, ledger_2024)
    _from_reform(rng, logins, office)
    # 定期清理: this year's ledger takes the reviews the sweep opens for rules due again
    this_year = timezone.localdate().year
    if this_year > 2024:
        _ledger(this_year, office)
    reviews_open()


def _discipline(rng, logins, unit: Unit, ledger: Ledger) -> None:
    play = Playback(
        ledger=ledger,
        unit=unit,
        title="区纪委监委2023年制度“增、补、调”工作计划",
        scheme=PlanScheme.ADD_SUPPLEMENT_ADJUST,
        year=2023,
        logins=logins,
        rng=rng,
    )
    number = iter(range(1, 200))
    start = dt.date(2023, 2, 20)
    for position, (name, titles) in enumerate(DISCIPLINE_RULES):
        category = services.category_save(actor=None, unit=unit, name=name, sort_order=position)
        made, revised = MADE_PER_CATEGORY[position], REVISED_PER_CATEGORY[position]
        for index, topic in enumerate(titles):
            title = f"区纪委监委{topic}"
            if index < made:
                play.act(
                    ActionKind.MAKE,
                    title=title,
                    category=category,
                    start=start,
                    summary="梳理发现制度缺项，新制定",
                    number=f"罗纪发〔2023〕{next(number)}号",
                )
            else:
                adopted = dt.date(2017 + rng.randrange(0, 5), rng.randrange(1, 12), rng.randrange(1, 28))
                rule = services.rule_register(
                    actor=None,
                    issuing_unit=unit,
                    title=title,
                    kind=RuleKind.SYSTEM,
                    scope=RuleScope.INTERNAL,
                    category=category,
                    document_number=f"罗纪发〔{adopted.year}〕{rng.randrange(1, 60)}号",
                    adopted_on=adopted,
                    effective_on=adopted,
                    text=_text(title, rng),
                    at=on_day(adopted, 10),
                )
                if index < made + revised:
                    kind = ActionKind.SUPPLEMENT if index % 2 else ActionKind.AMEND
                    play.act(
                        kind,
                        rule=rule,
                        title="",
                        start=start,
                        summary="对照新要求修改完善相关条款",
                        number=f"罗纪发〔2023〕{next(number)}号",
                    )
            start += dt.timedelta(days=3)
    compilation = compilation_create(actor=None, unit=unit, title="区纪委监委工作制度汇编", units=[unit])
    compilation_issue(actor=None, compilation=compilation, at=on_day(dt.date(2023, 12, 28), 10))


def _education_health_court(rng, logins, district: Unit, ledger: Ledger) -> None:
    education = _unit(district, "中共深圳市罗湖区委教育工作委员会", "区委教育工委", UnitKind.COMMISSION)
    play = Playback(
        ledger=ledger,
        unit=education,
        title="区委教育工委2023年制度“废、改、立”工作计划",
        scheme=PlanScheme.REPEAL_AMEND_MAKE,
        year=2023,
        logins=logins,
        rng=rng,
    )
    play.act(
        ActionKind.MAKE,
        title="关于深化新时代罗湖区学校思想政治教育改革创新的实施方案（2023-2025）",
        rule_kind=RuleKind.SCHEME,
        scope=RuleScope.PUBLIC,
        start=dt.date(2023, 3, 6),
        summary="深化学校思政教育改革创新",
        number="罗教工委〔2023〕3号",
    )
    play.act(
        ActionKind.MAKE,
        title="进一步加强师德师风建设，提升教师家校沟通及教学管理能力的八条措施",
        rule_kind=RuleKind.SYSTEM,
        scope=RuleScope.PUBLIC,
        start=dt.date(2023, 5, 8),
        summary="师德师风建设长效机制",
        number="罗教工委〔2023〕7号",
    )

    health = _unit(district, "中共深圳市罗湖区委卫生健康工作委员会", "区委卫健工委", UnitKind.COMMISSION)
    services.rule_register(
        actor=None,
        issuing_unit=health,
        title="罗湖区卫生健康局医德医风培育试点单位创建工作方案",
        kind=RuleKind.SCHEME,
        scope=RuleScope.PUBLIC,
        category=None,
        document_number="罗卫健〔2023〕21号",
        adopted_on=dt.date(2023, 6, 12),
        effective_on=dt.date(2023, 6, 12),
        text="一、工作目标 以罗湖区中医院为试点，培育医德医风建设示范单位。\n二、工作措施 ……",
        at=on_day(dt.date(2023, 6, 12)),
    )

    court = _unit(district, "深圳市罗湖区人民法院", "区人民法院", UnitKind.COMMISSION)
    handbook = services.rule_register(
        actor=None,
        issuing_unit=court,
        title="黄金珠宝行业企业犯罪风险提示手册",
        kind=RuleKind.HANDBOOK,
        scope=RuleScope.PUBLIC,
        category=None,
        document_number="罗法〔2023〕15号",
        adopted_on=dt.date(2023, 7, 3),
        effective_on=dt.date(2023, 7, 3),
        text="一、收购黄金饰品应当查验出售人身份证件并登记。\n二、……",
        at=on_day(dt.date(2023, 7, 3)),
    )
    advice = services.rule_register(
        actor=None,
        issuing_unit=court,
        title="关于优化黄金珠宝行业发展的一号司法建议",
        kind=RuleKind.JUDICIAL,
        scope=RuleScope.PUBLIC,
        category=None,
        document_number="罗法司建〔2023〕1号",
        adopted_on=dt.date(2023, 8, 1),
        effective_on=dt.date(2023, 8, 1),
        text="建议行业主管部门建立黄金回收登记和可疑交易报告制度……",
        at=on_day(dt.date(2023, 8, 1)),
    )
    enterprises = [(f"深圳市水贝{n:03d}珠宝首饰有限公司", _code(n)) for n in range(1, COURT_ENTERPRISES + 1)]
    actions = [
        (handbook, "event", dt.date(2023, 7, 20), "水贝黄金珠宝企业风险提示宣讲会", enterprises[:90]),
        (handbook, "mailing", dt.date(2023, 8, 10), "向黄金珠宝企业寄送风险提示手册", enterprises[60:180]),
        (advice, "visit", dt.date(2023, 9, 5), "走访黄金珠宝企业宣传司法建议", enterprises[150:]),
        (handbook, "event", dt.date(2023, 10, 18), "黄金珠宝从业人员法治培训", enterprises[:40]),
        (advice, "online", dt.date(2023, 11, 2), "“罗湖法院”公众号推送一号司法建议", []),
    ]
    for (rule, kind, day, title, reached), practitioners in zip(actions, COURT_PRACTITIONERS, strict=True):
        publicity.outreach_record(
            actor=None, rule=rule, kind=kind, held_on=day, title=title, enterprises=reached, practitioners=practitioners
        )


def _from_audits(rng, logins, by_short, ledger: Ledger) -> None:
    """以审促建: units build rules because of their 2024 audit findings; the audit bureau its
    five-year internal-audit plan because of the internal-control findings."""
    findings = {f.title: f for f in AuditFinding.objects.filter(project__year=2024).select_related("responsible_unit")}
    built = [
        (
            "区审计局",
            "罗湖区审计局内部审计专项检查全覆盖五年计划（2023-2027年）",
            RuleKind.SCHEME,
            ["内部控制制度不健全，关键岗位未轮岗", "项目绩效目标不明确，绩效自评流于形式"],
            "罗审〔2024〕12号",
        ),
        (
            "区机关事务局",
            "罗湖区公务用车使用管理办法",
            RuleKind.MEASURES,
            ["公务用车管理不规范，存在无单派车"],
            "罗机事〔2024〕5号",
        ),
        (
            "区水务局",
            "区水务局关键岗位轮岗管理规定",
            RuleKind.PROVISIONS,
            ["内部控制制度不健全，关键岗位未轮岗"],
            "罗水〔2024〕9号",
        ),
        (
            "区住建局",
            "区住建局工程结算审核管理制度",
            RuleKind.SYSTEM,
            ["工程结算审核不严，多计工程款"],
            "罗住建〔2024〕17号",
        ),
    ]
    start = dt.date(2024, 3, 4)
    for unit_short, title, kind, causes, number in built:
        unit = by_short[unit_short]
        play = Playback(
            ledger=ledger,
            unit=unit,
            title=f"{unit.name}2024年制度建设计划",
            scheme=PlanScheme.ADD_SUPPLEMENT_ADJUST,
            year=2024,
            logins=logins,
            rng=rng,
        )
        play.act(
            ActionKind.MAKE,
            title=title,
            rule_kind=kind,
            start=start,
            summary="以审促建：针对审计发现问题建章立制",
            causes=[findings[c] for c in causes if c in findings],
            number=number,
        )
        start += dt.timedelta(days=14)
