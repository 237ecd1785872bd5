"""The Open311 GeoReport v2 endpoint: every call in JSON and XML, every error case, privacy, and
the third-party `georeport` client against a live server."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own responses in tests

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.choices import ReportState
from duban.campaigns.models import Report
from duban.campaigns.services import setup
from duban.campaigns.services.reports import report_transition
from duban.campaigns.tests.conftest import DONGMEN, GUIYUAN, OUTSIDE

KEY = "open311-test-key-0123456789"
BASE = "/open311/v2"


@pytest.fixture
def client_key(world):
    client, key = setup.client_create(actor=None, name="罗湖plus", key=KEY)
    return client


def post(client, fmt="json", **fields):
    data = {"api_key": KEY, "service_code": "t-parking", "lat": DONGMEN[0], "long": DONGMEN[1], **fields}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"{BASE}/requests.{fmt}", data)


def xml(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 - our own output


class TestDiscoveryAndServices:
    def test_discovery_in_both_formats(self, client, world):
        body = client.get(f"{BASE}/discovery.json").json()
        assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert set(body["endpoints"][0]["formats"]) == {"application/json", "text/xml"}
        root = xml(client.get(f"{BASE}/discovery.xml"))
        assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None
        assert root.find("changeset").text and root.find("contact").text and root.find("key_service").text

    def test_services_list_the_running_campaigns_categories(self, client, world):
        response = client.get(f"{BASE}/services.json")
        assert response["Content-Type"] == "application/json; charset=utf-8"
        codes = {row["service_code"]: row for row in response.json()}
        assert set(codes) == {"t-dogs", "t-parking", "t-garbage"}
        assert codes["t-dogs"]["service_name"] == "不文明养犬" and codes["t-dogs"]["type"] == "realtime"
        assert codes["t-dogs"]["metadata"] is True and codes["t-dogs"]["group"] == world.campaign.name
        response = client.get(f"{BASE}/services.xml")
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        root = xml(response)
        assert root.tag == "services" and len(root.findall("service")) == 3
        assert root.find("service/metadata").text == "true"

    def test_service_definition_and_unknown_code(self, client, world):
        body = client.get(f"{BASE}/services/t-dogs.json").json()
        attribute = body["attributes"][0]
        assert body["service_code"] == "t-dogs" and attribute["code"] == "coordinate_system"
        assert {v["key"] for v in attribute["values"]} == {"wgs84", "gcj02"}
        root = xml(client.get(f"{BASE}/services/t-dogs.xml"))
        assert root.tag == "service_definition" and root.find("attributes/attribute/values/value/key") is not None
        for fmt in ("json", "xml"):
            assert client.get(f"{BASE}/services/nope.{fmt}").status_code == 404

    def test_unknown_jurisdiction_is_404(self, client, world):
        response = client.get(f"{BASE}/services.json", {"jurisdiction_id": "elsewhere.example"})
        assert response.status_code == 404 and response.json()[0]["code"] == 404
        assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "luohu.sz.gov.cn"}).status_code == 200


class TestPostingRequests:
    def test_post_creates_a_routed_report_and_answers_its_id(self, client, client_key):
        response = post(
            client, description="电动车堆放在消防通道", first_name="小明", last_name="王", phone="13912345678"
        )
        assert response.status_code == 201
        row = response.json()[0]
        report = Report.objects.get(pk=int(row["service_request_id"]))
        assert report.client == client_key and report.routed_unit.name == "东门街道"
        assert (report.contact_name, report.contact_phone) == ("王 小明", "13912345678")
        assert "token" not in row and row["service_notice"]

    def test_post_in_xml_with_the_key_in_the_query_string(self, client, client_key):
        data = {"service_code": "t-dogs", "lat": GUIYUAN[0], "long": GUIYUAN[1], "description": "遛狗不拴绳"}
        response = client.post(f"{BASE}/requests.xml?api_key={KEY}", data)
        assert response.status_code == 201
        root = xml(response)
        assert root.tag == "service_requests" and root.find("request/service_request_id").text.isdigit()

    def test_gcj02_flagged_by_attribute_is_stored_as_wgs84(self, client, client_key):
        from duban.campaigns import geo

        lat, lng = geo.wgs84_to_gcj02(*DONGMEN)
        response = post(client, lat=lat, long=lng, **{"attribute[coordinate_system]": "gcj02"})
        report = Report.objects.get(pk=int(response.json()[0]["service_request_id"]))
        assert geo.distance_m(report.lat, report.lng, *DONGMEN) < 0.5

    @pytest.mark.parametrize(
        ("fields", "status"),
        [
            ({"api_key": None}, 403),
            ({"api_key": "wrong-key-wrong-key"}, 403),
            ({"service_code": None}, 400),
            ({"service_code": "no-such-service"}, 404),
            ({"lat": None, "long": None}, 400),
            ({"long": None}, 400),
            ({"lat": OUTSIDE[0], "long": OUTSIDE[1]}, 400),
            ({"lat": "north", "long": "east"}, 400),
            ({"description": "x" * 4001}, 400),
            ({"description": "<script>alert(1)</script>"}, 400),
            ({"attribute[coordinate_system]": "bd09"}, 400),
            ({"media_url": "javascript:alert(1)"}, 400),
            ({"email": "not-an-address"}, 400),
            ({"lat": None, "long": None, "address_id": "A-77"}, 400),
            ({"description": "坑\x00洞"}, 400),
            ({"device_id": "phone\x00"}, 400),
        ],
    )
    def test_errors_in_the_spec_format_and_nothing_saved(self, client, client_key, fields, status):
        for fmt in ("json", "xml"):
            response = post(client, fmt, **fields)
            assert response.status_code == status, response.content
            if fmt == "json":
                error = response.json()[0]
                assert error["code"] == status and error["description"]
            else:
                root = xml(response)
                assert root.tag == "errors" and root.find("error/code").text == str(status)
                assert root.find("error/description").text
        assert Report.objects.count() == 0

    @pytest.mark.parametrize(
        ("fields", "named"),
        [({"description": "x" * 4001}, "description: "), ({"email": "not-an-address"}, "email: "),
         ({"lat": "north", "long": "east"}, "lat/long: ")],
    )  # fmt: skip
    def test_a_refusal_names_the_field_as_the_client_sent_it(self, client, client_key, fields, named):
        assert post(client, "json", **fields).json()[0]["description"].startswith(named)

    def test_a_revoked_key_is_refused(self, client, client_key):
        assert post(client).status_code == 201
        setup.client_set_active(actor=None, client=client_key, active=False)
        assert post(client).status_code == 403
        assert Report.objects.count() == 1

    def test_set_up_changes_apply_to_the_very_next_post(self, client, client_key, world, personas):
        # The first post leaves the services and the routing table held in memory.
        assert Report.objects.get(pk=post(client).json()[0]["service_request_id"]).routed_unit == personas.unit_a
        setup.rule_save(
            actor=None,
            campaign=world.campaign,
            area=personas.unit_a,
            category=world.parking,
            unit=world.city_management,
        )
        assert Report.objects.get(pk=post(client).json()[0]["service_request_id"]).routed_unit == world.city_management
        setup.category_save(actor=None, campaign=world.campaign, category=world.parking, is_active=False)
        assert post(client).status_code == 404
        assert Report.objects.count() == 2

    def test_a_post_writes_the_report_its_events_and_its_count(self, client, client_key, world):
        from duban.campaigns.stats import figures

        report = Report.objects.get(pk=post(client).json()[0]["service_request_id"])
        assert list(report.events.values_list("code", flat=True)) == [
            "campaigns.report.submitted",
            "campaigns.report.routed",
        ]
        assert report.events.get(code="campaigns.report.routed").data == {"unit": "东门街道", "chief": "测试网格长"}
        assert (report.state, report.client_id, len(report.token)) == ("submitted", client_key.pk, 24)
        assert figures(campaign=world.campaign).received == 1

    def test_a_client_over_its_rate_is_refused_without_saving(self, client, client_key):
        client_key.requests_per_minute = 2
        client_key.save()
        assert [post(client).status_code for _ in range(3)] == [201, 201, 429]
        assert Report.objects.count() == 2

    def test_get_on_a_post_only_argument_does_not_create(self, client, client_key):
        client.get(f"{BASE}/requests.json", {"api_key": KEY, "service_code": "t-parking"})
        assert Report.objects.count() == 0


class TestReadingRequests:
    @pytest.fixture
    def posted(self, client, client_key, personas):
        ids = []
        for fields in (
            {"description": "第一件", "email": "secret@example.org", "phone": "13911112222", "first_name": "秘密"},
            {"description": "第二件", "service_code": "t-dogs"},
            {"description": "第三件"},
        ):
            ids.append(int(post(client, **fields).json()[0]["service_request_id"]))
        report = Report.objects.get(pk=ids[2])
        report_transition(
            actor=personas.office_admin,
            report=report,
            action="transfer",
            note="不属区级事权",
            transferred_to="市交通运输局",
        )
        return ids

    def test_one_request_is_a_list_of_one_without_contact_details(self, client, posted):
        response = client.get(f"{BASE}/requests/{posted[0]}.json")
        rows = response.json()
        assert len(rows) == 1 and rows[0]["service_request_id"] == str(posted[0])
        row = rows[0]
        assert row["status"] == "open" and row["agency_responsible"] == "东门街道"
        assert row["requested_datetime"].endswith("+08:00")
        assert row["lat"] == DONGMEN[0] and row["long"] == DONGMEN[1]
        text = response.content.decode()
        for secret in ("secret@example.org", "13911112222", "秘密"):
            assert secret not in text
        xml_text = client.get(f"{BASE}/requests/{posted[0]}.xml").content.decode()
        assert "<service_request_id>" in xml_text and "13911112222" not in xml_text

    def test_unknown_request_is_404_in_both_formats(self, client, posted):
        for fmt in ("json", "xml"):
            assert client.get(f"{BASE}/requests/999999.{fmt}").status_code == 404
            assert client.get(f"{BASE}/requests/abc.{fmt}").status_code == 404
            assert client.get(f"{BASE}/requests/².{fmt}").status_code == 404

    def test_list_filters(self, client, posted):
        everything = client.get(f"{BASE}/requests.json").json()
        assert [row["service_request_id"] for row in everything] == [str(pk) for pk in reversed(posted)]
        assert len(client.get(f"{BASE}/requests.json", {"service_code": "t-dogs"}).json()) == 1
        assert len(client.get(f"{BASE}/requests.json", {"service_code": "t-dogs,t-parking"}).json()) == 3
        closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
        assert [row["service_request_id"] for row in closed] == [str(posted[2])]
        assert closed[0]["description"] == "第三件" and "市交通运输局" in closed[0]["status_notes"]
        assert len(client.get(f"{BASE}/requests.json", {"status": "open,closed"}).json()) == 3
        ids = f"{posted[0]},{posted[2]}"
        chosen = client.get(f"{BASE}/requests.json", {"service_request_id": ids, "service_code": "t-dogs"}).json()
        assert {row["service_request_id"] for row in chosen} == {str(posted[0]), str(posted[2])}
        paged = client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 2}).json()
        assert [row["service_request_id"] for row in paged] == [str(posted[0])]

    def test_date_window(self, client, posted):
        now = timezone.localtime()
        old = {
            "start_date": (now - dt.timedelta(days=200)).isoformat(),
            "end_date": (now - dt.timedelta(days=150)).isoformat(),
        }
        assert client.get(f"{BASE}/requests.json", old).json() == []
        recent = {
            "start_date": (now - dt.timedelta(days=1)).isoformat(),
            "end_date": (now + dt.timedelta(hours=1)).isoformat(),
        }
        assert len(client.get(f"{BASE}/requests.json", recent).json()) == 3
        assert len(client.get(f"{BASE}/requests.xml", recent).content) > 0

    @pytest.mark.parametrize(
        "query",
        [
            {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
            {"start_date": "2026-06-01", "end_date": "2026-01-01"},
            {"start_date": "yesterday"},
            {"status": "pending"},
            {"service_request_id": "1;DROP TABLE"},
            {"page_size": "-1"},
            {"page": "²"},
            {"service_request_id": "1,²"},
            {"start_date": "2026-02-30"},
            {"end_date": "2026-11-31T10:00:00+08:00"},
        ],
    )
    def test_bad_queries_are_400(self, client, posted, query):
        for fmt in ("json", "xml"):
            response = client.get(f"{BASE}/requests.{fmt}", query)
            assert response.status_code == 400

    def test_tokens(self, client, posted):
        report = Report.objects.get(pk=posted[0])
        row = client.get(f"{BASE}/tokens/{report.token}.json").json()[0]
        assert row == {"service_request_id": str(report.pk), "token": report.token}
        assert xml(client.get(f"{BASE}/tokens/{report.token}.xml")).find("request/token").text == report.token
        assert client.get(f"{BASE}/tokens/nope.json").status_code == 404

    def test_closed_after_verification(self, client, posted, personas):
        report = Report.objects.get(pk=posted[0])
        report = report_transition(actor=personas.office_admin, report=report, action="accept")
        from duban.campaigns.tests.conftest import make_photo

        report = report_transition(
            actor=personas.unit_a_staff, report=report, action="fix", note="已清理", photos=[make_photo()]
        )
        report_transition(actor=personas.supervisor, report=report, action="verify")
        row = client.get(f"{BASE}/requests/{report.pk}.json").json()[0]
        assert row["status"] == "closed" and row["updated_datetime"].endswith("+08:00")
        assert row["expected_datetime"].endswith("+08:00")
        assert Report.objects.get(pk=report.pk).state == ReportState.CLOSED


class TestOnePublicRule:
    """Open311 shows what the portal shows: the same reports, and never a rejected one (with its
    place, its description or the office's reason)."""

    @pytest.fixture
    def reports(self, client, client_key, personas):
        shown = [int(post(client, description=f"第{n}件").json()[0]["service_request_id"]) for n in range(2)]
        hidden = int(
            post(
                client, description="邻居家门口堆物，联系人王某", address_string="翠竹苑3栋", lat=22.5601, long=114.1301
            ).json()[0]["service_request_id"]
        )
        report_transition(
            actor=personas.office_admin,
            report=Report.objects.get(pk=hidden),
            action="reject",
            note="邻里纠纷，信息不实",
        )
        report_transition(actor=personas.office_admin, report=Report.objects.get(pk=shown[1]), action="duplicate",
                          duplicate_of=Report.objects.get(pk=shown[0]))  # fmt: skip
        return shown, hidden

    def test_a_rejected_report_is_not_in_open311(self, client, reports):
        shown, hidden = reports
        for fmt in ("json", "xml"):
            assert client.get(f"{BASE}/requests/{hidden}.{fmt}").status_code == 404
        for query in ({}, {"status": "closed"}, {"status": "open,closed"}, {"service_request_id": f"{hidden}"}):
            for fmt in ("json", "xml"):
                text = client.get(f"{BASE}/requests.{fmt}", query).content.decode()
                for leak in ("邻里纠纷", "信息不实", "翠竹苑", "联系人王某", "22.5601", "114.1301"):
                    assert leak not in text, (query, fmt, leak)
        closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
        assert [row["service_request_id"] for row in closed] == [str(shown[1])]

    def test_open311_and_the_portal_show_the_same_reports(self, client, reports):
        shown, hidden = reports
        from_open311 = {int(row["service_request_id"]) for row in client.get(f"{BASE}/requests.json").json()}
        points = client.get(reverse("portal:problem_points")).json()["features"]
        on_the_map = {feature["properties"]["id"] for feature in points}
        listed = client.get(reverse("portal:problems")).content.decode()
        assert from_open311 == set(shown) == set(Report.objects.public().values_list("pk", flat=True))
        assert on_the_map == {shown[0]}  # the map draws open problems (and recently closed ones)
        assert all(reverse("portal:problem_detail", args=[pk]) in listed for pk in shown)
        assert reverse("portal:problem_detail", args=[hidden]) not in listed
        assert client.get(reverse("portal:problem_detail", args=[hidden])).status_code == 404
        assert all(client.get(reverse("portal:problem_detail", args=[pk])).status_code == 200 for pk in shown)


@pytest.mark.django_db(transaction=True)
def test_the_georeport_client_reads_our_endpoint(live_server, world):
    """The third-party PyPI client `georeport` 0.3.1, over HTTP, in JSON and in XML."""
    import requests
    from georeport import GeoReport

    setup.client_create(actor=None, name="测试客户端", key=KEY)
    created = requests.post(
        f"{live_server.url}{BASE}/requests.json",
        data={
            "api_key": KEY,
            "service_code": "t-garbage",
            "lat": DONGMEN[0],
            "long": DONGMEN[1],
            "description": "垃圾满溢",
        },
        timeout=10,
    )
    assert created.status_code == 201
    request_id = created.json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        api = GeoReport(f"{live_server.url}{BASE}/", jurisdiction="luohu.sz.gov.cn", output_format=fmt)
        services = api.get_service_list()
        names = {row["service_name"] for row in services}
        assert {"不文明养犬", "非机动车乱停放", "垃圾清运不及时"} <= names
        definition = api.get_service_definition("t-garbage")
        assert definition["service_code"] == "t-garbage"
        requests_ = api.get_service_requests(service_code="t-garbage", status="open")
        rows = requests_ if isinstance(requests_, list) else [requests_]
        assert [row["service_request_id"] for row in rows] == [request_id]
        one = api.get_service_request(request_id)
        assert one["service_name"] == "垃圾清运不及时" and one["status"] == "open"
        assert str(one["requested_datetime"]).endswith("+08:00")
