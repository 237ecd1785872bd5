"""The pages: reporting on the portal, the public report page, the staff queue and report page,
the inspectors' form, statistics, and who sees what (fixed personas)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.campaigns.choices import ReportSource, ReportState
from duban.campaigns.models import Open311Client, Report
from duban.campaigns.services.reports import report_transition
from duban.campaigns.services.submitting import report_submit
from duban.campaigns.tests.conftest import DONGMEN, GUIYUAN, OUTSIDE, make_photo
from duban.ledger.choices import ItemState


def report(world, personas, **kwargs):
    values = {
        "actor": personas.resident,
        "campaign": world.campaign,
        "category": world.parking,
        "description": "单车堆在盲道上",
        "source": ReportSource.PORTAL,
        "lat": DONGMEN[0],
        "lng": DONGMEN[1],
        "contact_name": "王秘密",
        "contact_phone": "13955556666",
        "photos": [make_photo()],
        **kwargs,
    }
    return report_submit(**values)


def form_data(world, **fields):
    return {
        "category": world.parking.pk,
        "description": "电动车挡住消防通道",
        "lat": DONGMEN[0],
        "lng": DONGMEN[1],
        "coordinate_system": "wgs84",
        **fields,
    }


class TestPortalReporting:
    def test_a_resident_reports_with_a_photo_and_follows_it(self, client, world, personas):
        client.force_login(personas.resident)
        response = client.post(reverse("portal:problem_new"), {**form_data(world), "photos": [make_photo()]})
        made = Report.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("portal:problem_detail", args=[made.pk])
        assert made.reporter == personas.resident and made.photos.count() == 1
        assert made.contact_phone == personas.resident.phone
        assert made.followers.filter(user=personas.resident).exists()
        page = client.get(reverse("portal:problem_detail", args=[made.pk])).content.decode()
        assert (
            "电动车挡住消防通道" in page
            and reverse("portal:problem_photo", args=[made.pk, made.photos.get().pk]) in page
        )

    def test_anonymous_reports_are_rate_limited_per_client(self, client, world, settings):
        settings.DUBAN_ANONYMOUS_REPORTS_PER_HOUR = 2
        codes = [client.post(reverse("portal:problem_new"), form_data(world)).status_code for _ in range(3)]
        assert codes == [302, 302, 400]
        assert Report.objects.count() == 2

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"category": ""}, "选择类别"),
            ({"lat": "", "lng": ""}, "点击地图"),
            ({"lat": OUTSIDE[0], "lng": OUTSIDE[1]}, "不在本区"),
            ({"description": "<script>alert('x')</script>"}, "不允许"),
        ],
    )
    def test_bad_input_is_shown_in_chinese_and_nothing_saved(self, client, world, fields, message):
        response = client.post(reverse("portal:problem_new"), form_data(world, **fields))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert Report.objects.count() == 0

    def test_a_non_image_photo_is_refused(self, client, world):
        fake = io.BytesIO(b"%PDF-1.4 not a photo")
        fake.name = "scan.jpg"
        response = client.post(reverse("portal:problem_new"), {**form_data(world), "photos": [fake]})
        assert response.status_code == 400 and "scan.jpg" in response.content.decode()
        assert Report.objects.count() == 0

    def test_nearby_suggestions(self, client, world, personas):
        existing = report(world, personas)
        url = reverse("portal:problem_nearby")
        near = client.get(url, {"category": world.parking.pk, "lat": DONGMEN[0] + 0.001, "lng": DONGMEN[1]})
        assert f"#{existing.pk}" in near.content.decode()
        far = client.get(url, {"category": world.parking.pk, "lat": GUIYUAN[0], "lng": GUIYUAN[1]})
        assert f"#{existing.pk}" not in far.content.decode()
        assert client.get(url, {"category": "x"}).status_code == 404
        assert client.get(url, {"category": "²"}).status_code == 404
        for lat, lng in (("inf", "114.1"), ("nan", "nan"), ("95", "114.1")):
            response = client.get(url, {"category": world.parking.pk, "lat": lat, "lng": lng})
            assert response.status_code == 200 and f"#{existing.pk}" not in response.content.decode()

    def test_unicode_digits_in_filters_are_ignored_not_a_server_error(self, client, world, personas):
        for url in (reverse("portal:problems"), reverse("portal:problem_stats")):
            assert client.get(url, {"campaign": "²", "category": "٣"}).status_code == 200
        client.force_login(personas.office_admin)
        queue = reverse("campaigns:report_queue", args=[world.campaign.pk])
        assert client.get(queue, {"street": "²", "q": "²"}).status_code == 200

    def test_follow_this_one_instead_needs_sign_in(self, client, world, personas):
        existing = report(world, personas)
        act = reverse("portal:problem_act", args=[existing.pk])
        assert client.post(act, {"action": "follow"}).status_code == 302
        assert not existing.followers.exclude(user=personas.resident).exists()
        client.force_login(personas.other_resident)
        client.post(act, {"action": "follow"})
        assert existing.followers.filter(user=personas.other_resident).exists()


class TestPrivacy:
    @pytest.mark.parametrize("who", ["anonymous", "resident", "other_resident", "expert", "unit_b_staff"])
    def test_contact_details_are_never_shown_to_others(self, client, world, personas, who):
        made = report(world, personas)
        user = getattr(personas, who)
        if user is not None:
            client.force_login(user)
        pages = [
            reverse("portal:problem_detail", args=[made.pk]),
            reverse("portal:problems"),
            reverse("portal:problem_points"),
        ]
        if who == "unit_b_staff":
            pages.append(reverse("campaigns:report_detail", args=[made.pk]))
        for url in pages:
            text = client.get(url).content.decode()
            assert "13955556666" not in text and "王秘密" not in text, url
            if who != "resident":  # nor who reported: the staff timeline names no resident to them
                assert str(personas.resident) not in text, url

    @pytest.mark.parametrize("who", ["office_admin", "unit_a_staff"])
    def test_the_office_and_the_responsible_unit_see_the_contact(self, client, world, personas, who):
        made = report(world, personas)
        client.force_login(getattr(personas, who))
        text = client.get(reverse("campaigns:report_detail", args=[made.pk])).content.decode()
        assert "13955556666" in text

    def test_staff_pages_are_closed_to_residents_and_anonymous(self, client, world, personas):
        made = report(world, personas)
        url = reverse("campaigns:report_detail", args=[made.pk])
        assert client.get(url).status_code == 302
        client.force_login(personas.resident)
        assert client.get(url).status_code == 403
        assert client.get(reverse("campaigns:report_queue", args=[world.campaign.pk])).status_code == 403

    def test_a_rejected_report_is_hidden_from_the_public(self, client, world, personas):
        made = report(world, personas)
        report_transition(actor=personas.office_admin, report=made, action="reject", note="无效")
        assert client.get(reverse("portal:problem_detail", args=[made.pk])).status_code == 404
        client.force_login(personas.resident)
        assert client.get(reverse("portal:problem_detail", args=[made.pk])).status_code == 200
        photo = made.photos.get()
        response = client.get(reverse("portal:problem_photo", args=[made.pk, photo.pk]))
        assert response.status_code == 200 and response["Cache-Control"].startswith("private")


class TestStaffPages:
    def test_the_office_accepts_in_bulk_and_unit_b_cannot(self, client, world, personas):
        first, second = report(world, personas), report(world, personas, lat=GUIYUAN[0], lng=GUIYUAN[1])
        url = reverse("campaigns:report_queue", args=[world.campaign.pk])
        client.force_login(personas.unit_b_staff)
        assert client.post(url, {"report": [first.pk, second.pk]}).status_code == 403
        client.force_login(personas.office_admin)
        client.post(url, {"report": [first.pk, second.pk]})
        assert set(Report.objects.values_list("state", flat=True)) == {ReportState.ACCEPTED}

    def test_the_queue_finds_reports_by_a_word_of_their_description_or_their_number(
        self, client, world, personas, search_common
    ):
        bikes = [report(world, personas, description=f"共享单车堵住盲道{n}", photos=[]) for n in range(2)]
        lamp = report(world, personas, description="路灯不亮", photos=[])
        url = reverse("campaigns:report_queue", args=[world.campaign.pk])
        client.force_login(personas.office_admin)
        html = client.get(url, {"q": "单车堵住"}).content.decode()
        assert all(reverse("campaigns:report_detail", args=[b.pk]) in html for b in bikes)
        assert reverse("campaigns:report_detail", args=[lamp.pk]) not in html
        html = client.get(url, {"q": f"#{lamp.pk}"}).content.decode()  # as the queue shows a number
        assert reverse("campaigns:report_detail", args=[lamp.pk]) in html
        assert reverse("campaigns:report_detail", args=[bikes[0].pk]) not in html

    def test_unit_fixes_with_a_photo_and_a_refusal_keeps_the_note(self, client, world, personas):
        made = report_transition(actor=personas.office_admin, report=report(world, personas), action="accept")
        url = reverse("campaigns:report_detail", args=[made.pk])
        client.force_login(personas.unit_b_staff)
        assert client.post(url, {"action": "fix", "note": "已清理"}).status_code == 403
        client.force_login(personas.unit_a_staff)
        refused = client.post(url, {"action": "fix", "note": "已清理完毕"})
        assert refused.status_code == 400 and "已清理完毕" in refused.content.decode()
        assert Report.objects.get(pk=made.pk).state == ReportState.ACCEPTED
        client.post(url, {"action": "fix", "note": "已清理完毕", "photos": [make_photo()]})
        made.refresh_from_db()
        assert made.state == ReportState.FIXED and made.item.state == ItemState.SUBMITTED

    def test_reroute_from_the_page(self, client, world, personas):
        made = report(world, personas)
        client.force_login(personas.office_admin)
        url = reverse("campaigns:report_detail", args=[made.pk])
        client.post(url, {"action": "reroute", "unit": personas.unit_b.pk, "note": "在桂园一侧"})
        assert Report.objects.get(pk=made.pk).routed_unit == personas.unit_b
        assert client.post(url, {"action": "reroute", "unit": "abc"}).status_code == 404

    def test_queue_filters_and_export(self, client, world, personas):
        report(world, personas)
        report(world, personas, category=world.dogs, lat=GUIYUAN[0], lng=GUIYUAN[1])
        client.force_login(personas.office_admin)
        url = reverse("campaigns:report_queue", args=[world.campaign.pk])
        page = client.get(url, {"category": world.dogs.pk}).content.decode()
        assert page.count("report-submitted") == 1
        download = client.get(url, {"category": world.dogs.pk, "format": "xlsx"})
        rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
        assert len(rows) == 2 and rows[1][1] == "不文明养犬" and "13955556666" not in str(rows)

    def test_inspector_report_is_dispatched_at_once(self, client, world, personas):
        client.force_login(personas.unit_a_staff)
        response = client.post(reverse("campaigns:inspect"), {**form_data(world), "photos": [make_photo()]})
        assert response.status_code == 302
        made = Report.objects.get()
        assert made.source == ReportSource.INSPECTOR and made.state == ReportState.ACCEPTED and made.item is not None

    def test_set_up_pages(self, client, world, personas):
        client.force_login(personas.office_admin)
        detail = client.get(reverse("campaigns:campaign_detail", args=[world.campaign.pk])).content.decode()
        assert "不文明养犬" in detail and "区城市管理和综合执法局" in detail
        response = client.post(
            reverse("campaigns:category_new", args=[world.campaign.pk]),
            {
                "name": "公共场所吸烟",
                "service_code": "t-smoking",
                "deadline_working_days": 2,
                "sort_order": 9,
                "is_active": "on",
            },
        )
        assert response.status_code == 302 and world.campaign.categories.filter(name="公共场所吸烟").exists()
        duplicate = client.post(
            reverse("campaigns:category_new", args=[world.campaign.pk]),
            {"name": "公共场所吸烟", "service_code": "t-smoking2", "deadline_working_days": 2, "sort_order": 9},
        )
        assert duplicate.status_code == 400
        client.force_login(personas.unit_a_staff)
        assert client.get(reverse("campaigns:category_new", args=[world.campaign.pk])).status_code == 403

    def test_open311_key_is_shown_once_and_stored_hashed(self, client, world, personas):
        client.force_login(personas.office_admin)
        page = client.post(reverse("campaigns:clients"), {"name": "罗湖plus", "requests_per_minute": 600})
        key = page.context["new_key"]
        stored = Open311Client.objects.get()
        assert key in page.content.decode() and key not in (stored.key_hash, stored.key_hint)
        assert key not in client.get(reverse("campaigns:clients")).content.decode()
        client.force_login(personas.unit_a_staff)
        assert client.get(reverse("campaigns:clients")).status_code == 403


class TestStatistics:
    def test_figures_and_exposure_board(self, client, world, personas):
        done = report_transition(actor=personas.office_admin, report=report(world, personas), action="accept")
        done = report_transition(
            actor=personas.unit_a_staff, report=done, action="fix", note="好", photos=[make_photo()]
        )
        report_transition(actor=personas.resident, report=done, action="verify")
        late = report_transition(actor=personas.office_admin, report=report(world, personas), action="accept")
        Report.objects.filter(pk=late.pk).update(expected_on="2020-01-01")
        page = client.get(reverse("portal:problem_stats"), {"campaign": world.campaign.pk})
        figures = page.context["figures"]
        assert (figures.solved, figures.open, figures.received, figures.on_time_rate) == (1, 1, 2, 100.0)
        assert figures.exposure[0]["unit"] == "东门街道" and figures.exposure[0]["overdue"] == 1
        assert [row["name"] for row in figures.by_category] == ["非机动车乱停放"]
        download = client.get(reverse("portal:problem_stats_xlsx"), {"campaign": world.campaign.pk})
        book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
        assert len(book.sheetnames) == 5

    def test_tallies_fold_to_the_same_figures(self, world, personas):
        from duban.campaigns.models import ReportTally
        from duban.campaigns.stats import figures, tally_fold, tally_rebuild

        for _ in range(3):
            made = report_transition(actor=personas.office_admin, report=report(world, personas), action="accept")
        report_transition(
            actor=personas.office_admin,
            report=made,
            action="duplicate",
            duplicate_of=Report.objects.order_by("id").first(),
        )
        before = figures(world.campaign)
        tally_fold()
        assert ReportTally.objects.count() <= 3
        after = figures(world.campaign)
        tally_rebuild()
        rebuilt = figures(world.campaign)
        assert (
            (before.received, before.open) == (after.received, after.open) == (rebuilt.received, rebuilt.open) == (3, 2)
        )
