"""The demo's reform portfolio, generated through the reform services.

2014–2018: 11 tasks assigned from above (all completed), 38 district key reforms and 491
micro-reforms, each run through that year's reform tasks ledger to its close; the 2017 third-party
evaluation scores 38 micro-reforms. The current year: the key reforms of the reform tasks ledger,
an approved annual plan, next year's call for proposals with answers, a rating round and a voting
round. Every figure the reform pages show is counted from these records.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from duban.core.workdays import on_day
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_transition
from duban.orgs.choices import AccountType, UnitKind
from duban.orgs.models import Domain, Unit, User
from duban.orgs.verification import resident_account_verified
from duban.reforms.choices import ReformLevel, SpecialGroup
from duban.reforms.models import Reform
from duban.reforms.rounds import panel_add_member, panel_create, panel_publish, score_submit
from duban.reforms.services import reform_decompose, reform_register

HISTORY_YEARS = range(2014, 2019)
ASSIGNED_PER_YEAR = {2014: 2, 2015: 2, 2016: 3, 2017: 2, 2018: 2}  # 11
KEY_PER_YEAR = {2014: 6, 2015: 7, 2016: 8, 2017: 8, 2018: 9}  # 38
MICRO_PER_YEAR = {2014: 60, 2015: 88, 2016: 105, 2017: 118, 2018: 120}  # 491
EVALUATED_IN_2017 = 38
GROUP_DOMAINS = {
    SpecialGroup.PARTY_BUILDING: "party-building",
    SpecialGroup.GOVERNMENT: "government-functions",
    SpecialGroup.DEVELOPMENT_SPACE: "development-space",
    SpecialGroup.PUBLIC_SERVICES: "public-services",
    SpecialGroup.INDUSTRY: "industry",
    SpecialGroup.GRASSROOTS: "grassroots-governance",
    SpecialGroup.ECOLOGY: "ecology",
}

ASSIGNED_TASKS = [
    (ReformLevel.NATIONAL, "推进“放管服”改革，开展“证照分离”改革试点", "市监罗湖局", SpecialGroup.GOVERNMENT),
    (ReformLevel.PROVINCIAL, "深化行政审批制度改革，推行网上办事大厅", "区政数局", SpecialGroup.GOVERNMENT),
    (ReformLevel.MUNICIPAL, "推进强区放权改革，承接市级下放事权", "区城市更新局", SpecialGroup.DEVELOPMENT_SPACE),
    (ReformLevel.NATIONAL, "开展公立医院综合改革", "区卫健局", SpecialGroup.PUBLIC_SERVICES),
    (ReformLevel.PROVINCIAL, "推进社会信用体系建设", "区发展改革局", SpecialGroup.INDUSTRY),
    (ReformLevel.MUNICIPAL, "推行“织网工程”社会治理信息化", "区委政法委", SpecialGroup.GRASSROOTS),
    (ReformLevel.NATIONAL, "推进事业单位分类改革", "区委组织部", SpecialGroup.GOVERNMENT),
    (ReformLevel.MUNICIPAL, "实施城市更新“拆除重建类”审批改革", "区城市更新局", SpecialGroup.DEVELOPMENT_SPACE),
    (ReformLevel.PROVINCIAL, "深化财政预算管理改革", "区财政局", SpecialGroup.GOVERNMENT),
    (ReformLevel.MUNICIPAL, "推进基层党建标准化建设", "区委组织部", SpecialGroup.PARTY_BUILDING),
    (ReformLevel.NATIONAL, "开展河长制改革", "区水务局", SpecialGroup.ECOLOGY),
]

KEY_THEMES = [
    ("社区治理“活化”改革", "区民政局", SpecialGroup.GRASSROOTS),
    ("商事登记制度改革", "市监罗湖局", SpecialGroup.INDUSTRY),
    ("教育“大学区制”改革", "区教育局", SpecialGroup.PUBLIC_SERVICES),
    ("医疗集团“医养融合”改革", "区卫健局", SpecialGroup.PUBLIC_SERVICES),
    ("城市更新“棚改”模式改革", "区住建局", SpecialGroup.DEVELOPMENT_SPACE),
    ("政务服务“一窗通办”改革", "区政数局", SpecialGroup.GOVERNMENT),
    ("产业空间“工改工”改革", "区工信局", SpecialGroup.INDUSTRY),
    ("基层党建“标准化+”改革", "区委组织部", SpecialGroup.PARTY_BUILDING),
    ("环境治理“河长制+”改革", "区水务局", SpecialGroup.ECOLOGY),
    ("财政资金“绩效管理”改革", "区财政局", SpecialGroup.GOVERNMENT),
]

MICRO_THEMES = [
    "“楼长制”邻里议事",
    "社区“微心愿”认领",
    "老旧小区“微改造”",
    "“一张表”基层减负",
    "垃圾分类“积分兑换”",
    "“阳光食堂”明厨亮灶",
    "口袋公园“微更新”",
    "社区“长者饭堂”",
    "“错时延时”便民服务",
    "“一码通”社区出入",
    "“共享停车”错峰开放",
    "“社区规划师”驻点",
    "“网格+警格”联动",
    "“智慧井盖”监测",
    "“学校+社区”课后托管",
    "“义工积分”激励",
    "“河湖巡查”随手拍",
    "“小区议事厅”",
    "商圈“夜间经济”服务",
    "“一站式”退役军人服务",
]


def _ledger(year: int, owner: Unit) -> Ledger:
    ledger, _created = Ledger.objects.get_or_create(
        kind=LedgerKind.REFORM,
        year=year,
        defaults={"name": f"{year}年区级改革任务台账", "owner_unit": owner, "number_prefix": "罗改"},
    )
    return ledger


def _complete(items: list[Item], year: int, reviewer: User, rng: random.Random) -> None:
    """Run items to their close within the year: milestones first, then the reform's own item."""
    for item in sorted(items, key=lambda i: i.parent_id is None):
        day = min(item.deadline, dt.date(year, 12, 10)) - dt.timedelta(days=rng.randrange(3, 20))
        current = Item.objects.get(pk=item.pk)
        for action, who, hour in (
            ("acknowledge", None, 9),
            ("submit", None, 10),
            ("accept", reviewer, 14),
            ("close", reviewer, 15),
        ):
            if current.state in (ItemState.CLOSED,):
                break
            reason = "各项任务已完成，成效经验已总结。" if action == "submit" else ""
            when = (
                on_day(current.assigned_at.date() + dt.timedelta(days=1), hour)
                if action == "acknowledge"
                else on_day(day, hour)
            )
            current = item_transition(actor=who, item=current, action=action, reason=reason, at=when)


def _run_reform(reform: Reform, year: int, milestones: list[str], reviewer: User, rng: random.Random) -> None:
    specs = [
        {"title": f"{reform.title}：{name}", "deadline": dt.date(year, 4 + 3 * n, 28)}
        for n, name in enumerate(milestones)
    ]
    reform_decompose(actor=None, reform=reform, milestones=specs, at=on_day(dt.date(year, 2, 20), 10))
    reform.refresh_from_db()
    _complete([reform.item, *reform.item.children.all()], year, reviewer, rng)


def seed_reform_history(rng: random.Random, logins: dict[str, User]) -> None:
    by_short = {unit.short_name or unit.name: unit for unit in Unit.objects.active()}
    owner, reviewer = by_short["区委改革办"], logins["supervisor"]
    domains = {domain.code: domain for domain in Domain.objects.all()}
    streets = list(Unit.objects.active().filter(kind=UnitKind.STREET).order_by("sort_order"))
    departments = list(Unit.objects.active().filter(kind=UnitKind.DEPARTMENT, parent__kind=UnitKind.DISTRICT))
    assigned = iter(ASSIGNED_TASKS)
    micro_2017: list[Reform] = []
    for year in HISTORY_YEARS:
        _ledger(year, owner)
        registered = on_day(dt.date(year, 1, 15), 10)
        for _n in range(ASSIGNED_PER_YEAR[year]):
            level, title, unit, group = next(assigned)
            reform = reform_register(
                actor=None,
                year=year,
                level=level,
                group=group,
                domain=domains.get(GROUP_DOMAINS[group]),
                title=title,
                goals=f"按上级部署完成{title}各项任务。",
                deadline=dt.date(year, 12, 20),
                lead_unit=by_short[unit],
                at=registered,
            )
            _run_reform(reform, year, ["制定实施方案", "组织实施"], reviewer, rng)
        for n in range(KEY_PER_YEAR[year]):
            theme, unit, group = KEY_THEMES[(n + year) % len(KEY_THEMES)]
            reform = reform_register(
                actor=None,
                year=year,
                level=ReformLevel.KEY,
                group=group,
                domain=domains.get(GROUP_DOMAINS[group]),
                title=f"{year}年{theme}",
                goals=f"围绕{theme.rstrip('改革')}形成可复制推广的制度成果。",
                deadline=dt.date(year, 12, 20),
                lead_unit=by_short[unit],
                at=registered,
            )
            _run_reform(reform, year, ["制定改革方案", "试点推进", "总结评估"], reviewer, rng)
        for n in range(MICRO_PER_YEAR[year]):
            unit = streets[n % len(streets)] if n % 3 else departments[n % len(departments)]
            theme = MICRO_THEMES[(n * 7 + year) % len(MICRO_THEMES)]
            reform = reform_register(
                actor=None,
                year=year,
                level=ReformLevel.MICRO,
                group=SpecialGroup.GRASSROOTS,
                title=f"{unit.short_name or unit.name}{theme}（{year}）",
                goals=f"以{theme}解决群众身边的小事难事。",
                deadline=dt.date(year, 11, 30),
                lead_unit=unit,
                at=registered,
            )
            reform_decompose(actor=None, reform=reform, milestones=[], at=on_day(dt.date(year, 2, 20), 10))
            reform.refresh_from_db()
            _complete([reform.item], year, reviewer, rng)
            if year == 2017 and len(micro_2017) < EVALUATED_IN_2017:
                micro_2017.append(reform)
    _evaluate_2017(micro_2017, rng)


def _evaluate_2017(candidates: list[Reform], rng: random.Random) -> None:
    """The 2017 third-party evaluation: a panel from the city reform office, the development
    research centre, NPC deputies and the decision-consulting pool scores the micro-reforms."""
    panel = panel_create(
        actor=None, year=2017, title="2017年度微改革项目第三方评估", candidates=candidates, excellent_count=10
    )
    bodies = [
        "市委改革办",
        "市政府发展研究中心",
        "区人大代表",
        "区决策咨询专家库",
        "区决策咨询专家库",
        "第三方评估机构",
        "市委改革办",
    ]
    experts = []
    for n, body in enumerate(bodies):
        user = User.objects.create_user(
            username=f"panel2017_{n + 1}",
            display_name=f"评估专家{n + 1}",
            account_type=AccountType.EXTERNAL,
            is_expert=True,
            password=None,
        )
        experts.append(panel_add_member(actor=None, panel=panel, user=user, affiliation=body))
    for reform in candidates:
        quality = Decimal(rng.randrange(60, 95)) / 10
        for member in experts:
            scores = {
                c["code"]: max(Decimal(0), min(Decimal(10), quality + Decimal(rng.randrange(-12, 13)) / 10))
                for c in panel.criteria
            }
            score_submit(actor=member.user, panel=panel, reform=reform, scores=scores)
    panel_publish(actor=None, panel=panel, at=on_day(dt.date(2017, 12, 28), 10))


CURRENT_MICRO = [
    ("东门街道", "“商户联盟”共治"),
    ("桂园街道", "“楼栋长”议事会"),
    ("黄贝街道", "“长者助餐”配送"),
    ("翠竹街道", "“共享书房”进小区"),
    ("南湖街道", "“口岸服务”一件事"),
    ("笋岗街道", "“物流园区”服务专班"),
]

PROPOSALS = [
    ("老旧小区加装电梯“一站式”审批", "希望把规划、消防、特种设备的审批合并办理，缩短加装电梯周期。"),
    ("东门步行街夜间经济延时服务", "建议延长公交和停车场营业时间，配套夜间城管和环卫服务。"),
    ("社区长者饭堂扩面", "希望每个社区都有长者饭堂，并接入医保个人账户支付。"),
    ("学校体育场馆错时开放", "周末和假期向周边居民开放学校操场，实行预约制。"),
    ("共享停车错峰使用", "机关单位停车场夜间向周边居民开放，缓解停车难。"),
    ("电梯加装审批合并办理", "同意加装电梯审批合并的建议，另建议简化业主表决程序。"),
]


def seed_reform_current(rng: random.Random, logins: dict[str, User]) -> None:
    """The current year: the annual plan approved, micro-reforms under way, next year's call for
    proposals with answers, a rating round on the key reforms and a voting round, all open today."""
    from django.utils import timezone

    from duban.reforms.choices import ProposalState
    from duban.reforms.rounds import rating_round_create, rating_submit, vote_cast, vote_round_create
    from duban.reforms.services import call_create, plan_approve, plan_of, proposal_answer, proposal_submit

    today = timezone.localdate()
    year = today.year
    office = logins["office_admin"]
    by_short = {unit.short_name or unit.name: unit for unit in Unit.objects.active()}
    plan_approve(
        actor=office,
        plan=plan_of(year),
        meeting=f"区委深改委{year}年第一次会议",
        approved_on=dt.date(year, 1, 8),
        document_number=f"罗改委〔{year}〕1号",
    )
    micro = []
    for unit_short, theme in CURRENT_MICRO:
        reform = reform_register(
            actor=office,
            year=year,
            level=ReformLevel.MICRO,
            group=SpecialGroup.GRASSROOTS,
            title=f"{unit_short}{theme}",
            goals=f"以{theme}解决群众身边的小事难事。",
            deadline=dt.date(year, 12, 15),
            lead_unit=by_short[unit_short],
            at=on_day(dt.date(year, 2, 1), 10),
        )
        reform_decompose(actor=office, reform=reform, milestones=[], at=on_day(dt.date(year, 2, 10), 10))
        micro.append(reform)

    opened = today - dt.timedelta(days=20)
    residents = [resident_account_verified(destination=f"1380013{n:04d}") for n in range(1, 41)]
    call = call_create(
        actor=office,
        year=year + 1,
        title=f"{year + 1}年度改革“金点子”征集",
        description="围绕营商环境、民生服务、基层治理和城市更新，征集您认为罗湖最需要改的事。",
        opens_on=opened,
        closes_on=today + dt.timedelta(days=25),
    )
    proposals = [
        proposal_submit(
            actor=residents[n], call=call, title=title, text=text, at=on_day(opened + dt.timedelta(days=n), 20)
        )
        for n, (title, text) in enumerate(PROPOSALS)
    ]
    key = list(Reform.objects.filter(year=year, level=ReformLevel.KEY).order_by("id"))
    next_year = reform_register(
        actor=office,
        year=year + 1,
        level=ReformLevel.KEY,
        group=SpecialGroup.DEVELOPMENT_SPACE,
        title="老旧小区加装电梯“一站式”审批改革",
        goals="规划、消防、特种设备审批合并办理，加装电梯审批时间压缩一半。",
        deadline=dt.date(year + 1, 12, 20),
        lead_unit=by_short["区住建局"],
        at=on_day(opened + dt.timedelta(days=7), 9),
    )
    proposal_answer(
        actor=office,
        proposal=proposals[0],
        state=ProposalState.ADOPTED,
        reform=next_year,
        answer="已采纳，列为明年区级重点改革“老旧小区加装电梯‘一站式’审批改革”。",
        at=on_day(opened + dt.timedelta(days=7), 10),
    )
    proposal_answer(
        actor=office,
        proposal=proposals[5],
        state=ProposalState.MERGED,
        merged_into=proposals[0],
        answer="与“老旧小区加装电梯‘一站式’审批”建议合并办理。",
        at=on_day(opened + dt.timedelta(days=7), 11),
    )
    proposal_answer(
        actor=office,
        proposal=proposals[3],
        state=ProposalState.DECLINED,
        answer="学校场馆开放涉及校园安全管理，已转区教育局研究，暂不列入年度改革。",
        at=on_day(opened + dt.timedelta(days=8), 10),
    )

    rating = rating_round_create(
        actor=office,
        year=year,
        title=f"{year}年区级重点改革项目群众评",
        reforms=key,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
    )
    streets = list(Unit.objects.active().filter(kind=UnitKind.STREET))
    levels = ["satisfied"] * 5 + ["fairly"] * 3 + ["neutral", "fairly_not", "not", "unknown"]
    for n, resident in enumerate(residents):
        for reform in rng.sample(key, 3):
            rating_submit(
                actor=resident,
                round_=rating,
                reform=reform,
                level=rng.choice(levels),
                street=streets[n % len(streets)],
                at=on_day(today - dt.timedelta(days=rng.randrange(0, 10)), 19),
            )
    voting = vote_round_create(
        actor=office,
        year=year,
        title=f"{year}年微改革项目大家评",
        candidates=micro,
        votes_per_person=2,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20),
    )
    for resident in residents:
        for reform in rng.sample(micro, 2):
            vote_cast(
                actor=resident,
                round_=voting,
                reform=reform,
                at=on_day(today - dt.timedelta(days=rng.randrange(0, 10)), 20),
            )


def seed_reform_followups(logins: dict[str, User]) -> None:
    """Look-backs of earlier reforms, the case library, appraisal bonuses and a tolerance case."""
    from django.utils import timezone

    from duban.reforms.appraisal import appraisal_of, bonus_add
    from duban.reforms.services import case_save, lookback_record
    from duban.reforms.tolerance import tolerance_apply, tolerance_transition

    today = timezone.localdate()
    year = today.year
    office, supervisor = logins["office_admin"], logins["supervisor"]
    by_short = {unit.short_name or unit.name: unit for unit in Unit.objects.active()}
    # the other 2018 key reform's look-back (institutionalised) follows its rule: `rules_seed`
    sustained = Reform.objects.filter(year=2018, level=ReformLevel.KEY).order_by("id")[1]
    lookback_record(
        actor=office,
        reform=sustained,
        year=year,
        outcome="sustained",
        findings="改革成效保持稳定，群众反映良好。",
        at=on_day(dt.date(year, 3, 12), 10),
    )
    best = Reform.objects.filter(year=2017, level=ReformLevel.MICRO).order_by("id").first()
    case_save(
        actor=office,
        reform=best,
        title=f"{best.title.removesuffix('（2017）')}：把小事办好",
        highlights="从群众最关心的小事入手，社区议事、部门响应、居民评价闭环运行。",
        experience="一是问需于民，二是清单管理，三是评价反馈。经验已在全区十个街道推广。",
        replicated_by="全区十个街道",
        publish=True,
    )
    appraisal = appraisal_of(year)
    bonus_add(
        actor=office,
        appraisal=appraisal,
        unit=by_short["区政数局"],
        kind="adopted_upward",
        note="商事登记“秒批”经验被市里采纳推广",
    )
    bonus_add(
        actor=office, appraisal=appraisal, unit=by_short["东门街道"], kind="provincial", note="老旧小区改造获省级肯定"
    )

    micro = Reform.objects.filter(year=year, level=ReformLevel.MICRO, lead_unit=by_short["桂园街道"]).first()
    applied = today - dt.timedelta(days=40)
    case = tolerance_apply(
        actor=None,
        unit=by_short["桂园街道"],
        title="“楼栋长”议事会试点推进未达预期",
        facts="试点期间因小区物业更换，议事会组建延期两个月，已调整方案并恢复运行。",
        year=year,
        reform=micro,
        at=on_day(applied, 10),
    )
    tolerance_transition(actor=supervisor, case=case, target="accepted", at=on_day(applied + dt.timedelta(days=2), 10))
    tolerance_transition(
        actor=supervisor,
        case=case,
        target="decided",
        decision="exempted",
        meeting=f"区纪委常委会{year}年第9次会议",
        findings="经调查，延期系客观原因，街道集体研究决定调整方案，未造成损失。",
        reasons="符合“三个区分开来”和容错条件。",
        distinctions={"pilot": True, "unbanned": True, "public_interest": True},
        conditions={"no_private_gain": True, "procedure_followed": True, "losses_remedied": True},
        at=on_day(applied + dt.timedelta(days=15), 10),
    )
    tolerance_transition(actor=supervisor, case=case, target="final", at=on_day(applied + dt.timedelta(days=30), 10))
