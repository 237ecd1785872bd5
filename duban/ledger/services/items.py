"""Registering and editing items, and rolling progress up their tree."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.bulk import insert_many
from duban.core.numbering import next_value
from duban.ledger import access, owners
from duban.ledger.choices import ENDED_STATES, ItemState
from duban.ledger.models import Item, ItemCoUnit, ItemEvent, Ledger
from duban.ledger.services import events
from duban.ledger.services.errors import LedgerPermissionError
from duban.orgs.models import LeaderPortfolio, Person, Unit, User

EDITABLE_FIELDS = (
    "title",
    "content",
    "basis_kind",
    "basis_document",
    "category",
    "handler",
    "urgency",
    "report_cadence",
    "rectification_type",
    "weight",
    "start_date",
    "extra",
)
DRAFT_ONLY_FIELDS = ("lead_unit", "deadline", "deadline_working_days")

ITEM_FIELDS = [field.name for field in Item._meta.concrete_fields]
ALWAYS_CHECKED = {"title", "external_id"}
RELATED_GIVEN = {"seq", "number", "ledger", "lead_unit", "parent", "leader", "handler", "created_by", "subject_type"}


def leaders_in_charge(units) -> dict[int, Person | None]:
    """For each unit, the district leader whose current portfolio covers it (the portfolio naming
    the nearest unit above it wins, then the portfolio's order); two queries for any number of units."""
    portfolios = list(LeaderPortfolio.objects.current().select_related("leader").prefetch_related("units"))
    found: dict[int, Person | None] = {}
    for unit in units:
        covering = []
        for portfolio in portfolios:
            depths = [u.depth for u in portfolio.units.all() if unit.is_within(u)]
            if depths:
                covering.append((-max(depths), portfolio.sort_order, portfolio.pk, portfolio.leader))
        found[unit.pk] = min(covering)[3] if covering else None
    return found


def leader_in_charge(unit: Unit) -> Person | None:
    """The district leader whose current portfolio covers the unit (nearest unit first)."""
    return leaders_in_charge([unit])[unit.pk]


def _lock(item: Item) -> Item:
    return Item.objects.select_for_update().select_related("ledger", "lead_unit").get(pk=item.pk)


def _display(value) -> str:
    return "" if value is None else str(value)


#
# Registering
#


@transaction.atomic
def item_create(
    *,
    actor: User | None,
    ledger: Ledger,
    title: str,
    lead_unit: Unit,
    at: dt.datetime | None = None,
    owner_rule: bool = False,
    **spec,
) -> Item:
    """Register one item (a draft); see `items_register`."""
    spec = {"title": title, "lead_unit": lead_unit, **spec}
    return items_register(actor=actor, ledger=ledger, specs=[spec], at=at, owner_rule=owner_rule)[0]


@transaction.atomic
def items_register(
    *, actor: User | None, ledger: Ledger, specs: list[dict], at: dt.datetime | None = None, owner_rule: bool = False
) -> list[Item]:
    """Register items (drafts) in one go: each is checked on its own, the block is numbered from the
    ledger's counter at once and written in bulk. A spec holds `title`, `lead_unit` and optionally
    `co_units` [(unit, part)], `parent`, `leader` (else the lead unit's leader in charge),
    `subject`, `external_id` (unique in the ledger) and the editable fields. A sub-item of an owned
    item is the owner's to add, unless `owner_rule` says the caller applies the owner's rule."""
    if actor is not None and not owner_rule and not access.acts_for_office(actor, ledger):
        raise LedgerPermissionError(_("Only the supervising office registers items in this ledger."))
    external_ids = [spec["external_id"] for spec in specs if spec.get("external_id")]
    taken = set(ledger.items.filter(external_id__in=external_ids).values_list("external_id", flat=True))
    leaders = leaders_in_charge({spec["lead_unit"].pk: spec["lead_unit"] for spec in specs}.values())
    parents: dict[int, Item] = {}
    items: list[Item] = []
    co_rows: list[tuple[int, Unit, str]] = []
    for spec in specs:
        spec = dict(spec)
        lead_unit, parent, leader = spec.pop("lead_unit"), spec.pop("parent", None), spec.pop("leader", None)
        external_id, subject = spec.pop("external_id", ""), spec.pop("subject", None)
        if not lead_unit.is_active:
            raise ValidationError({"lead_unit": _("A retired unit cannot be responsible for an item.")})
        if external_id and external_id in taken:
            raise ValidationError({"external_id": _("Another item of this ledger has the same external id.")})
        taken.add(external_id)
        if parent is not None:
            parent = parents.setdefault(parent.pk, _lock(parent))
            if parent.ledger_id != ledger.pk:
                raise ValidationError({"parent": _("A sub-item belongs to the same ledger as its parent.")})
            if parent.state in ENDED_STATES:
                raise ValidationError({"parent": _("Sub-items cannot be added to a closed or cancelled item.")})
            if not owner_rule:
                _check_sub_item(parent, subject)
        item = Item(
            ledger=ledger,
            title=spec.pop("title"),
            lead_unit=lead_unit,
            parent=parent,
            leader=leader or leaders[lead_unit.pk],
            leader_overridden=leader is not None,
            external_id=external_id,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            seq=0,
            number="-",
            **{k: v for k, v in spec.items() if k in EDITABLE_FIELDS + DRAFT_ONLY_FIELDS},
        )
        if subject is not None:
            item.subject = subject
        # Related objects are given as instances, so their existence needs no query per item.
        # Fields left at their defaults are valid by construction; validate only what the spec gave.
        given = spec.keys() | ALWAYS_CHECKED
        unchecked = [name for name in ITEM_FIELDS if name in RELATED_GIVEN or name not in given]
        item.full_clean(exclude=unchecked, validate_unique=False, validate_constraints=False)
        for unit, part in spec.get("co_units") or []:
            if unit.pk == lead_unit.pk:
                raise ValidationError({"co_units": _("The lead unit cannot also be a co-unit.")})
            co_rows.append((len(items), unit, part))
        items.append(item)
    if not items:
        return []
    first = next_value(f"ledger:{ledger.pk}", count=len(items))
    for offset, item in enumerate(items):
        item.seq = first + offset
        item.number = ledger.format_number(item.seq)
        item.refresh_search_tokens()
    insert_many(Item, items)
    insert_many(ItemCoUnit, [ItemCoUnit(item=items[i], unit=unit, part=part) for i, unit, part in co_rows])
    created = [
        events.build(item, "ledger.item.created", actor=actor, to_state=item.state, data={"number": item.number}, at=at)
        for item in items
    ]
    insert_many(ItemEvent, created)
    for parent in parents.values():
        recompute_progress(parent, actor=actor)
    return items


def _check_sub_item(parent: Item, subject) -> None:
    """A sub-item of an owned item is registered by its owner (about the same subject), or allowed
    by it."""
    found = owners.owned(parent)
    if found is None:
        return
    same = subject is not None and ContentType.objects.get_for_model(subject).pk == parent.subject_type_id
    if not (same and subject.pk == parent.subject_id):
        owner, parent_subject = found
        owner.check_sub_item(parent_subject, parent)


@transaction.atomic
def item_update(*, actor: User | None, item: Item, data: dict, owner_rule: bool = False) -> Item:
    """Change an item's details. Lead unit and deadline change only while it is a draft; after
    assignment the deadline moves only through an approved extension."""
    item = _lock(item)
    if actor is not None and not owner_rule and not access.acts_for_office(actor, item.ledger):
        raise LedgerPermissionError(_("Only the supervising office edits items."))
    if item.state in ENDED_STATES:
        raise ValidationError(_("A closed or cancelled item can no longer be edited."))
    allowed = EDITABLE_FIELDS + (DRAFT_ONLY_FIELDS if item.state == ItemState.DRAFT else ())
    refused = [name for name in DRAFT_ONLY_FIELDS if name in data and name not in allowed]
    if any(getattr(item, name) != data[name] for name in refused):
        raise ValidationError(_("After assignment the lead unit and deadline cannot be edited; request an extension."))
    changes = {}
    for name in allowed:
        if name in data and getattr(item, name) != data[name]:
            changes[name] = [_display(getattr(item, name)), _display(data[name])]
            setattr(item, name, data[name])
    if "leader" in data and data["leader"] != item.leader:
        changes["leader"] = [_display(item.leader), _display(data["leader"])]
        item.leader = data["leader"]
        item.leader_overridden = True
    if not changes:
        return item
    found = None if owner_rule else owners.owned(item)
    if found is not None:
        owner, subject = found
        owner.check_update(subject, item, changes)
    if "lead_unit" in changes and not item.leader_overridden:
        item.leader = leader_in_charge(item.lead_unit)
    item.full_clean()
    item.save()
    events.record(item, "ledger.item.updated", actor=actor, data={"changes": changes})
    if "weight" in changes and item.parent_id:
        recompute_progress(item.parent, actor=actor)
    return item


#
# Roll-up
#


def recompute_progress(item: Item, *, actor: User | None = None) -> None:
    """Roll progress up from the sub-items by normalised weights (missing progress counts as 0,
    cancelled sub-items drop out), then on up the tree."""
    item = _lock(item)
    children = list(item.children.exclude(state=ItemState.CANCELLED).values_list("progress", "weight"))
    if not children:
        return
    total_weight = sum((weight for _, weight in children), Decimal(0))
    weighted = sum(Decimal(p or 0) * w for p, w in children) / total_weight
    value = int(weighted.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if value != item.progress:
        before = item.progress
        item.progress = value
        item.save(update_fields=["progress", "updated_at"])
        events.record(item, "ledger.item.rolled_up", actor=actor, data={"before": before, "after": value})
    if item.parent_id:
        recompute_progress(item.parent, actor=actor)
