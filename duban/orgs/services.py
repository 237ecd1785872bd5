"""Every write to the organisation goes through these functions; each records who, when and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.orgs import access
from duban.orgs.choices import ALLOWED_CHILD_KINDS, RECORD_MOVES, RecordState, UnitKind
from duban.orgs.models import Domain, LeaderPortfolio, Person, Position, Unit, UnitAlias, User

UNIT_FIELDS = ("name", "short_name", "kind", "code", "sort_order", "address", "office_phone", "description")
PERSON_FIELDS = ("name", "gender", "mobile", "email", "office_phone", "note")


def _check_kind_under(kind: str, parent: Unit | None) -> None:
    allowed = ALLOWED_CHILD_KINDS.get(parent.kind if parent else None, set())
    if kind not in allowed:
        where = parent.name if parent else _("the top of the tree")
        raise ValidationError(
            {"kind": _("A %(kind)s cannot be placed under %(where)s.") % {"kind": UnitKind(kind).label, "where": where}}
        )


def _set_path(unit: Unit) -> None:
    unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
    unit.depth = unit.parent.depth + 1 if unit.parent else 0
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)


#
# Units
#


@transaction.atomic
def unit_create(*, actor: User | None, parent: Unit | None, name: str, kind: str, **fields) -> Unit:
    if parent is not None:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        if not parent.is_active:
            raise ValidationError({"parent": _("Units cannot be added under a retired unit.")})
    _check_kind_under(kind, parent)
    unit = Unit(parent=parent, name=name, kind=kind, **{k: v for k, v in fields.items() if k in UNIT_FIELDS})
    unit.full_clean(exclude=["path"])
    save_with_history(unit, actor=actor, reason="orgs.unit.created")
    _set_path(unit)
    return unit


@transaction.atomic
def unit_update(*, actor: User | None, unit: Unit, data: dict) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    changed = [name for name in UNIT_FIELDS if name in data and getattr(unit, name) != data[name]]
    if not changed:
        return unit
    for name in changed:
        setattr(unit, name, data[name])
    if "kind" in changed:
        _check_kind_under(unit.kind, unit.parent)
        for child in unit.children.active():
            _check_kind_under(child.kind, unit)
    unit.full_clean()
    save_with_history(unit, actor=actor, reason="orgs.unit.updated")
    return unit


@transaction.atomic
def unit_move(*, actor: User | None, unit: Unit, new_parent: Unit) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.pk == unit.parent_id:
        return unit
    if new_parent.is_within(unit):
        raise ValidationError({"parent": _("A unit cannot be moved under itself or one of its own units.")})
    if not new_parent.is_active:
        raise ValidationError({"parent": _("Units cannot be moved under a retired unit.")})
    _check_kind_under(unit.kind, new_parent)
    old_path = unit.path
    unit.parent = new_parent
    unit.full_clean()
    save_with_history(unit, actor=actor, reason="orgs.unit.moved")
    _set_path(unit)
    depth_shift = unit.depth - old_path.count("/") + 2
    for descendant in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
        Unit.objects.filter(pk=descendant.pk).update(
            path=unit.path + descendant.path[len(old_path) :], depth=descendant.depth + depth_shift
        )
    return unit


@transaction.atomic
def unit_retire(*, actor: User | None, unit: Unit, reason: str) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    RECORD_MOVES.check_target(unit.state, RecordState.RETIRED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for retiring this unit.")})
    if unit.children.active().exists():
        raise ValidationError(_("This unit still has active units below it: move or retire them first."))
    today = timezone.localdate()
    for position in unit.positions.current().select_for_update():
        position.ended_on = today
        save_with_history(position, actor=actor, reason="orgs.position.ended")
    unit.state = RecordState.RETIRED
    unit.retired_at = timezone.now()
    unit.retired_reason = reason.strip()
    save_with_history(unit, actor=actor, reason="orgs.unit.retired")
    return unit


@transaction.atomic
def unit_restore(*, actor: User | None, unit: Unit) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    RECORD_MOVES.check_target(unit.state, RecordState.ACTIVE)
    if unit.parent is not None and not unit.parent.is_active:
        raise ValidationError(_("Restore the parent unit first."))
    unit.state = RecordState.ACTIVE
    unit.retired_at = None
    unit.retired_reason = ""
    unit.full_clean()
    save_with_history(unit, actor=actor, reason="orgs.unit.restored")
    return unit


#
# People
#


@transaction.atomic
def person_create(*, actor: User | None, name: str, user: User | None = None, **fields) -> Person:
    person = Person(name=name, user=user, **{k: v for k, v in fields.items() if k in PERSON_FIELDS})
    person.full_clean()
    save_with_history(person, actor=actor, reason="orgs.person.created")
    return person


@transaction.atomic
def person_update(*, actor: User | None, person: Person, data: dict) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = [name for name in PERSON_FIELDS if name in data and getattr(person, name) != data[name]]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, data[name])
    person.full_clean()
    save_with_history(person, actor=actor, reason="orgs.person.updated")
    return person


@transaction.atomic
def person_retire(*, actor: User | None, person: Person) -> Person:
    """Retire a person: their current posts and portfolio end and their login is disabled."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    RECORD_MOVES.check_target(person.state, RecordState.RETIRED)
    today = timezone.localdate()
    for position in person.positions.current().select_for_update():
        position.ended_on = today
        save_with_history(position, actor=actor, reason="orgs.position.ended")
    for portfolio in person.portfolios.current().select_for_update():
        portfolio.ended_on = today
        save_with_history(portfolio, actor=actor, reason="orgs.portfolio.ended")
    if person.user is not None and person.user.is_active:
        person.user.is_active = False
        save_with_history(person.user, actor=actor, reason="orgs.user.updated", update_fields=["is_active"])
    person.state = RecordState.RETIRED
    person.retired_at = timezone.now()
    save_with_history(person, actor=actor, reason="orgs.person.retired")
    return person


@transaction.atomic
def person_restore(*, actor: User | None, person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    RECORD_MOVES.check_target(person.state, RecordState.ACTIVE)
    person.state = RecordState.ACTIVE
    person.retired_at = None
    save_with_history(person, actor=actor, reason="orgs.person.restored")
    return person


#
# Positions
#


@transaction.atomic
def position_assign(
    *,
    actor: User | None,
    person: Person,
    unit: Unit,
    role: str,
    title: str = "",
    started_on: dt.date | None = None,
) -> Position:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    person = Person.objects.get(pk=person.pk)
    if not unit.is_active:
        raise ValidationError({"unit": _("Nobody can be posted to a retired unit.")})
    if not person.is_active:
        raise ValidationError({"person": _("A retired person cannot be given a position.")})
    position = Position(person=person, unit=unit, role=role, title=title, started_on=started_on or timezone.localdate())
    position.full_clean()
    save_with_history(position, actor=actor, reason="orgs.position.assigned")
    return position


@transaction.atomic
def position_end(*, actor: User | None, position: Position, ended_on: dt.date | None = None) -> Position:
    position = Position.objects.select_for_update().get(pk=position.pk)
    if not position.is_current:
        raise ValidationError(_("This position has already ended."))
    ended_on = ended_on or timezone.localdate()
    if ended_on < position.started_on:
        raise ValidationError({"ended_on": _("A position cannot end before it started.")})
    position.ended_on = ended_on
    save_with_history(position, actor=actor, reason="orgs.position.ended")
    return position


#
# Leader portfolios
#


def _save_portfolio(
    portfolio: LeaderPortfolio, *, actor, reason: str, domains: Iterable[Domain], units: Iterable[Unit]
) -> None:
    # Write the many-to-many sets without history, then take one snapshot that includes them.
    portfolio.skip_history_when_saving = True
    try:
        portfolio.save()
        portfolio.domains.set(list(domains))
        portfolio.units.set(list(units))
    finally:
        del portfolio.skip_history_when_saving
    save_with_history(portfolio, actor=actor, reason=reason)


@transaction.atomic
def portfolio_create(
    *,
    actor: User | None,
    leader: Person,
    title: str,
    rank: str,
    domains: Iterable[Domain] = (),
    units: Iterable[Unit] = (),
    sort_order: int = 0,
    started_on: dt.date | None = None,
) -> LeaderPortfolio:
    if not leader.is_active:
        raise ValidationError({"leader": _("A retired person cannot be given a portfolio.")})
    units = list(units)
    if any(not unit.is_active for unit in units):
        raise ValidationError({"units": _("A portfolio cannot include a retired unit.")})
    portfolio = LeaderPortfolio(
        leader=leader,
        title=title,
        rank=rank,
        sort_order=sort_order,
        started_on=started_on or timezone.localdate(),
    )
    portfolio.full_clean()
    _save_portfolio(portfolio, actor=actor, reason="orgs.portfolio.created", domains=domains, units=units)
    return portfolio


@transaction.atomic
def portfolio_update(
    *,
    actor: User | None,
    portfolio: LeaderPortfolio,
    title: str,
    rank: str,
    domains: Iterable[Domain],
    units: Iterable[Unit],
    sort_order: int | None = None,
) -> LeaderPortfolio:
    portfolio = LeaderPortfolio.objects.select_for_update().get(pk=portfolio.pk)
    if not portfolio.is_current:
        raise ValidationError(_("This portfolio has ended and can no longer be changed."))
    units = list(units)
    if any(not unit.is_active and unit.pk not in {u.pk for u in portfolio.units.all()} for unit in units):
        raise ValidationError({"units": _("A portfolio cannot include a retired unit.")})
    portfolio.title = title
    portfolio.rank = rank
    if sort_order is not None:
        portfolio.sort_order = sort_order
    portfolio.full_clean()
    _save_portfolio(portfolio, actor=actor, reason="orgs.portfolio.updated", domains=domains, units=units)
    return portfolio


@transaction.atomic
def portfolio_end(
    *, actor: User | None, portfolio: LeaderPortfolio, ended_on: dt.date | None = None
) -> LeaderPortfolio:
    portfolio = LeaderPortfolio.objects.select_for_update().get(pk=portfolio.pk)
    if not portfolio.is_current:
        raise ValidationError(_("This portfolio has already ended."))
    portfolio.ended_on = ended_on or timezone.localdate()
    save_with_history(portfolio, actor=actor, reason="orgs.portfolio.ended")
    return portfolio


#
# Accounts
#


def official_account_create(
    *,
    actor: User | None,
    person: Person,
    username: str,
    password: str,
    is_office_admin: bool = False,
    is_supervisor: bool = False,
    is_expert: bool = False,
    account_type: str = "official",
) -> User:
    """Give a person a staff login."""
    # Hashing takes a good part of a second by design: before the transaction, which holds the
    # write lock on SQLite from its first statement.
    hashed = make_password(password)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.user_id:
            raise ValidationError(_("This person already has a login account."))
        user = User(
            username=username,
            display_name=person.name,
            email=person.email,
            account_type=account_type,
            is_office_admin=is_office_admin,
            is_supervisor=is_supervisor,
            is_expert=is_expert,
            is_staff=is_office_admin,
            is_superuser=is_office_admin,
            password=hashed,
        )
        user.full_clean(exclude=["password"])
        save_with_history(user, actor=actor, reason="orgs.user.created")
        person.user = user
        save_with_history(person, actor=actor, reason="orgs.person.updated", update_fields=["user", "updated_at"])
    return user


@transaction.atomic
def unit_alias_add(*, actor: User | None, name: str, unit: Unit) -> UnitAlias:
    """Read `name` as `unit` from now on (in imported ledgers). Only office admins add aliases; a
    unit's own name or short name, or a name already read as another unit, is refused."""
    if actor is not None and not access.is_office_admin(actor):
        raise PermissionDenied(_("Only the office admin adds other names of units."))
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": _("Give the name as the ledger writes it (at most 100 characters).")})
    if not unit.is_active:
        raise ValidationError({"unit": _("A retired unit cannot be responsible for an item.")})
    if Unit.objects.active().filter(Q(name=name) | Q(short_name=name)).exists():
        raise ValidationError({"name": _("“%(name)s” is already the name of a unit.") % {"name": name}})
    taken = UnitAlias.objects.select_for_update().filter(name=name).first()
    if taken is not None and taken.unit_id != unit.pk:
        raise ValidationError(
            {"name": _("“%(name)s” is already read as %(unit)s.") % {"name": name, "unit": taken.unit.name}}
        )
    alias, _created = UnitAlias.objects.get_or_create(
        name=name, defaults={"unit": unit, "created_by": actor if getattr(actor, "is_authenticated", False) else None}
    )
    return alias
