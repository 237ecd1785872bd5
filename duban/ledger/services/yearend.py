"""年末结转: unfinished items continue in next year's ledger, linked to where they came from."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.workdays import moment
from duban.ledger import access, owners
from duban.ledger.choices import CARRIED_STATES, ItemState
from duban.ledger.models import Item, Ledger
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import item_create, recompute_progress
from duban.ledger.services.transitions import _transition_block
from duban.orgs.models import User


def next_year_ledger(ledger: Ledger, year: int) -> Ledger:
    """The ledger that continues `ledger` in `year`: found, or created with the same office and rules."""
    existing = Ledger.objects.filter(carried_from=ledger, year=year).first()
    if existing is not None:
        return existing
    name = re.sub(r"^\d{4}", str(year), ledger.name) if re.match(r"^\d{4}", ledger.name) else f"{year}年{ledger.name}"
    return Ledger.objects.create(
        name=name,
        year=year,
        kind=ledger.kind,
        owner_unit=ledger.owner_unit,
        number_prefix=ledger.number_prefix,
        light_policy=ledger.light_policy,
        escalation_policy=ledger.escalation_policy,
        scoring_scheme=ledger.scoring_scheme,
        acknowledge_working_days=ledger.acknowledge_working_days,
        carried_from=ledger,
    )


def carry_over_plan(ledger: Ledger) -> list[Item]:
    """The items a carry-over of `ledger` would continue: every open item not awaiting review,
    each parent followed by its sub-items (what the year-end page lists before the office confirms). A
    sub-item of an item under review stays with it."""
    open_items = list(
        ledger.items.filter(state__in=CARRIED_STATES).select_related("lead_unit", "leader").order_by("seq")
    )
    staying = set(ledger.items.filter(state=ItemState.SUBMITTED).values_list("pk", flat=True))
    parents = dict(ledger.items.filter(children__isnull=False).values_list("pk", "parent_id").distinct())

    def stays(item: Item) -> bool:
        parent = item.parent_id
        while parent is not None:
            if parent in staying:
                return True
            parent = parents.get(parent)
        return False

    open_items = [item for item in open_items if not stays(item)]
    by_pk = {item.pk: item for item in open_items}

    def path(item: Item) -> tuple[int, ...]:
        seqs = [item.seq]
        while item.parent_id in by_pk:
            item = by_pk[item.parent_id]
            seqs.append(item.seq)
        return tuple(reversed(seqs))

    return sorted(open_items, key=path)


@transaction.atomic
def ledger_carry_over(
    *, actor: User | None, ledger: Ledger, year: int, deadline: dt.date, at: dt.datetime | None = None
) -> list[Item]:
    """Carry every open item of `ledger` not awaiting review into its `year` successor, all or none
    (items under review stay to be reviewed and closed out where they are). Each old item ends
    as "carried over" with its lateness frozen; the new one keeps its subject, unit, weight,
    progress and link, and its parent's successor as its parent, so a decomposed reform keeps its
    tree and roll-up. The subject's owner is told, so the subject follows its item."""
    if actor is not None and not access.acts_for_office(actor, ledger):
        raise LedgerPermissionError(_("Only the supervising office carries a ledger over."))
    if year <= ledger.year:
        raise ValidationError({"year": _("Carry the ledger over into a later year.")})
    at, today = moment(at)
    successor = next_year_ledger(ledger, year)
    reason = _("Carried over into %(ledger)s") % {"ledger": successor.name}
    plan = carry_over_plan(ledger)
    if not plan:
        return []
    _transition_block(actor, plan, "carry_over", reason, at, checked=True)
    successors: dict[int, Item] = {}
    for old in plan:
        new = item_create(
            actor=actor,
            ledger=successor,
            title=old.title,
            lead_unit=old.lead_unit,
            content=old.content,
            basis_kind=old.basis_kind,
            basis_document=old.basis_document,
            category=old.category,
            handler=old.handler,
            rectification_type=old.rectification_type,
            report_cadence=old.report_cadence,
            urgency=old.urgency,
            weight=old.weight,
            deadline=max(deadline, today),
            leader=old.leader if old.leader_overridden else None,
            parent=successors.get(old.parent_id),
            co_units=[(share.unit, share.part) for share in old.co_units.select_related("unit")],
            subject=old.subject,
            external_id=old.external_id,
            at=at,
            owner_rule=True,
        )
        Item.objects.filter(pk=new.pk).update(carried_from=old, progress=old.progress)
        successors[old.pk] = new
    carried = _transition_block(actor, list(successors.values()), "assign", "", at, checked=True)
    for parent in {new.parent_id for new in carried if new.parent_id}:
        recompute_progress(Item(pk=parent), actor=actor)
    by_pk = {item.pk: item for item in carried}
    continued = [(old, by_pk[successors[old.pk].pk]) for old in plan]
    for old, new in continued:
        found = owners.owned(old)
        if found is not None:
            owner, subject = found
            owner.item_continued(subject, old, new)
    return [new for _old, new in continued]
