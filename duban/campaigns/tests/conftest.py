"""A mapped district with a running campaign: two streets, a community, a department, rules and chiefs."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image

from duban.campaigns.choices import ChiefKind, ReportSource
from duban.campaigns.models import Campaign, Category, Chief
from duban.campaigns.services import setup
from duban.campaigns.services.submitting import report_submit
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole, UnitKind
from duban.orgs.models import Unit

# A rough outline of the district and points inside it (WGS-84).
DISTRICT_OUTLINE = [
    [22.535, 114.095], [22.640, 114.095], [22.655, 114.125], [22.600, 114.160],
    [22.585, 114.225], [22.550, 114.225], [22.530, 114.150],
]  # fmt: skip
DONGMEN = (22.5535, 114.1205)  # 东门街道 (unit A)
CHENGDONG = (22.5562, 114.1270)  # 城东社区, in unit A
GUIYUAN = (22.5460, 114.1080)  # 桂园街道 (unit B)
OUTSIDE = (22.5200, 114.0500)  # Hong Kong side of the river


@dataclass
class World:
    campaign: Campaign
    dogs: Category
    parking: Category
    garbage: Category
    city_management: Unit
    chief_a: Chief
    chief_b: Chief


def make_photo(*, size=(64, 48), fmt="JPEG", name="photo.jpg", gps=False) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 60, 40))
    out = io.BytesIO()
    kwargs = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "TestCam"  # Make
        exif[0x8825] = {1: "N", 2: (22.0, 33.0, 12.0), 3: "E", 4: (114.0, 7.0, 30.0)}  # GPSInfo
        kwargs["exif"] = exif
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def submit_report(world, personas, category="parking", at=DONGMEN, actor=None, **fields):
    """A resident's report of a parking problem at 东门 with a photo, unless told otherwise."""
    values = {
        "actor": actor or personas.resident,
        "campaign": world.campaign,
        "category": world.parking if category == "parking" else category,
        "description": "共享单车堆在人行道上，挡住盲道",
        "source": ReportSource.PORTAL,
        "lat": at[0],
        "lng": at[1],
        "photos": [make_photo()],
        **fields,
    }
    return report_submit(**values)


def office_workbook(rows: list[list], header: list[str]) -> bytes:
    """A street office's own problem ledger: a merged title, a 填报单位 row, the header on row 3,
    the rows, a blank row and a 填报人 footer."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["文明城市专项整治问题台账"])
    sheet.append(["填报单位：东门街道办事处", None, None, None, None, "填报日期：2026年11月20日"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append(["填报人：陈网格", None, None, "联系电话：0755-82000000"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def world(personas) -> World:
    p = personas
    setup.area_shape_set(actor=None, unit=p.district, center_lat=22.57, center_lng=114.13, outline=DISTRICT_OUTLINE)
    setup.area_shape_set(actor=None, unit=p.unit_a, center_lat=DONGMEN[0], center_lng=DONGMEN[1])
    setup.area_shape_set(actor=None, unit=p.unit_b, center_lat=GUIYUAN[0], center_lng=GUIYUAN[1])
    setup.area_shape_set(actor=None, unit=p.unit_a_community, center_lat=CHENGDONG[0], center_lng=CHENGDONG[1])
    city = org_services.unit_create(
        actor=None, parent=p.district, name="区城市管理和综合执法局", kind=UnitKind.DEPARTMENT
    )
    today = timezone.localdate()
    campaign = setup.campaign_create(
        actor=p.office_admin,
        owner_unit=p.reform_office,
        name="文明城市十大专项整治",
        code="test",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=120),
    )
    dogs = setup.category_save(
        actor=None, campaign=campaign, service_code="t-dogs", name="不文明养犬", deadline_working_days=3
    )
    parking = setup.category_save(
        actor=None, campaign=campaign, service_code="t-parking", name="非机动车乱停放", deadline_working_days=2
    )
    garbage = setup.category_save(
        actor=None, campaign=campaign, service_code="t-garbage", name="垃圾清运不及时", deadline_working_days=1
    )
    grid_person = org_services.person_create(actor=None, name="测试网格长")
    org_services.position_assign(actor=None, person=grid_person, unit=p.unit_a_community, role=PositionRole.STAFF)
    chief_a = setup.chief_save(actor=None, campaign=campaign, kind=ChiefKind.GRID, person=grid_person, area=p.unit_a)
    road_person = org_services.person_create(actor=None, name="测试路长")
    chief_b = setup.chief_save(
        actor=None, campaign=campaign, kind=ChiefKind.ROAD, person=road_person, area=p.unit_b, road="深南东路"
    )
    setup.rule_save(actor=None, campaign=campaign, area=p.unit_a, unit=p.unit_a)
    setup.rule_save(actor=None, campaign=campaign, area=p.unit_b, unit=p.unit_b, restart_deadline=False)
    setup.rule_save(actor=None, campaign=campaign, area=p.district, category=dogs, unit=city)
    return World(campaign, dogs, parking, garbage, city, chief_a, chief_b)
