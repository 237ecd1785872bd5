"""Problem reports through their life: submitted (by a resident, an inspector or an Open311
client), routed, accepted into the campaign's ledger, fixed, verified and closed; or marked
duplicate, transferred or rejected. Every state change is `report_transition`: it checks the
transition table and who may act, locks the report, moves its ledger item along, writes a
`ReportEvent`, and notifies followers after commit."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.campaigns import access, geo, routing
from duban.campaigns.choices import (
    OPEN_REPORT_STATES,
    REPORT_ACTIONS,
    ROUTING_ACTIONS,
    CoordinateSystem,
    PhotoKind,
    ReportActor,
    ReportSource,
    ReportState,
)
from duban.campaigns.models import (
    Campaign,
    Category,
    Chief,
    Follower,
    Report,
    ReportEvent,
    ReportPhoto,
    ReportTally,
    StrictZone,
)
from duban.campaigns.services.photos import clean_photos, photos_store
from duban.campaigns.stats import tally_change, tally_key, tally_rows
from duban.core.bulk import insert_linked, insert_many, update_many, writes_linked
from duban.core.errors import TransitionError
from duban.core.workdays import moment, overrides_held
from duban.ledger.choices import ItemState
from duban.ledger.models import Item
from duban.ledger.services import items_register, items_transition_many, notify
from duban.orgs.models import Unit, User

MAX_DESCRIPTION = 4000
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript:|\x00", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}$")
_URL = URLValidator(schemes=["http", "https"])


def _clean_text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    if _MARKUP.search(value):
        raise ValidationError({field: _("HTML and scripts are not allowed; write plain text.")})
    return value


def _user(actor) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(report: Report, code: str, *, actor=None, from_state="", to_state="", note="", data=None, at=None):
    return ReportEvent(
        report=report,
        at=at or timezone.now(),
        actor=_user(actor),
        code=code,
        from_state=from_state,
        to_state=to_state,
        note=note[:500],
        data=data or {},
    )


def _record(report: Report, code: str, **kwargs) -> ReportEvent:
    event = _event(report, code, **kwargs)
    event.save()
    return event


def public_url(report: Report) -> str:
    return reverse("portal:problem_detail", args=[report.pk])


#
# Submitting
#


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
    name = _clean_text(name, "contact_name", 60)
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
    description = _clean_text(
        spec.get("description", ""), "description", MAX_DESCRIPTION, required=source != ReportSource.OPEN311
    )
    address = _clean_text(spec.get("address", ""), "address", 200)
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
        reporter=_user(actor) if source == ReportSource.PORTAL else None,
        client=spec.get("client"),
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        device_id=_clean_text((spec.get("device_id") or "")[:60], "device_id", 60),
        account_id=_clean_text((spec.get("account_id") or "")[:60], "account_id", 60),
        media_url=_check_media_url(spec.get("media_url") or ""),
        routed_unit=route.unit,
        chief=route.chief,
        rule=route.rule,
        created_at=now,
        updated_at=now,
    )
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
    submitter = _user(actor)
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
    events = [_event(report, "campaigns.report.submitted", actor=submitter, to_state=report.state,
                     data={"source": source}, at=now)]  # fmt: skip
    if report.routed_unit_id is not None:
        events.append(
            _event(report, "campaigns.report.routed", data=_route_data(report.routed_unit, report.chief), at=now)
        )
    return events


def _route_data(unit: Unit | None, chief: Chief | None) -> dict:
    return {"unit": unit.name if unit else "", "chief": str(chief.person) if chief else ""}


@transaction.atomic
def report_follow(*, actor: User, report: Report, follow: bool = True) -> bool:
    """Follow (or stop following) a report; True when something changed."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to follow a report."))
    if not follow:
        return Follower.objects.filter(report=report, user=actor).delete()[0] > 0
    _follower, created = Follower.objects.get_or_create(report=report, user=actor)
    if created:
        _record(report, "campaigns.report.followed", actor=actor)
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


#
# The loop
#


def _locked(reports) -> list[Report]:
    """The reports locked and read afresh, with what the services use attached; a batch shares a
    campaign, a few categories and units, so each is read once rather than joined into every row."""
    locked = list(Report.objects.select_for_update().filter(pk__in=[r.pk for r in reports]).order_by("pk"))

    def attach(name: str, queryset) -> None:
        ids = {getattr(r, f"{name}_id") for r in locked} - {None}
        found = queryset.in_bulk(ids) if ids else {}
        for report in locked:
            related_id = getattr(report, f"{name}_id")
            setattr(report, name, found[related_id] if related_id is not None else None)

    attach("campaign", Campaign.objects.select_related("ledger__owner_unit"))
    attach("category", Category.objects.all())
    attach("routed_unit", Unit.objects.all())
    attach("area", Unit.objects.all())
    attach("zone", StrictZone.objects.all())
    attach("chief", Chief.objects.select_related("person"))
    newest = Item.objects.for_subjects(locked).only("id", "state", "ledger_id", "subject_id").newest_by_subject()
    for report in locked:
        report.item = newest.get(report.pk)  # the ledger reads its items itself
    return locked


def _may(actor: User | None, report: Report, who: str) -> bool:
    if actor is None:
        return True
    if who == ReportActor.OFFICE:
        return access.manages(actor, report.campaign)
    if who == ReportActor.UNIT:
        return access.acts_for_unit(actor, report)
    return access.can_verify(actor, report)


def _check(report: Report, action: str, actor: User | None, note: str | None, allowed: dict | None = None):
    """The report's move for `action`, checked against the table and who may act (`allowed`
    remembers answers: who may act depends on the campaign, unit and reporter, not the report)."""
    allowed = {} if allowed is None else allowed

    def may(spec) -> bool:
        key = (spec.actor, report.campaign_id, report.routed_unit_id, report.reporter_id)
        if key not in allowed:
            allowed[key] = _may(actor, report, spec.actor)
        return allowed[key]

    def refusal(spec) -> str:
        if spec.actor == ReportActor.VERIFIER:
            return _("Verification needs the reporter, or an inspector outside the responsible unit.")
        return _("You cannot do this on this report.")

    return REPORT_ACTIONS.check(report.state, action, may=may, refusal=refusal, reason=note, reason_field="note")


def _items_step(reports: list[Report], action: str, actor, note: str, at) -> None:
    """Move the reports' ledger items along together (the reports' own checks stand for the items')."""
    if not reports:
        return
    moved = items_transition_many(
        actor=actor, items=[report.item for report in reports], action=action, reason=note, at=at, owner_rule=True
    )
    by_pk = {item.pk: item for item in moved}
    for report in reports:
        report.item = by_pk[report.item.pk]


def _open_items(reports: list[Report], actor, at, *, deadline: dt.date | None = None) -> None:
    """Register and assign a ledger item for each report's responsible unit."""
    specs = []
    for report in reports:
        category = report.category
        days = category.deadline_working_days
        if report.zone_id:
            days = min(days, report.zone.deadline_working_days)
        spec = {
            "title": f"{category.name}：{report.address or report.area.name}"[:200],
            "lead_unit": report.routed_unit,
            "content": report.description,
            "category": category.name,
            "subject": report,
            "handler": report.chief.person if report.chief_id else None,
        }
        spec.update({"deadline_working_days": days} if deadline is None else {"deadline": deadline})
        specs.append(spec)
    items = items_register(actor=actor, ledger=reports[0].campaign.ledger, specs=specs, at=at, owner_rule=True)
    for report, item in zip(reports, items, strict=True):
        report.item = item
    _items_step(reports, "assign", actor, "", at)


def _close_items(reports: list[Report], actor, reason: str, at) -> None:
    _items_step(
        [r for r in reports if r.item is not None and r.item.state not in {ItemState.CLOSED, ItemState.CANCELLED}],
        "cancel",
        actor,
        reason,
        at,
    )


REPORT_FIELDS = [
    "state", "accepted_at", "expected_on", "fixed_at", "closed_at", "on_time", "reopen_count", "status_note",
    "duplicate_of", "transferred_to", "updated_at",
]  # fmt: skip


def report_transition(*, actor: User | None, report: Report, action: str, **kwargs) -> Report:
    """The one way a report changes state (see `reports_transition_many`)."""
    return reports_transition_many(actor=actor, reports=[report], action=action, **kwargs)[0]


@transaction.atomic
@overrides_held()
def reports_transition_many(
    *,
    actor: User | None,
    reports,
    action: str,
    note: str = "",
    photos=(),
    duplicate_of: Report | None = None,
    transferred_to: str = "",
    at: dt.datetime | None = None,
) -> list[Report]:
    """Apply one action to reports (one, or a day's batch): check the transition table and who may
    act for each, lock them, move their ledger items along, write the events, and notify the
    followers after commit. Every report is checked before anything is written."""
    if action in ROUTING_ACTIONS:
        raise TransitionError(_("Re-route a report with its own form."))
    locked = _locked(reports)
    if not locked:
        return []
    now, _today = moment(at)
    note = _clean_text(note, "note", 500)
    allowed: dict[tuple, bool] = {}  # who may act depends on the campaign, unit and reporter, not the report
    for report in locked:
        _check(report, action, actor, note, allowed)
    spec = REPORT_ACTIONS[action]
    cleaned = clean_photos(photos)
    previous = {report.pk: (report.state, tally_key(report)) for report in locked}
    data: dict[int, dict] = {report.pk: {} for report in locked}

    if action == "accept":
        if any(report.routed_unit_id is None for report in locked):
            raise ValidationError({"unit": _("Route the report to a responsible unit before accepting it.")})
        _open_items(locked, actor, now)
        for report in locked:
            report.accepted_at = now
            report.expected_on = report.item.effective_deadline
            data[report.pk] = _route_data(report.routed_unit, report.chief)
    elif action == "start":
        _items_step([r for r in locked if r.item.state == ItemState.ASSIGNED], "acknowledge", actor, "", now)
        _items_step(locked, "start", actor, "", now)
    elif action == "fix":
        with_after = set(
            ReportPhoto.objects.filter(report__in=locked, kind=PhotoKind.AFTER).values_list("report_id", flat=True)
        )
        if not cleaned and any(report.pk not in with_after for report in locked):
            raise ValidationError({"photos": _("Add a photo taken after the work.")})
        _items_step([r for r in locked if r.item.state == ItemState.ASSIGNED], "acknowledge", actor, "", now)
        _items_step(locked, "submit", actor, note, now)
        for report in locked:
            report.fixed_at = now
    elif action == "verify":
        _items_step(locked, "accept", actor, note, now)
        _items_step(locked, "close", actor, note, now)
        for report in locked:
            report.closed_at = now
            report.on_time = not report.item.late_days
            data[report.pk] = {"by_reporter": access.is_reporter(actor, report) if actor else False}
    elif action == "not_fixed":
        closed = [r for r in locked if r.state == ReportState.CLOSED]
        for report in closed:
            late = report.closed_at and (now - report.closed_at).days > report.campaign.reopen_days
            if late and actor is not None and not access.manages(actor, report.campaign):
                raise TransitionError(
                    _("This report was closed more than %(n)s days ago; report the problem again.")
                    % {"n": report.campaign.reopen_days}
                )
        _items_step(closed, "reopen", actor, note, now)
        _items_step([r for r in locked if r.state == ReportState.FIXED], "return", actor, note, now)
        for report in locked:
            report.fixed_at = report.closed_at = report.on_time = None
            report.reopen_count += 1
    elif action == "duplicate":
        for report in locked:
            original = _original(report, duplicate_of)
            report.duplicate_of = original
            data[report.pk] = {"original": original.pk}
        _close_items(locked, actor, _("Duplicate of report #%(n)s") % {"n": locked[0].duplicate_of_id}, now)
        moved = Follower.objects.filter(report__in=locked).values_list("user_id", flat=True)
        for user_id in set(moved):
            Follower.objects.get_or_create(report=locked[0].duplicate_of, user_id=user_id)
    elif action == "transfer":
        transferred_to = _clean_text(transferred_to, "transferred_to", 100, required=True)
        _close_items(locked, actor, note, now)
        for report in locked:
            report.transferred_to = transferred_to
            data[report.pk] = {"to": transferred_to}
    elif action == "reject":
        _close_items(locked, actor, note, now)

    rows = []
    for report in locked:
        if spec.needs_reason or action in {"verify", "duplicate"}:
            report.status_note = note
        report.state = spec.target
        report.updated_at = now
        rows.append(_event(report, spec.event, actor=actor, from_state=previous[report.pk][0],
                           to_state=report.state, note=note, data=data[report.pk], at=now))  # fmt: skip
    update_many(Report, locked, REPORT_FIELDS)
    tally_change([(previous[report.pk][1], tally_key(report)) for report in locked])
    insert_many(ReportEvent, rows)
    if cleaned:
        photos_store(locked, PhotoKind.AFTER if action == "fix" else PhotoKind.VERIFICATION, cleaned, actor)
    _notify_followers_many(locked, skip=_user(actor))
    return locked


def _notify_followers_many(reports: list[Report], *, skip: User | None) -> None:
    followers: dict[int, list] = {}
    for follower in Follower.objects.filter(report__in=reports).select_related("user"):
        if skip is None or follower.user_id != skip.pk:
            followers.setdefault(follower.report_id, []).append(follower.user)
    for report in reports:
        if report.pk in followers:
            text = _("Report #%(n)s (%(category)s): %(state)s") % {
                "n": report.pk,
                "category": report.category.name,
                "state": ReportState(report.state).label,
            }
            notify.after_commit(followers[report.pk], None, "campaigns.report", text, link=public_url(report))


def _original(report: Report, duplicate_of: Report | None) -> Report:
    if duplicate_of is None:
        raise ValidationError({"duplicate_of": _("Name the report this one duplicates.")})
    original = duplicate_of
    seen = {report.pk}
    while original.duplicate_of_id is not None and original.pk not in seen:
        seen.add(original.pk)
        original = original.duplicate_of
    if original.pk in seen:
        raise ValidationError({"duplicate_of": _("A report cannot duplicate itself.")})
    if original.campaign_id != report.campaign_id:
        raise ValidationError({"duplicate_of": _("The original must belong to the same campaign.")})
    if original.state == ReportState.REJECTED:
        raise ValidationError({"duplicate_of": _("A rejected report cannot be the original.")})
    return original


def report_follow_item(*, report: Report, item: Item) -> None:
    """The date an open report is expected by follows its item's deadline (an approved extension,
    a carry-over into the next year's ledger)."""
    if report.state in OPEN_REPORT_STATES and report.expected_on != item.effective_deadline:
        Report.objects.filter(pk=report.pk).update(expected_on=item.effective_deadline, updated_at=timezone.now())


@transaction.atomic
def report_reroute(
    *,
    actor: User | None,
    report: Report,
    unit: Unit,
    chief: Chief | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Report:
    """Send a wrongly routed report to another unit. An accepted report's item is cancelled and a
    new one opened for the new unit; its deadline restarts only when the rule routing this
    category and area to the new unit says so (without such a rule, it restarts)."""
    report = _locked([report])[0]
    now, today = moment(at)
    step = _check(report, "route" if report.state == ReportState.SUBMITTED else "reroute", actor, None)
    note = _clean_text(note, "note", 500, required=report.routed_unit_id is not None)
    if not unit.is_active:
        raise ValidationError({"unit": _("A retired unit cannot be responsible for problems.")})
    if unit.pk == report.routed_unit_id and (chief is None or chief.pk == report.chief_id):
        raise ValidationError({"unit": _("The report is already routed there.")})
    if chief is not None and chief.campaign_id != report.campaign_id:
        raise ValidationError({"chief": _("This chief belongs to another campaign.")})
    before, counted = _route_data(report.routed_unit, report.chief), tally_key(report)
    table = routing.RoutingTable.of(report.campaign)
    rule = table.best_rule(report.category, report.area, unit=unit)
    restart = rule.restart_deadline if rule else True
    report.routed_unit, report.rule = unit, rule
    report.chief = chief or (rule.chief if rule else None) or table.chief_for(report.area)
    previous = report.state
    if step.code == "reroute":
        old_deadline = report.item.effective_deadline
        _close_items([report], actor, _("Re-routed to %(unit)s") % {"unit": unit.name}, now)
        deadline = None if restart or old_deadline is None else max(old_deadline, today)
        _open_items([report], actor, now, deadline=deadline)
        report.expected_on = report.item.effective_deadline
    report.state = step.target_from(report.state)
    report.save()
    tally_change([(counted, tally_key(report))])
    _record(
        report,
        step.event,
        actor=actor,
        from_state=previous,
        to_state=report.state,
        note=note,
        data={"before": before, "after": _route_data(unit, report.chief), "deadline_restarted": restart},
        at=now,
    )
    return report
