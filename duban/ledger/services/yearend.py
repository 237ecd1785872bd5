"""年末结转: unfinished items continue in next year's ledger, linked to where they came from."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.workdays import moment
from duban.ledger import access
from duban.ledger.choices import OPEN_STATES
from duban.ledger.models import Item, Ledger
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import item_create, item_transition
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


@transaction.atomic
def ledger_carry_over(
    *, actor: User | None, ledger: Ledger, year: int, deadline: dt.date, at: dt.datetime | None = None
) -> list[Item]:
    """Carry every open item of `ledger` into its `year` successor, all or none. Each old item ends
    as "carried over" with its lateness frozen; the new one keeps its subject, unit and link."""
    if actor is not None and not access.acts_for_office(actor, ledger):
        raise LedgerPermissionError(_("Only the supervising office carries a ledger over."))
    at, today = moment(at)
    successor = next_year_ledger(ledger, year)
    carried = []
    for old in ledger.items.filter(state__in=OPEN_STATES).select_related("lead_unit").order_by("seq"):
        reason = _("Carried over into %(ledger)s") % {"ledger": successor.name}
        item_transition(actor=actor, item=old, action="carry_over", reason=reason, at=at)
        new = item_create(
            actor=actor,
            ledger=successor,
            title=old.title,
            lead_unit=old.lead_unit,
            content=old.content,
            basis_kind=old.basis_kind,
            basis_document=old.basis_document,
            category=old.category,
            rectification_type=old.rectification_type,
            urgency=old.urgency,
            deadline=max(deadline, today),
            leader=old.leader if old.leader_overridden else None,
            subject=old.subject,
            external_id=old.external_id,
            at=at,
        )
        Item.objects.filter(pk=new.pk).update(carried_from=old, progress=old.progress)
        carried.append(item_transition(actor=actor, item=new, action="assign", at=at))
    return carried
