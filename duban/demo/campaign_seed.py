"""The demo's special campaigns, played through the campaign services: the 2021 ten special
campaigns (June–October, 21,000+ problems solved across ten categories and ten streets) and a
campaign running now, with open problems in every state, an overdue street, photos and an Open311
client. Area centres are approximate and outlines rough: good enough to route, not a survey."""

from __future__ import annotations

import datetime as dt
import io
import math
import random
from collections import defaultdict

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from duban.campaigns.choices import ChiefKind, ReportSource
from duban.campaigns.models import Campaign, Report
from duban.campaigns.services import setup
from duban.campaigns.services.reports import reports_transition_many
from duban.campaigns.services.submitting import reports_submit_many
from duban.campaigns.stats import tally_fold
from duban.core.env import env_int, env_str
from duban.core.workdays import add_working_days, is_workday, on_day
from duban.orgs.choices import PositionRole, UnitKind
from duban.orgs.models import Unit, User

DEMO_OPEN311_KEY = "luohu-demo-open311-key-2026"  # noqa: S105 - demo data only; DUBAN_DEMO_OPEN311_KEY overrides it

# A rough outline of 罗湖区 (WGS-84) and approximate centres of its streets.
DISTRICT_OUTLINE = [
    [22.532, 114.095], [22.560, 114.092], [22.600, 114.093], [22.640, 114.098], [22.652, 114.118],
    [22.630, 114.140], [22.600, 114.160], [22.592, 114.190], [22.585, 114.228], [22.556, 114.230],
    [22.545, 114.200], [22.535, 114.160], [22.528, 114.125],
]  # fmt: skip
STREET_CENTRES = {
    "桂园街道": (22.5455, 114.1095),
    "黄贝街道": (22.5480, 114.1430),
    "东门街道": (22.5530, 114.1215),
    "翠竹街道": (22.5660, 114.1290),
    "南湖街道": (22.5380, 114.1180),
    "笋岗街道": (22.5700, 114.1080),
    "东湖街道": (22.5780, 114.1520),
    "莲塘街道": (22.5600, 114.1800),
    "东晓街道": (22.5870, 114.1250),
    "清水河街道": (22.6100, 114.1120),
}

# The ten areas of 2021 (code, name, working days, weight of the 21,000); the branch named routes
# that category away from the streets.
CATEGORIES = [
    ("01", "公益广告和文明标识破损", 3, 5, None),
    ("02", "城中村和老旧小区环境卫生（垃圾清运不及时等）", 1, 15, None),
    ("03", "沿街商铺和商业街区秩序", 3, 10, None),
    ("04", "市政道路和交通设施损坏", 5, 8, "交通罗湖管理局"),
    ("05", "非机动车乱停放", 1, 20, None),
    ("06", "行人和非机动车交通违法（人非混行）", 2, 8, "罗湖公安分局"),
    ("07", "农贸市场和背街小巷脏乱", 2, 9, None),
    ("08", "机动车乱停放和不礼让行人", 2, 9, "罗湖公安分局"),
    ("09", "消防通道堵塞", 1, 6, None),
    ("10", "公共场所吸烟和不文明养犬", 2, 10, None),
]
ZONES = [
    ("东门步行街", 22.5475, 114.1200, 500),
    ("深南东路沿线", 22.5440, 114.1140, 300),
    ("水贝珠宝市场周边500米", 22.5700, 114.1230, 500),
]
TEXTS = {
    "01": ["公交站公益广告破损", "文明标识褪色脱落", "围挡公益广告被撕毁"],
    "02": ["垃圾桶满溢未及时清运", "楼道堆放杂物", "巷道污水横流"],
    "03": ["商铺占道经营", "店外乱摆桌椅", "招牌破损有坠落风险"],
    "04": ["人行道地砖破损", "交通护栏倾倒", "井盖缺失"],
    "05": ["共享单车堆放挡住盲道", "电动车乱停在出入口", "单车压占绿化带"],
    "06": ["电动车逆行", "行人闯红灯", "电动车在人行道快速行驶"],
    "07": ["市场门口垃圾堆积", "背街小巷乱搭乱建", "小巷内油污严重"],
    "08": ["机动车占用人行道停放", "斑马线前不礼让行人", "路口违停"],
    "09": ["消防通道被杂物堵塞", "车辆停在消防通道", "消防栓被遮挡"],
    "10": ["遛狗不拴绳", "室内公共场所吸烟", "犬只粪便未清理"],
}
SOLVED_2021 = env_int("DUBAN_DEMO_SOLVED_2021", 21300, minimum=0)


def _photo(text_seed: int, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 240), colour)
    draw = ImageDraw.Draw(image)
    for i in range(6):
        x = (text_seed * 37 + i * 53) % 300
        draw.rectangle([x, 60 + i * 25, x + 40, 80 + i * 25], fill=(255 - colour[0], 200, 90))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return SimpleUploadedFile(f"demo-{text_seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _map_areas() -> dict[str, Unit]:
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    setup.area_shape_set(actor=None, unit=district, center_lat=22.57, center_lng=114.14, outline=DISTRICT_OUTLINE)
    streets = {}
    for street in Unit.objects.filter(parent=district, kind=UnitKind.STREET):
        lat, lng = STREET_CENTRES[street.name]
        setup.area_shape_set(actor=None, unit=street, center_lat=lat, center_lng=lng)
        streets[street.name] = street
        communities = list(street.children.filter(kind=UnitKind.COMMUNITY).order_by("sort_order", "id"))
        for index, community in enumerate(communities):
            angle = 2 * math.pi * index / max(1, len(communities))
            c_lat, c_lng = lat + 0.005 * math.sin(angle), lng + 0.006 * math.cos(angle)
            setup.area_shape_set(actor=None, unit=community, center_lat=c_lat, center_lng=c_lng)
            grids = list(community.children.filter(kind=UnitKind.GRID).order_by("id"))
            for offset, grid in zip((-0.0012, 0.0012), grids, strict=False):
                setup.area_shape_set(actor=None, unit=grid, center_lat=c_lat + offset, center_lng=c_lng - offset)
    return streets


def _campaign(name: str, code: str, starts: dt.date, ends: dt.date, owner: Unit, streets, branches) -> Campaign:
    campaign = setup.campaign_create(
        actor=None,
        owner_unit=owner,
        name=name,
        code=code,
        starts_on=starts,
        ends_on=ends,
        number_prefix="罗专整",
        description="以“路长制、网格长制、片长制、场长制”包干到人，问题发现、派遣、处置、核查、结案全程闭环。",
    )
    categories = {}
    for order, (suffix, title, days, _weight, _branch) in enumerate(CATEGORIES):
        categories[suffix] = setup.category_save(
            actor=None,
            campaign=campaign,
            service_code=f"{code}-{suffix}",
            name=title,
            deadline_working_days=days,
            sort_order=order,
            keywords=title[:20],
        )
    for zone_name, lat, lng, radius in ZONES:
        setup.zone_save(
            actor=None, campaign=campaign, name=zone_name, center_lat=lat, center_lng=lng, radius_m=radius,
            deadline_working_days=1,
        )  # fmt: skip
    for street in streets.values():
        deputy = street.positions.current().filter(role=PositionRole.DEPUTY).select_related("person").first()
        chief = setup.chief_save(actor=None, campaign=campaign, kind=ChiefKind.AREA, person=deputy.person, area=street)
        setup.rule_save(actor=None, campaign=campaign, area=street, unit=street, chief=chief)
        for community in street.children.filter(kind=UnitKind.COMMUNITY):
            head = community.positions.current().filter(role=PositionRole.HEAD).select_related("person").first()
            if head is not None:
                setup.chief_save(actor=None, campaign=campaign, kind=ChiefKind.GRID, person=head.person, area=community)
        for suffix, _title, _days, _weight, branch in CATEGORIES:
            if branch:
                setup.rule_save(
                    actor=None, campaign=campaign, area=street, category=categories[suffix], unit=branches[branch],
                    restart_deadline=False,
                )  # fmt: skip
    dongmen = streets["东门街道"]
    venue_head = dongmen.positions.current().filter(role=PositionRole.HEAD).select_related("person").first()
    setup.chief_save(
        actor=None, campaign=campaign, kind=ChiefKind.VENUE, person=venue_head.person, area=dongmen, road="东门步行街"
    )
    return campaign


def _point(rng: random.Random, street: str) -> tuple[float, float]:
    lat, lng = STREET_CENTRES[street]
    return lat + rng.uniform(-0.006, 0.006), lng + rng.uniform(-0.007, 0.007)


def _specs(rng: random.Random, campaign: Campaign, count: int, weights: dict[str, int]) -> list[dict]:
    categories = {c.service_code.rsplit("-", 1)[1]: c for c in campaign.categories.all()}
    suffixes = list(weights)
    specs = []
    for suffix in rng.choices(suffixes, weights=[weights[s] for s in suffixes], k=count):
        street = rng.choice(list(STREET_CENTRES))
        lat, lng = _point(rng, street)
        specs.append(
            {
                "category": categories[suffix],
                "description": rng.choice(TEXTS[suffix]),
                "lat": round(lat, 6),
                "lng": round(lng, 6),
                "address": "",
            }
        )
    return specs


def seed_campaign_2021(rng: random.Random, logins: dict[str, User], streets, branches, owner) -> Campaign:
    """June–October 2021: every working day the inspectors' and residents' reports of the day are
    submitted, the residents' accepted that afternoon, fixed within (mostly) their deadline and
    verified the next working day. All of it is closed by the end of the campaign."""
    campaign = _campaign(
        "罗湖区文明城市十大专项治理（2021年）",
        "2021",
        dt.date(2021, 6, 1),
        dt.date(2021, 10, 31),
        owner,
        streets,
        branches,
    )
    weights = {suffix: weight for suffix, _t, _d, weight, _b in CATEGORIES}
    days = [d for d in (dt.date(2021, 6, 1) + dt.timedelta(n) for n in range(140)) if is_workday(d)]
    per_day = math.ceil(SOLVED_2021 / len(days))
    due: dict[dt.date, list[Report]] = defaultdict(list)
    verify_on: dict[dt.date, list[Report]] = defaultdict(list)
    office, supervisor = logins["office_admin"], logins["supervisor"]
    photo_fixed = _photo(2021, (90, 140, 90))
    for day in [*days, *(d for d in (days[-1] + dt.timedelta(n) for n in range(1, 40)) if is_workday(d))]:
        if day in days:
            specs = _specs(rng, campaign, per_day, weights)
            inspected = reports_submit_many(
                actor=None,
                campaign=campaign,
                source=ReportSource.INSPECTOR,
                specs=specs[: per_day * 3 // 5],
                accept=True,
                at=on_day(day, 9),
            )
            from_residents = reports_submit_many(
                actor=None,
                campaign=campaign,
                source=ReportSource.PORTAL,
                specs=specs[per_day * 3 // 5 :],
                at=on_day(day, 10),
            )
            accepted = reports_transition_many(
                actor=office, reports=from_residents, action="accept", at=on_day(day, 16)
            )
            for report in [*inspected, *accepted]:
                if rng.random() < 0.07:  # late: one to five days past the deadline
                    fix_day = report.expected_on + dt.timedelta(days=rng.randint(1, 5))
                else:
                    fix_day = min(report.expected_on, day + dt.timedelta(days=rng.randint(0, 2)))
                fix_day = fix_day if is_workday(fix_day) else add_working_days(fix_day, 1)
                due[fix_day].append(report)
        if due.get(day):
            fixed = reports_transition_many(
                actor=None,
                reports=due.pop(day),
                action="fix",
                note="已整改到位",
                photos=[photo_fixed],
                at=on_day(day, 15),
            )
            verify_on[add_working_days(day, 1)].extend(fixed)
        if verify_on.get(day):
            reports_transition_many(
                actor=supervisor, reports=verify_on.pop(day), action="verify", note="现场核查通过", at=on_day(day, 11)
            )
    return campaign


def seed_campaign_now(rng: random.Random, logins: dict[str, User], streets, branches, owner) -> Campaign:
    """The campaign running now: reports of the last eight weeks in every state; 东门街道 late."""
    today = timezone.localdate()
    campaign = _campaign(
        f"罗湖区文明城市常态化专项整治（{today.year}年）", str(today.year), today - dt.timedelta(days=60),
        today + dt.timedelta(days=60), owner, streets, branches,
    )  # fmt: skip
    weights = {suffix: weight for suffix, _t, _d, weight, _b in CATEGORIES}
    office, supervisor = logins["office_admin"], logins["supervisor"]
    resident = User.objects.filter(phone="13800138000").first()
    before = [_photo(i, (170, 80, 70)) for i in range(3)]
    after = _photo(99, (90, 150, 100))
    start = today - dt.timedelta(days=55)
    for offset in range(0, 56, 3):
        day = start + dt.timedelta(days=offset)
        if not is_workday(day):
            continue
        specs = _specs(rng, campaign, 14, weights)
        for spec in specs[:2]:
            spec["photos"] = [rng.choice(before)]
        made = reports_submit_many(
            actor=None, campaign=campaign, source=ReportSource.PORTAL, specs=specs, at=on_day(day, 9)
        )
        if offset > 50:
            continue  # the last days' reports wait in the office's queue
        accepted = reports_transition_many(actor=office, reports=made, action="accept", at=on_day(day, 15))
        late_street = [r for r in accepted if r.street.name == "东门街道"]
        others = [r for r in accepted if r.street.name != "东门街道"]
        if offset > 40:
            reports_transition_many(actor=None, reports=others[:6], action="start", at=on_day(day, 17))
            continue
        fix_at = on_day(add_working_days(day, 1), 11)
        if fix_at.date() >= today:
            continue
        fixed = reports_transition_many(
            actor=None, reports=others, action="fix", note="已整改", public_reply="已整改到位，感谢您的监督。",
            photos=[after], at=fix_at,
        )  # fmt: skip
        verify_at = on_day(add_working_days(fix_at.date(), 1), 10)
        if verify_at.date() < today:
            reports_transition_many(actor=supervisor, reports=fixed, action="verify", note="核查通过", at=verify_at)
        if late_street and offset < 20:
            reports_transition_many(actor=None, reports=late_street, action="start", at=on_day(day, 17))
    # A resident's own report, fixed and waiting for them to confirm (the demo resident signs in by phone).
    if resident is not None:
        mine = reports_submit_many(
            actor=resident,
            campaign=campaign,
            source=ReportSource.PORTAL,
            specs=[{**_specs(rng, campaign, 1, {"05": 1})[0], "photos": [before[0]], "address": "东门步行街"}],
            at=on_day(today - dt.timedelta(days=6), 9),
        )
        mine = reports_transition_many(
            actor=office, reports=mine, action="accept", at=on_day(today - dt.timedelta(days=6), 14)
        )
        reports_transition_many(
            actor=None,
            reports=mine,
            action="fix",
            note="片区网格员现场清理，已约谈共享单车运营企业",
            public_reply="共享单车已清理归位，请您确认是否解决。",
            photos=[after],
            at=on_day(today - dt.timedelta(days=5), 10),
        )
    return campaign


def demo_open311_key() -> str:
    """The demo client's key: DUBAN_DEMO_OPEN311_KEY (checked before anything is written) or the default."""
    return env_str("DUBAN_DEMO_OPEN311_KEY", min_length=16) or DEMO_OPEN311_KEY


def seed_open311_client() -> str:
    key = demo_open311_key()
    setup.client_create(actor=None, name="罗湖plus（演示）", key=key, requests_per_minute=0)
    return key


def seed_campaigns(rng: random.Random, logins: dict[str, User]) -> None:
    streets = _map_areas()
    branches = {unit.short_name: unit for unit in Unit.objects.filter(kind=UnitKind.BRANCH)}
    owner = Unit.objects.get(short_name="区城管局")
    seed_campaign_2021(rng, logins, streets, branches, owner)
    seed_campaign_now(rng, logins, streets, branches, owner)
    seed_open311_client()
    tally_fold()
