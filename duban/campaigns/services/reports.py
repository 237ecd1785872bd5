"""Problem reports after submitting: accepted into the campaign's ledger, fixed, verified and
closed; or marked duplicate, transferred or rejected. Every such change is `report_transition`
(`reports_transition_many` for a batch): it checks the transition table and who may act, locks
the reports, moves their ledger items along, writes the events, and notifies followers after
commit. Routing has its own service (`rerouting`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.campaigns import access
from duban.campaigns.choices import (
    OPEN_REPORT_STATES,
    REPORT_ACTIONS,
    ROUTING_ACTIONS,
    PhotoKind,
    ReportActor,
    ReportState,
)
from duban.campaigns.models import Campaign, Category, Chief, Follower, Report, ReportEvent, ReportPhoto, StrictZone
from duban.campaigns.services.common import build_event, clean_text, public_url, route_data, user_of
from duban.campaigns.services.photos import clean_photos, photos_store
from duban.campaigns.stats import tally_change, tally_key
from duban.core.bulk import insert_many, update_many
from duban.core.errors import TransitionError
from duban.core.workdays import moment, overrides_held
from duban.ledger.choices import ItemState
from duban.ledger.models import Item
from duban.ledger.services import items_register, items_transition_many, notify
from duban.orgs.models import Unit, User


def lock_reports(reports) -> list[Report]:
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


def check_action(report: Report, action: str, actor: User | None, note: str | None, allowed: dict | None = None):
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


def open_items(reports: list[Report], actor, at, *, deadline: dt.date | None = None) -> None:
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


def close_items(reports: list[Report], actor, reason: str, at) -> None:
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


def reports_transition_many(
    *,
    actor: User | None,
    reports,
    action: str,
    note: str = "",
    public_reply: str = "",
    photos=(),
    duplicate_of: Report | None = None,
    transferred_to: str = "",
    at: dt.datetime | None = None,
) -> list[Report]:
    """Apply one action to reports (one, or a day's batch): check the transition table and who may
    act for each, lock them, move their ledger items along, write the events, and notify the
    followers after commit. Every report is checked before anything is written.

    `note` is internal: staff pages show it, the public never does (it is also the ledger items'
    reason). `public_reply` is what the report's public page and Open311 show for this change."""
    if action in ROUTING_ACTIONS:
        raise TransitionError(_("Re-route a report with its own form."))
    # Decoding and re-encoding photos takes a while: before the transaction, which holds the write
    # lock on SQLite from its first statement.
    cleaned = clean_photos(photos)
    return _transition_many(
        actor=actor, reports=reports, action=action, note=note, public_reply=public_reply, cleaned=cleaned,
        duplicate_of=duplicate_of, transferred_to=transferred_to, at=at,
    )  # fmt: skip


@transaction.atomic
@overrides_held()
def _transition_many(
    *, actor, reports, action, note, public_reply, cleaned, duplicate_of, transferred_to, at
) -> list[Report]:
    locked = lock_reports(reports)
    if not locked:
        return []
    now, _today = moment(at)
    note = clean_text(note, "note", 500)
    public_reply = clean_text(public_reply, "public_reply", 500)
    allowed: dict[tuple, bool] = {}  # who may act depends on the campaign, unit and reporter, not the report
    for report in locked:
        check_action(report, action, actor, note, allowed)
    spec = REPORT_ACTIONS[action]
    previous = {report.pk: (report.state, tally_key(report)) for report in locked}
    data: dict[int, dict] = {report.pk: {} for report in locked}

    if action == "accept":
        if any(report.routed_unit_id is None for report in locked):
            raise ValidationError({"unit": _("Route the report to a responsible unit before accepting it.")})
        open_items(locked, actor, now)
        for report in locked:
            report.accepted_at = now
            report.expected_on = report.item.effective_deadline
            data[report.pk] = route_data(report.routed_unit, report.chief)
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
        close_items(locked, actor, _("Duplicate of report #%(n)s") % {"n": locked[0].duplicate_of_id}, now)
        moved = Follower.objects.filter(report__in=locked).values_list("user_id", flat=True)
        for user_id in set(moved):
            Follower.objects.get_or_create(report=locked[0].duplicate_of, user_id=user_id)
    elif action == "transfer":
        transferred_to = clean_text(transferred_to, "transferred_to", 100, required=True)
        close_items(locked, actor, note, now)
        for report in locked:
            report.transferred_to = transferred_to
            data[report.pk] = {"to": transferred_to}
    elif action == "reject":
        close_items(locked, actor, note, now)

    rows = []
    for report in locked:
        report.status_note = public_reply  # the public reply belongs to the state it came with
        report.state = spec.target
        report.updated_at = now
        rows.append(build_event(report, spec.event, actor=actor, from_state=previous[report.pk][0],
                                to_state=report.state, note=note, public_note=public_reply, data=data[report.pk],
                                at=now))  # fmt: skip
    update_many(Report, locked, REPORT_FIELDS)
    tally_change([(previous[report.pk][1], tally_key(report)) for report in locked])
    insert_many(ReportEvent, rows)
    if cleaned:
        photos_store(locked, PhotoKind.AFTER if action == "fix" else PhotoKind.VERIFICATION, cleaned, actor)
    _notify_followers_many(locked, skip=user_of(actor))
    return locked


REPORT_NOTICE = gettext_lazy("Report #%(n)s (%(category)s): %(state)s")


def _notify_followers_many(reports: list[Report], *, skip: User | None) -> None:
    followers: dict[int, list] = {}
    for follower in Follower.objects.filter(report__in=reports).select_related("user"):
        if skip is None or follower.user_id != skip.pk:
            followers.setdefault(follower.report_id, []).append(follower.user)
    for report in reports:
        if report.pk in followers:
            params = {"n": report.pk, "category": report.category.name, "state": ReportState(report.state).label}
            notify.after_commit(followers[report.pk], None, "campaigns.report", REPORT_NOTICE, link=public_url(report),
                                params=params)  # fmt: skip


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
