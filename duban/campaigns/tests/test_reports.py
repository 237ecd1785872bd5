"""Routing rules, the report state rules, duplicates and bad input, through the services."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from duban.campaigns import geo
from duban.campaigns.choices import ReportSource, ReportState
from duban.campaigns.models import Follower, Report, ReportEvent, ReportTally
from duban.campaigns.services import setup
from duban.campaigns.services.reports import report_transition
from duban.campaigns.services.rerouting import report_reroute
from duban.campaigns.services.submitting import nearby_open
from duban.campaigns.tests.conftest import CHENGDONG, DONGMEN, GUIYUAN, OUTSIDE, make_photo
from duban.campaigns.tests.conftest import submit_report as submit
from duban.core.errors import TransitionError
from duban.core.workdays import add_working_days
from duban.ledger.choices import ItemState
from duban.ledger.models import Notification
from duban.orgs.models import Unit


def offset(point, metres_north):
    """A point `metres_north` north of `point`."""
    return point[0] + metres_north / 111_195, point[1]


class TestRouting:
    def test_a_rule_routes_by_area_to_the_unit_and_its_chief(self, world, personas):
        east = submit(world, personas)
        west = submit(world, personas, at=GUIYUAN)
        assert (east.street, east.routed_unit, east.chief) == (personas.unit_a, personas.unit_a, world.chief_a)
        assert (west.street, west.routed_unit, west.chief) == (personas.unit_b, personas.unit_b, world.chief_b)
        assert east.state == ReportState.SUBMITTED and east.item is None

    def test_the_deepest_area_wins_then_the_rule_naming_the_category(self, world, personas):
        # The district-wide dogs rule loses to 东门街道's rule for every category: that area is deeper.
        assert submit(world, personas, category=world.dogs, at=CHENGDONG).routed_unit == personas.unit_a
        setup.rule_save(
            actor=None, campaign=world.campaign, category=world.dogs, area=personas.unit_a, unit=world.city_management
        )
        assert submit(world, personas, category=world.dogs, at=CHENGDONG).routed_unit == world.city_management
        assert submit(world, personas, category=world.parking, at=CHENGDONG).routed_unit == personas.unit_a

    def test_the_point_is_placed_in_the_nearest_mapped_area(self, world, personas):
        report = submit(world, personas, at=CHENGDONG)
        assert report.area == personas.unit_a_community and report.street == personas.unit_a

    def test_without_a_rule_the_report_waits_for_the_office(self, world, personas):
        world.campaign.rules.all().delete()
        report = submit(world, personas)
        assert report.routed_unit is None
        with pytest.raises(ValidationError, match="受理前请先将问题分拨"):
            report_transition(actor=personas.office_admin, report=report, action="accept")
        assert Report.objects.get(pk=report.pk).state == ReportState.SUBMITTED

    def test_strict_zone_shortens_the_deadline(self, world, personas):
        setup.zone_save(
            actor=None,
            campaign=world.campaign,
            name="东门步行街",
            center_lat=DONGMEN[0],
            center_lng=DONGMEN[1],
            radius_m=300,
            deadline_working_days=1,
        )
        inside = submit(world, personas, category=world.dogs)
        accepted = report_transition(actor=personas.office_admin, report=inside, action="accept")
        assert accepted.zone.name == "东门步行街"
        assert accepted.expected_on == add_working_days(accepted.accepted_at.astimezone().date(), 1)


class TestLoop:
    def test_resident_report_runs_the_whole_loop_on_a_ledger_item(self, world, personas):
        report = submit(world, personas)
        report = report_transition(actor=personas.office_admin, report=report, action="accept")
        item = report.item
        assert item.ledger == world.campaign.ledger and item.lead_unit == personas.unit_a
        assert item.state == ItemState.ASSIGNED and item.handler == world.chief_a.person
        assert item.subject == report
        report = report_transition(actor=personas.unit_a_staff, report=report, action="start")
        assert (report.state, report.item.state) == (ReportState.IN_PROGRESS, ItemState.IN_PROGRESS)
        with pytest.raises(ValidationError, match="处置后的照片"):
            report_transition(actor=personas.unit_a_staff, report=report, action="fix", note="已清理")
        report = report_transition(
            actor=personas.unit_a_staff, report=report, action="fix", note="已清理", photos=[make_photo()]
        )
        assert (report.state, report.item.state) == (ReportState.FIXED, ItemState.SUBMITTED)
        with pytest.raises(PermissionDenied):
            report_transition(actor=personas.unit_a_head, report=report, action="verify")
        report = report_transition(actor=personas.resident, report=report, action="verify")
        assert (report.state, report.item.state) == (ReportState.CLOSED, ItemState.CLOSED)
        assert report.on_time is True
        codes = list(ReportEvent.objects.filter(report=report).values_list("code", flat=True))
        assert codes == [
            "campaigns.report.submitted",
            "campaigns.report.routed",
            "campaigns.report.accepted",
            "campaigns.report.started",
            "campaigns.report.fixed",
            "campaigns.report.verified",
        ]
        assert [p.kind for p in report.photos.all()] == ["before", "after"]

    def test_an_inspector_outside_the_unit_verifies(self, world, personas):
        report = submit(world, personas, accept=True, actor=personas.office_admin, source=ReportSource.INSPECTOR)
        assert report.state == ReportState.ACCEPTED
        report = report_transition(
            actor=personas.unit_a_staff, report=report, action="fix", note="已劝导", photos=[make_photo()]
        )
        with pytest.raises(PermissionDenied):
            report_transition(actor=personas.unit_b_staff, report=report, action="verify")
        verified = report_transition(actor=personas.supervisor, report=report, action="verify", note="现场核实")
        assert verified.state == ReportState.CLOSED

    def test_reporters_not_fixed_reopens_the_item(self, world, personas):
        report = report_transition(actor=personas.office_admin, report=submit(world, personas), action="accept")
        report = report_transition(
            actor=personas.unit_a_staff, report=report, action="fix", note="已清理", photos=[make_photo()]
        )
        report = report_transition(actor=personas.resident, report=report, action="not_fixed", note="还在")
        assert (report.state, report.item.state, report.reopen_count) == (
            ReportState.IN_PROGRESS,
            ItemState.RETURNED,
            1,
        )
        report = report_transition(actor=personas.unit_a_staff, report=report, action="fix", note="再次清理")
        report = report_transition(actor=personas.resident, report=report, action="verify")
        report = report_transition(actor=personas.resident, report=report, action="not_fixed", note="又堆上了")
        assert (report.state, report.item.state, report.closed_at) == (
            ReportState.IN_PROGRESS,
            ItemState.IN_PROGRESS,
            None,
        )

    def test_another_resident_cannot_verify_or_reopen(self, world, personas):
        report = report_transition(actor=personas.office_admin, report=submit(world, personas), action="accept")
        report = report_transition(
            actor=personas.unit_a_staff, report=report, action="fix", note="好", photos=[make_photo()]
        )
        for action in ("verify", "not_fixed"):
            with pytest.raises(PermissionDenied):
                report_transition(actor=personas.other_resident, report=report, action=action, note="x")
        assert Report.objects.get(pk=report.pk).state == ReportState.FIXED

    def test_a_refused_transition_changes_nothing(self, world, personas):
        report = submit(world, personas)
        events = ReportEvent.objects.count()
        with pytest.raises(TransitionError):
            report_transition(actor=personas.office_admin, report=report, action="verify")
        with pytest.raises(PermissionDenied):
            report_transition(actor=personas.unit_a_staff, report=report, action="accept")
        with pytest.raises(TransitionError):
            report_transition(actor=personas.office_admin, report=report, action="launch")
        report.refresh_from_db()
        assert report.state == ReportState.SUBMITTED and report.item is None
        assert ReportEvent.objects.count() == events

    def test_followers_are_notified_after_commit(self, world, personas, django_capture_on_commit_callbacks):
        report = submit(world, personas)
        with django_capture_on_commit_callbacks(execute=True):
            report_transition(actor=personas.office_admin, report=report, action="accept")
        note = Notification.objects.get(user=personas.resident)
        assert note.link == f"/participate/problems/{report.pk}/" and f"#{report.pk}" in note.text


class TestClosingWithoutFixing:
    def test_duplicate_links_the_original_and_moves_followers(self, world, personas):
        original = submit(world, personas)
        copy = submit(world, personas, actor=personas.other_resident)
        copy = report_transition(actor=personas.office_admin, report=copy, action="accept")
        copy = report_transition(actor=personas.office_admin, report=copy, action="duplicate", duplicate_of=original)
        assert copy.state == ReportState.DUPLICATE and copy.duplicate_of == original
        assert copy.item.state == ItemState.CANCELLED
        assert Follower.objects.filter(report=original, user=personas.other_resident).exists()
        with pytest.raises(ValidationError, match="与自身重复"):
            report_transition(actor=personas.office_admin, report=original, action="duplicate", duplicate_of=copy)

    def test_transfer_names_the_body_and_reject_needs_a_reason(self, world, personas):
        report = submit(world, personas)
        with pytest.raises(ValidationError):
            report_transition(actor=personas.office_admin, report=report, action="transfer", note="属地铁管辖")
        report = report_transition(
            actor=personas.office_admin,
            report=report,
            action="transfer",
            note="属地铁管辖",
            transferred_to="深圳地铁集团",
        )
        assert (report.state, report.transferred_to) == (ReportState.TRANSFERRED, "深圳地铁集团")
        other = submit(world, personas)
        with pytest.raises(ValidationError):
            report_transition(actor=personas.office_admin, report=other, action="reject")
        assert report_transition(actor=personas.office_admin, report=other, action="reject", note="重复测试").state == (
            ReportState.REJECTED
        )


class TestReroute:
    def test_rerouting_keeps_the_deadline_when_the_rule_says_so(self, world, personas):
        report = report_transition(actor=personas.office_admin, report=submit(world, personas), action="accept")
        first_item, deadline = report.item, report.expected_on
        report = report_reroute(actor=personas.office_admin, report=report, unit=personas.unit_b, note="位于桂园一侧")
        first_item.refresh_from_db()
        assert first_item.state == ItemState.CANCELLED
        assert report.item.lead_unit == personas.unit_b and report.item.effective_deadline == deadline
        assert report.state == ReportState.ACCEPTED
        event = report.events.get(code="campaigns.report.rerouted")
        assert event.data["before"]["unit"] == "东门街道" and event.data["after"]["unit"] == "桂园街道"

    def test_rerouting_restarts_the_deadline_by_default(self, world, personas):
        report = report_transition(
            actor=personas.office_admin, report=submit(world, personas, category=world.garbage), action="accept"
        )
        report = report_reroute(actor=personas.office_admin, report=report, unit=world.city_management, note="执法")
        assert report.item.deadline_working_days == 1 and report.item.lead_unit == world.city_management

    def test_only_the_office_reroutes(self, world, personas):
        report = submit(world, personas)
        with pytest.raises(PermissionDenied):
            report_reroute(actor=personas.unit_a_staff, report=report, unit=personas.unit_b, note="不归我们")
        assert Report.objects.get(pk=report.pk).routed_unit == personas.unit_a


class TestDuplicates:
    def test_suggestions_are_open_reports_of_the_category_within_the_radius(self, world, personas):
        near = submit(world, personas)
        submit(world, personas, at=offset(DONGMEN, 400))
        submit(world, personas, category=world.dogs)
        closed = submit(world, personas, at=offset(DONGMEN, 50))
        report_transition(actor=personas.office_admin, report=closed, action="reject", note="无效")
        found = nearby_open(world.parking, *offset(DONGMEN, 100))
        assert [r.pk for r in found] == [near.pk]
        assert 95 <= found[0].distance_m <= 105

    def test_at_most_five_nearest_first_and_radius_per_category(self, world, personas):
        made = [submit(world, personas, at=offset(DONGMEN, 10 * i)) for i in range(7)]
        found = nearby_open(world.parking, *DONGMEN)
        assert [r.pk for r in found] == [r.pk for r in made[:5]]
        setup.category_save(actor=None, campaign=world.campaign, category=world.parking, duplicate_radius_m=15)
        world.parking.refresh_from_db()
        assert len(nearby_open(world.parking, *DONGMEN)) == 2


class TestBadInput:
    def test_outside_the_district_is_refused_and_nothing_saved(self, world, personas):
        with pytest.raises(ValidationError, match="不在本区范围内"):
            submit(world, personas, at=OUTSIDE)
        assert Report.objects.count() == 0

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"category": None}, "category"),
            ({"lat": None, "lng": None}, "location"),
            ({"lat": "abc"}, "location"),
            ({"description": "<script>alert(1)</script>"}, "description"),
            ({"description": "长" * 4001}, "description"),
            ({"description": "  "}, "description"),
            ({"address": "<img src=x onerror=alert(1)>"}, "address"),
            ({"contact_phone": "call me"}, "contact_phone"),
            ({"photos": [SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")]}, "photos"),
            ({"photos": [make_photo(name="doc.pdf", fmt="TIFF")]}, "photos"),
        ],
    )
    def test_bad_input_gets_a_clear_error(self, world, personas, changes, field):
        with pytest.raises(ValidationError) as refusal:
            submit(world, personas, **changes)
        assert field in refusal.value.message_dict
        assert Report.objects.count() == 0 and ReportEvent.objects.count() == 0

    def test_oversized_photo_is_refused(self, world, personas, settings):
        settings.DUBAN_PHOTO_MAX_MB = 1
        big = SimpleUploadedFile("big.jpg", b"\xff" * (1024 * 1024 + 1), content_type="image/jpeg")
        with pytest.raises(ValidationError, match="超过1MB"):
            submit(world, personas, photos=[big])

    def test_photo_metadata_and_location_are_stripped(self, world, personas):
        upload = make_photo(gps=True)
        with Image.open(io.BytesIO(upload.read())) as original:
            assert original.getexif().get(0x8825)
        upload.seek(0)
        report = submit(world, personas, photos=[upload])
        stored = report.photos.get()
        with Image.open(stored.image.open("rb")) as kept:
            assert kept.format == "JPEG" and not kept.getexif()
            assert (kept.width, kept.height) == (64, 48)

    def test_gcj02_coordinates_are_converted_when_flagged(self, world, personas):
        gcj = geo.wgs84_to_gcj02(*DONGMEN)
        assert geo.distance_m(*gcj, *DONGMEN) > 300  # the offset is real
        report = submit(world, personas, lat=gcj[0], lng=gcj[1], coordinate_system="gcj02")
        assert geo.distance_m(report.lat, report.lng, *DONGMEN) < 0.5

    def test_an_address_naming_a_known_place_is_placed_there(self, world, personas):
        report = submit(world, personas, lat=None, lng=None, address="东门街道解放路与新园路交叉口")
        assert (report.lat, report.lng) == DONGMEN and report.routed_unit == personas.unit_a
        with pytest.raises(ValidationError, match="无法定位该地址"):
            submit(world, personas, lat=None, lng=None, address="某个不知道的地方")

    def test_a_closed_campaign_takes_no_reports(self, world, personas):
        campaign = world.campaign
        setup.campaign_update(
            actor=None, campaign=campaign, data={"ends_on": campaign.starts_on, "starts_on": campaign.starts_on}
        )
        with pytest.raises(ValidationError, match="目前不接受报告"):
            submit(world, personas)


def test_retired_units_cannot_take_rules(world, personas):
    retired = Unit.objects.create(name="旧单位", kind="department", parent=personas.district, state="retired")
    with pytest.raises(ValidationError):
        setup.rule_save(actor=None, campaign=world.campaign, area=personas.unit_a_community, unit=retired)


class TestBatches:
    def test_a_batch_moves_together_and_one_refusal_changes_nothing(self, world, personas):
        from duban.campaigns.services.reports import reports_transition_many
        from duban.ledger.models import Item

        made = [submit(world, personas, at=offset(DONGMEN, 10 * i)) for i in range(4)]
        accepted = reports_transition_many(actor=personas.office_admin, reports=made[:3], action="accept")
        assert {r.state for r in accepted} == {ReportState.ACCEPTED}
        assert Item.objects.filter(state=ItemState.ASSIGNED).count() == 3
        events = ReportEvent.objects.count()
        with pytest.raises(TransitionError):
            reports_transition_many(actor=personas.office_admin, reports=made, action="accept")
        assert Report.objects.get(pk=made[3].pk).state == ReportState.SUBMITTED
        assert Item.objects.count() == 3 and ReportEvent.objects.count() == events
        fixed = reports_transition_many(
            actor=personas.unit_a_staff, reports=accepted, action="fix", note="集中清理", photos=[make_photo()]
        )
        assert {r.item.state for r in fixed} == {ItemState.SUBMITTED}
        closed = reports_transition_many(actor=personas.supervisor, reports=fixed, action="verify")
        assert {(r.state, r.item.state, r.on_time) for r in closed} == {(ReportState.CLOSED, ItemState.CLOSED, True)}


class TestOneStatementWrite:
    """On PostgreSQL a lone report without photos (an Open311 post) is written with its events and
    its count in one statement; it must be all or nothing like the transaction it replaces."""

    @pytest.mark.postgres
    def test_the_objects_come_back_saved_and_linked(self, world, personas):
        report = submit(world, personas, actor=None, source=ReportSource.OPEN311, photos=[])
        assert report.pk and not report._state.adding
        events = list(ReportEvent.objects.filter(report=report).order_by("id"))
        assert [e.code for e in events] == ["campaigns.report.submitted", "campaigns.report.routed"]
        assert ReportTally.objects.filter(campaign_id=world.campaign.pk, state="submitted").count() == 1

    @pytest.mark.postgres
    def test_a_row_that_fails_leaves_nothing_written(self, world, personas, monkeypatch):
        from django.db import DataError, transaction

        from duban.campaigns.services import common, submitting

        def too_long(report, *args):
            return [common.build_event(report, "x" * 61)]  # the code column holds 60

        monkeypatch.setattr(submitting, "_submitted_events", too_long)
        with pytest.raises(DataError), transaction.atomic():
            submit(world, personas, actor=None, source=ReportSource.OPEN311, photos=[])
        assert (Report.objects.count(), ReportEvent.objects.count(), ReportTally.objects.count()) == (0, 0, 0)
