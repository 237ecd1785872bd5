"""Submitting problem reports (by a resident, an inspector or an Open311 client): checking the
text, contact and location, routing, and writing each report with its events, tally, photos and
follower. Also following a report and finding open reports nearby."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from duban.campaigns import geo, routing
from duban.campaigns.choices import OPEN_REPORT_STATES, CoordinateSystem, PhotoKind, ReportSource
from duban.campaigns.models import Campaign, Category, Follower, Report, ReportEvent, ReportTally
from duban.campaigns.services.common import build_event, clean_text, record_event, route_data, user_of
from duban.campaigns.services.photos import clean_photos, photos_store
from duban.campaigns.services.reports import reports_transition_many
from duban.campaigns.stats import tally_key, tally_rows
from duban.core.bulk import insert_linked, insert_many, writes_linked
from duban.core.workdays import moment
from duban.orgs.models import User

MAX_DESCRIPTION = 4000
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}$")
_URL = URLValidator(schemes=["http", "https"])


def resolve_location(
    *, lat, lng, address: str = "", coordinate_system: str = CoordinateSystem.WGS84
) -> tuple[float, float]:
    """A WGS-84 point from map coordinates (converted from GCJ-02 when flagged) or, failing
    those, from an address naming a known place."""
    if lat in (None, "") and lng in (None, ""):
        placed = routing.place_address(address)
        if placed is None:
            if (address or "").strip():
                raise ValidationError(
                    {"location": _("We could not place this address; pick the place on the map instead.")}
                )
            raise ValidationError({"location": _("Give the location: click the map or enter an address.")})
        return placed
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        raise ValidationError({"location": _("Latitude and longitude must both be numbers.")}) from None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or lat != lat or lng != lng:
        raise ValidationError({"location": _("Latitude and longitude are out of range.")})
    if coordinate_system == CoordinateSystem.GCJ02:
        lat, lng = geo.gcj02_to_wgs84(lat, lng)
    elif coordinate_system != CoordinateSystem.WGS84:
        raise ValidationError({"location": _("Unknown coordinate system.")})
    return round(lat, 7), round(lng, 7)


def _check_media_url(url: str) -> str:
    url = url.strip()
    if url:
        try:
            _URL(url)
        except ValidationError:
            raise ValidationError({"media_url": _("media_url must be an http or https address.")}) from None
        if len(url) > 500:
            raise ValidationError({"media_url": _("At most %(n)s characters.") % {"n": 500}})
    return url


def _check_contact(name: str, phone: str, email: str) -> tuple[str, str, str]:
    name = clean_text(name, "contact_name", 60)
    phone = (phone or "").strip()
    if phone and not _PHONE.match(phone):
        raise ValidationError({"contact_phone": _("Enter a valid phone number.")})
    email = (email or "").strip()
    if len(email) > 254:
        raise ValidationError({"contact_email": _("At most %(n)s characters.") % {"n": 254}})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"contact_email": _("Enter a valid email address.")}) from None
    return name, phone, email


SPEC_FIELDS = (
    "category", "description", "lat", "lng", "address", "coordinate_system", "photos", "contact_name",
    "contact_phone", "contact_email", "client", "device_id", "account_id", "media_url",
)  # fmt: skip
SOURCES = frozenset(ReportSource.values)
SYSTEMS = frozenset(CoordinateSystem.values)


def report_submit(
    *, actor: User | None, campaign: Campaign, source: str, accept: bool = False, at=None, table=None, **spec
):
    """A new report, located and routed (see `reports_submit_many`)."""
    return reports_submit_many(
        actor=actor, campaign=campaign, source=source, specs=[spec], accept=accept, at=at, table=table
    )[0]


def _prepare(spec: dict, *, actor, campaign: Campaign, source: str, table, now, today):
    """A checked, unsaved report and its checked photos; raises ValidationError naming the field."""
    unknown = set(spec) - set(SPEC_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    category = spec.get("category")
    if category is None:
        raise ValidationError({"category": _("Choose a category.")})
    if category.campaign_id != campaign.pk or not category.is_active:
        raise ValidationError({"category": _("This category does not take reports in this campaign.")})
    if not campaign.is_running(today):
        raise ValidationError({"category": _("This campaign is not taking reports now.")})
    if source not in SOURCES:
        raise ValidationError({"source": _("Unknown source.")})
    description = clean_text(
        spec.get("description", ""), "description", MAX_DESCRIPTION, required=source != ReportSource.OPEN311
    )
    address = clean_text(spec.get("address", ""), "address", 200)
    contact_name, contact_phone, contact_email = _check_contact(
        spec.get("contact_name", ""), spec.get("contact_phone", ""), spec.get("contact_email", "")
    )
    lat, lng = resolve_location(
        lat=spec.get("lat"),
        lng=spec.get("lng"),
        address=address,
        coordinate_system=spec.get("coordinate_system", CoordinateSystem.WGS84),
    )
    route = table.route(category, lat, lng)
    cleaned = clean_photos(spec.get("photos", ()))
    report = Report(
        campaign=campaign,
        category=category,
        description=description,
        address=address,
        lat=lat,
        lng=lng,
        area=route.area,
        street=route.street,
        zone=route.zone,
        source=source,
        reporter=user_of(actor) if source == ReportSource.PORTAL else None,
        client=spec.get("client"),
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        device_id=clean_text((spec.get("device_id") or "")[:60], "device_id", 60),
        account_id=clean_text((spec.get("account_id") or "")[:60], "account_id", 60),
        media_url=_check_media_url(spec.get("media_url") or ""),
        routed_unit=route.unit,
        chief=route.chief,
        rule=route.rule,
        created_at=now,
        updated_at=now,
    )
    report.refresh_search_tokens()  # written by bulk statements, not save()
    # Every field was checked above, or is ours, or was sliced to fit; no uniqueness query for the
    # token, which is 96 random bits.
    return report, cleaned


def reports_submit_many(
    *,
    actor: User | None,
    campaign: Campaign,
    source: str,
    specs: list[dict],
    accept: bool = False,
    at: dt.datetime | None = None,
    table: routing.RoutingTable | None = None,
) -> list[Report]:
    """New reports, located and routed, each spec checked before anything is written. A signed-in
    resident reporting on the portal follows the report. Inspectors' reports (`accept=True`) are
    accepted and dispatched at once when a rule routes them; the others wait in the office's queue.
    `table` is the campaign's routing table when the caller holds it already."""
    now, today = moment(at)
    if campaign is None:
        raise ValidationError({"category": _("Choose a category.")})
    table = table or routing.RoutingTable.of(campaign)
    prepared = [_prepare(spec, actor=actor, campaign=campaign, source=source, table=table, now=now, today=today)
                for spec in specs]  # fmt: skip
    reports = [report for report, _photos in prepared]
    submitter = user_of(actor)
    tallies = tally_rows([tally_key(report) for report in reports])
    if len(reports) == 1 and not accept and not prepared[0][1] and not reports[0].reporter_id and writes_linked(Report):
        # One report with nothing but its events and tally (an Open311 post): one statement.
        insert_linked(reports[0], _submitted_events(reports[0], submitter, source, now), tallies)
        return reports
    with transaction.atomic():
        insert_many(Report, reports)
        insert_many(ReportTally, tallies)
        insert_many(ReportEvent, [e for report in reports for e in _submitted_events(report, submitter, source, now)])
        for report, cleaned in prepared:
            if cleaned:
                photos_store([report], PhotoKind.BEFORE, cleaned, submitter)
        followers = [
            Follower(report=report, user=report.reporter, created_at=now) for report in reports if report.reporter_id
        ]
        Follower.objects.bulk_create(followers)
        routed = [report for report in reports if report.routed_unit_id is not None]
        if accept and routed:
            # Inspectors' reports are dispatched by the system on the rule's say-so, not by the office.
            accepted = {r.pk: r for r in reports_transition_many(actor=None, reports=routed, action="accept", at=now)}
            reports = [accepted.get(report.pk, report) for report in reports]
    return reports


def _submitted_events(report: Report, submitter: User | None, source: str, now: dt.datetime) -> list[ReportEvent]:
    events = [build_event(report, "campaigns.report.submitted", actor=submitter, to_state=report.state,
                     data={"source": source}, at=now)]  # fmt: skip
    if report.routed_unit_id is not None:
        events.append(
            build_event(report, "campaigns.report.routed", data=route_data(report.routed_unit, report.chief), at=now)
        )
    return events


@transaction.atomic
def report_follow(*, actor: User, report: Report, follow: bool = True) -> bool:
    """Follow (or stop following) a report; True when something changed."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to follow a report."))
    if not follow:
        return Follower.objects.filter(report=report, user=actor).delete()[0] > 0
    _follower, created = Follower.objects.get_or_create(report=report, user=actor)
    if created:
        record_event(report, "campaigns.report.followed", actor=actor)
    return created


def nearby_open(
    category: Category, lat: float, lng: float, *, limit: int = 5, exclude: int | None = None
) -> list[Report]:
    """Open reports of the category within its duplicate radius, nearest first (at most `limit`)."""
    radius = category.radius_m
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(lat, lng, radius)
    candidates = Report.objects.filter(
        category=category,
        state__in=sorted(OPEN_REPORT_STATES),
        lat__range=(min_lat, max_lat),
        lng__range=(min_lng, max_lng),
    ).order_by()
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    # Rank plain tuples (a busy corner may hold hundreds), then read the few that are shown.
    ranked = sorted(
        (distance, -pk)
        for pk, report_lat, report_lng in candidates.values_list("id", "lat", "lng")[:2000]
        if (distance := round(geo.distance_m(lat, lng, report_lat, report_lng))) <= radius
    )[:limit]
    shown = Report.objects.only(
        "id", "lat", "lng", "description", "address", "state", "created_at", "category_id", "campaign_id"
    ).in_bulk([-negated for _distance, negated in ranked])
    found = []
    for distance, negated in ranked:
        report = shown[-negated]
        report.distance_m = distance
        found.append(report)
    return found
