"""Leader instructions (批示) and follow/read marks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.ledger import access
from duban.ledger.models import Follow, Instruction, Item
from duban.ledger.services import events, notify
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import _lock
from duban.orgs import access as org_access
from duban.orgs.choices import Role
from duban.orgs.models import Person, User


@transaction.atomic
def instruction_add(*, actor: User, item: Item, text: str, leader: Person | None = None) -> Instruction:
    """A district leader writes an instruction, or the office records one on a leader's behalf."""
    item = _lock(item)
    own = org_access.person_of(actor)
    if Role.DISTRICT_LEADER in org_access.roles_of(actor) and leader in (None, own):
        leader = own
    elif not access.acts_for_office(actor, item.ledger) or leader is None:
        raise LedgerPermissionError(_("Instructions are given by district leaders or recorded by the office."))
    if not text.strip():
        raise ValidationError({"text": _("Write the instruction.")})
    instruction = Instruction.objects.create(item=item, leader=leader, text=text.strip(), recorded_by=actor)
    events.record(item, "ledger.item.instruction", actor=actor, data={"leader": leader.name, "text": instruction.text})
    notify.after_commit(
        notify.unit_users(item.lead_unit),
        item,
        "ledger.instruction",
        _("%(leader)s gave an instruction on %(number)s") % {"leader": leader.name, "number": item.number},
    )
    return instruction


def follow_set(*, user: User, item: Item, following: bool) -> Follow:
    mark, _created = Follow.objects.update_or_create(item=item, user=user, defaults={"following": following})
    return mark


def mark_read(*, user: User, item: Item) -> None:
    Follow.objects.update_or_create(item=item, user=user, defaults={"read_at": timezone.now()})
