"""The maps without tiles: the streets' and communities' outlines (mapped, or approximate around
their centres), the place a point falls in, and the GCJ-02 offset when the tiles are Chinese."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from duban.campaigns import geo, routing
from duban.campaigns.services import setup
from duban.campaigns.tests.conftest import CHENGDONG, DISTRICT_OUTLINE, DONGMEN, GUIYUAN, OUTSIDE, submit_report

# Inside the district, nearer 桂园 than 东门 and far from both centres.
WEST_OF_GUIYUAN = (22.5440, 114.0990)

centre = st.tuples(st.floats(22.53, 22.65), st.floats(114.10, 114.22))


class TestNearestCells:
    @hypothesis_settings(max_examples=60, deadline=None)
    @given(centres=st.lists(centre, min_size=1, max_size=8, unique=True), point=centre)
    def test_a_point_lies_in_the_cell_of_its_nearest_centre_and_no_other(self, centres, point):
        if not geo.contains(DISTRICT_OUTLINE, *point):
            return
        cells = geo.nearest_cells(centres, DISTRICT_OUTLINE)
        distances = sorted((geo.distance_m(*point, *c), i) for i, c in enumerate(centres))
        if len(distances) > 1 and distances[1][0] - distances[0][0] < 5:
            return  # on a border, either side is right
        holding = [i for i, cell in enumerate(cells) if cell and geo.contains(cell, *point)]
        assert holding == [distances[0][1]]

    def test_the_cells_stay_within_the_outline(self):
        cells = geo.nearest_cells([DONGMEN, GUIYUAN, CHENGDONG], DISTRICT_OUTLINE)
        lats = [lat for lat, _lng in DISTRICT_OUTLINE]
        lngs = [lng for _lat, lng in DISTRICT_OUTLINE]
        for cell in cells:
            assert len(cell) >= 3
            for lat, lng in cell:
                assert min(lats) - 1e-6 <= lat <= max(lats) + 1e-6 and min(lngs) - 1e-6 <= lng <= max(lngs) + 1e-6

    def test_a_box_holds_its_points_with_the_margin(self):
        box = geo.box_around([DONGMEN, GUIYUAN], 1000)
        assert geo.contains(box, *DONGMEN) and geo.contains(box, *GUIYUAN)
        south_west = box[0]
        assert 990 < geo.distance_m(south_west[0], GUIYUAN[1], GUIYUAN[0], GUIYUAN[1]) < 1010


class TestMapAreas:
    def test_unmapped_streets_get_approximate_outlines_where_points_are_routed(self, world, personas):
        areas = routing.map_areas()
        assert areas["districts"] == [[list(map(float, p)) for p in DISTRICT_OUTLINE]]
        streets = {a["name"]: a for a in areas["areas"] if a["kind"] == "street"}
        assert set(streets) == {"东门街道", "桂园街道"}
        assert all(s["approximate"] and len(s["outline"]) >= 3 for s in streets.values())
        assert geo.contains(streets["桂园街道"]["outline"], *WEST_OF_GUIYUAN)
        assert not geo.contains(streets["东门街道"]["outline"], *WEST_OF_GUIYUAN)
        assert routing.locate(*WEST_OF_GUIYUAN)[1] == personas.unit_b.pk
        communities = [a for a in areas["areas"] if a["kind"] == "community"]
        assert [c["name"] for c in communities] == ["城东社区"]
        # A street's only community covers the street.
        assert communities[0]["outline"] == streets["东门街道"]["outline"]

    def test_an_outline_the_office_mapped_is_drawn_as_mapped(self, world, personas):
        square = [[22.540, 114.100], [22.552, 114.100], [22.552, 114.114], [22.540, 114.114]]
        setup.area_shape_set(
            actor=None, unit=personas.unit_b, center_lat=GUIYUAN[0], center_lng=GUIYUAN[1], outline=square
        )
        guiyuan = next(a for a in routing.map_areas()["areas"] if a["name"] == "桂园街道")
        assert guiyuan["outline"] == square and not guiyuan["approximate"]

    def test_without_a_district_outline_the_streets_are_drawn_around_their_centres(self, world, personas):
        setup.area_shape_set(actor=None, unit=personas.district, center_lat=22.57, center_lng=114.13, outline=[])
        areas = routing.map_areas()
        assert areas["districts"] == []
        dongmen = next(a for a in areas["areas"] if a["name"] == "东门街道")
        assert geo.contains(dongmen["outline"], *DONGMEN)


class TestPlace:
    def test_a_point_is_named_by_its_street_and_community(self, world, personas):
        assert routing.place_names(*CHENGDONG) == {
            "street": "东门街道",
            "community": "城东社区",
            "address": "东门街道城东社区",
        }
        assert routing.place_names(*GUIYUAN) == {"street": "桂园街道", "community": "", "address": "桂园街道"}

    def test_outside_the_district_there_is_no_place(self, world, personas):
        with pytest.raises(ValidationError) as refusal:
            routing.place_names(*OUTSIDE)
        assert refusal.value.message_dict["location"] == ["该位置不在本区范围内。"]

    def test_the_place_page_answers_in_json(self, client, world):
        url = reverse("portal:problem_place")
        answer = client.get(url, {"lat": CHENGDONG[0], "lng": CHENGDONG[1], "coordinate_system": "wgs84"})
        assert answer.status_code == 200
        assert answer.json() == {
            "street": "东门街道",
            "community": "城东社区",
            "address": "东门街道城东社区",
            "at": [CHENGDONG[0], CHENGDONG[1]],
        }
        outside = client.get(url, {"lat": OUTSIDE[0], "lng": OUTSIDE[1]})
        assert outside.status_code == 400 and outside.json()["error"]
        assert client.get(url, {"lat": "x", "lng": "1"}).status_code == 400


class TestGcj02Tiles:
    """With tiles drawn in GCJ-02 (AMap, Tencent), everything shown moves by the offset and every
    click is converted back to WGS-84 before it is stored or looked up."""

    @pytest.fixture
    def gcj_tiles(self, settings):
        settings.DUBAN_MAP_TILES = "https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}"
        settings.DUBAN_MAP_SUBDOMAINS = "1234"
        settings.DUBAN_MAP_COORDINATES = "gcj02"

    def test_areas_points_and_the_report_are_shown_in_gcj02(self, client, world, personas, gcj_tiles):
        shown = routing.map_settings(point=DONGMEN)
        assert shown["coordinates"] == "gcj02" and shown["subdomains"] == "1234"
        assert geo.distance_m(*shown["point"], *geo.wgs84_to_gcj02(*DONGMEN)) < 0.05
        district = shown["areas"]["districts"][0]
        assert geo.distance_m(*district[0], *geo.wgs84_to_gcj02(*DISTRICT_OUTLINE[0])) < 0.05
        dongmen = next(a for a in shown["areas"]["areas"] if a["name"] == "东门街道")
        assert geo.distance_m(*dongmen["at"], *geo.wgs84_to_gcj02(*DONGMEN)) < 0.05

        report = submit_report(world, personas, photos=[])
        lng, lat = client.get(reverse("portal:problem_points")).json()["features"][0]["geometry"]["coordinates"]
        assert geo.distance_m(lat, lng, *geo.wgs84_to_gcj02(report.lat, report.lng)) < 0.05
        page = client.get(reverse("portal:problem_detail", args=[report.pk])).content.decode()
        assert f'data-lat="{shown["point"][0]:f}"' in page

    def test_a_click_on_gcj02_tiles_is_placed_and_reported_in_wgs84(self, client, world, personas, gcj_tiles):
        clicked = geo.wgs84_to_gcj02(*CHENGDONG)
        form = client.get(reverse("portal:problem_new")).content.decode()
        assert 'name="coordinate_system" value="gcj02"' in form
        answer = client.get(
            reverse("portal:problem_place"), {"lat": clicked[0], "lng": clicked[1], "coordinate_system": "gcj02"}
        ).json()
        assert answer["address"] == "东门街道城东社区"
        # The device's location comes in WGS-84 and goes back in the map's coordinates.
        located = client.get(
            reverse("portal:problem_place"), {"lat": CHENGDONG[0], "lng": CHENGDONG[1], "coordinate_system": "wgs84"}
        ).json()
        assert geo.distance_m(*located["at"], *clicked) < 0.05

    def test_chinese_tile_hosts_default_to_gcj02_and_their_host_is_allowed(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("DUBAN_MAP_")}
        env.update(
            DUBAN_MAP_TILES="https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}",
            DJANGO_SETTINGS_MODULE="duban.settings",
            DUBAN_DEMO="1",
        )
        code = (
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DUBAN_MAP_COORDINATES, s.DUBAN_CSP_EXTRA_IMG_SRC[0])"
        )
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
        assert out.stdout.split() == ["gcj02", "https://*.is.autonavi.com"], out.stderr
        env.update(DUBAN_MAP_TILES="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", DUBAN_MAP_COORDINATES="")
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)  # noqa: S603
        assert out.stdout.split() == ["wgs84", "https://*.tile.openstreetmap.org"], out.stderr
