"""Setting a campaign up: the campaign and its ledger, categories, strict zones, chiefs, routing
rules, the map of areas, and Open311 client keys."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.campaigns import access, routing
from duban.campaigns.models import AreaShape, Campaign, Category, Chief, Open311Client, RoutingRule, StrictZone
from duban.core.history import save_with_history
from duban.ledger.choices import LedgerKind
from duban.ledger.services import ledger_create
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User

AREA_KINDS = {UnitKind.DISTRICT, UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.COMPOUND, UnitKind.GRID}


@transaction.atomic
def campaign_create(*, actor: User | None, owner_unit: Unit, number_prefix: str = "罗专整", **fields) -> Campaign:
    """A campaign and its own ledger (kind 专项整治), owned by the office that runs it."""
    if actor is not None:
        access.require_manager(actor)
    campaign = Campaign(**fields)
    campaign.full_clean(exclude=["ledger"])
    campaign.ledger = ledger_create(
        actor=actor,
        name=campaign.name,
        year=campaign.starts_on.year,
        kind=LedgerKind.CAMPAIGN,
        owner_unit=owner_unit,
        number_prefix=number_prefix,
    )
    save_with_history(campaign, actor=actor, reason="campaigns.campaign.created")
    routing.forget()
    return campaign


def _save(actor: User | None, campaign: Campaign, instance, reason: str):
    if actor is not None:
        access.require_manager(actor, campaign)
    instance.full_clean()
    save_with_history(instance, actor=actor, reason=reason)
    routing.forget()
    return instance


@transaction.atomic
def campaign_update(*, actor: User | None, campaign: Campaign, data: dict) -> Campaign:
    for name in ("name", "description", "starts_on", "ends_on", "duplicate_radius_m", "reopen_days"):
        if name in data:
            setattr(campaign, name, data[name])
    return _save(actor, campaign, campaign, "campaigns.campaign.updated")


@transaction.atomic
def category_save(*, actor: User | None, campaign: Campaign, category: Category | None = None, **fields) -> Category:
    category = category or Category(campaign=campaign)
    if category.campaign_id != campaign.pk:
        raise ValidationError(_("This category belongs to another campaign."))
    for name, value in fields.items():
        setattr(category, name, value)
    return _save(actor, campaign, category, "campaigns.category.saved")


@transaction.atomic
def zone_save(*, actor: User | None, campaign: Campaign, zone: StrictZone | None = None, **fields) -> StrictZone:
    zone = zone or StrictZone(campaign=campaign)
    for name, value in fields.items():
        setattr(zone, name, value)
    return _save(actor, campaign, zone, "campaigns.zone.saved")


@transaction.atomic
def chief_save(*, actor: User | None, campaign: Campaign, chief: Chief | None = None, **fields) -> Chief:
    chief = chief or Chief(campaign=campaign)
    for name, value in fields.items():
        setattr(chief, name, value)
    if chief.area.kind not in AREA_KINDS:
        raise ValidationError({"area": _("A chief answers for a street, community, compound or grid.")})
    return _save(actor, campaign, chief, "campaigns.chief.saved")


@transaction.atomic
def rule_save(*, actor: User | None, campaign: Campaign, rule: RoutingRule | None = None, **fields) -> RoutingRule:
    rule = rule or RoutingRule(campaign=campaign)
    for name, value in fields.items():
        setattr(rule, name, value)
    if rule.area.kind not in AREA_KINDS:
        raise ValidationError({"area": _("A rule covers the district, a street, community, compound or grid.")})
    if not rule.unit.is_active:
        raise ValidationError({"unit": _("A retired unit cannot be responsible for problems.")})
    if rule.category_id and rule.category.campaign_id != campaign.pk:
        raise ValidationError({"category": _("This category belongs to another campaign.")})
    if rule.chief_id and rule.chief.campaign_id != campaign.pk:
        raise ValidationError({"chief": _("This chief belongs to another campaign.")})
    return _save(actor, campaign, rule, "campaigns.rule.saved")


@transaction.atomic
def rule_delete(*, actor: User | None, rule: RoutingRule) -> None:
    if actor is not None:
        access.require_manager(actor, rule.campaign)
    rule._history_user = actor if getattr(actor, "is_authenticated", False) else None
    rule._change_reason = "campaigns.rule.deleted"
    rule.delete()
    routing.forget()


@transaction.atomic
def area_shape_set(
    *, actor: User | None, unit: Unit, center_lat: float, center_lng: float, outline: list | None = None
) -> AreaShape:
    """Put an area of the unit tree on the map (office admins)."""
    if actor is not None:
        access.require_manager(actor)
    if unit.kind not in AREA_KINDS:
        raise ValidationError({"unit": _("Only the district, streets, communities, compounds and grids are mapped.")})
    outline = [[float(lat), float(lng)] for lat, lng in (outline or [])]
    if outline and len(outline) < 3:
        raise ValidationError({"outline": _("An outline needs at least three points.")})
    shape, _created = AreaShape.objects.update_or_create(
        unit=unit, defaults={"center_lat": center_lat, "center_lng": center_lng, "outline": outline}
    )
    routing.forget()
    return shape


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def client_create(
    *, actor: User | None, name: str, key: str | None = None, requests_per_minute: int = 600
) -> tuple[Open311Client, str]:
    """A new Open311 client and its key, shown this once (only its hash is stored)."""
    if actor is not None:
        access.require_manager(actor)
    key = key or secrets.token_urlsafe(24)
    if len(key) < 16:
        raise ValidationError({"key": _("A key has at least 16 characters.")})
    client = Open311Client(
        name=name.strip(),
        key_hash=hash_key(key),
        key_hint=key[:6],
        requests_per_minute=requests_per_minute,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    client.full_clean()
    save_with_history(client, actor=actor, reason="campaigns.client.created")
    routing.forget()
    return client, key


@transaction.atomic
def client_set_active(*, actor: User | None, client: Open311Client, active: bool) -> Open311Client:
    if actor is not None:
        access.require_manager(actor)
    client.is_active = active
    save_with_history(client, actor=actor, reason="campaigns.client.enabled" if active else "campaigns.client.revoked")
    routing.forget()
    return client
