"""Reforms under the three-level responsibility rule: registering and editing them, and
decomposing them into the reform tasks ledger."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.ledger.choices import ENDED_STATES, BasisKind, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_transition, item_update, items_register
from duban.orgs.choices import LeaderRank, PositionRole
from duban.orgs.models import Domain, LeaderPortfolio, Person, Position, Unit, User
from duban.reforms.access import check_manager
from duban.reforms.choices import ASSIGNED_LEVELS, ReformLevel
from duban.reforms.models import ADJUSTABLE_FIELDS, Reform

DESCRIPTIVE_FIELDS = ("title", "group", "domain", "year", "level")


#
# The three-level responsibility rule
#


def suggest_leaders(level: str, domain: Domain | None, lead_unit: Unit) -> list[Person]:
    """Who should lead a reform: main district leaders for key reforms; the leader in charge of the
    domain (else of the lead unit) for tasks assigned from above; none for micro-reforms, which the
    lead unit's head answers for."""
    portfolios = LeaderPortfolio.objects.current().select_related("leader")
    if level == ReformLevel.KEY:
        return [p.leader for p in portfolios.filter(rank=LeaderRank.MAIN)]
    if level in ASSIGNED_LEVELS:
        in_charge = portfolios.filter(rank=LeaderRank.IN_CHARGE)
        by_domain = [p.leader for p in in_charge.filter(domains=domain)] if domain else []
        return by_domain or [p.leader for p in in_charge.filter(pk__in=LeaderPortfolio.objects.covering(lead_unit))]
    return []


def unit_head(unit: Unit) -> Person | None:
    position = Position.objects.current().filter(unit=unit, role=PositionRole.HEAD).select_related("person").first()
    return position.person if position else None


def responsibility_problems(reform: Reform) -> list[str]:
    """Where the reform breaks the three-level rule, in words the office can act on (empty: it holds)."""
    leaders = list(reform.lead_leaders.all())
    current = LeaderPortfolio.objects.current().filter(leader__in=leaders)
    problems = []
    if reform.level == ReformLevel.KEY and not current.filter(rank=LeaderRank.MAIN).exists():
        problems.append(
            _(
                "A district key reform is led by a main district leader "
                "(the district Party secretary or the district mayor)."
            )
        )
    elif reform.level in ASSIGNED_LEVELS:
        suggested = set(suggest_leaders(reform.level, reform.domain, reform.lead_unit))
        if not suggested & set(leaders):
            problems.append(_("A task assigned from above is led by the district leader in charge of its domain."))
    elif reform.level == ReformLevel.MICRO and unit_head(reform.lead_unit) is None:
        problems.append(_("A micro-reform is answered for by the lead unit's head, and %(unit)s has none.") % {
            "unit": reform.lead_unit.name
        })  # fmt: skip
    if len(leaders) > 2:
        problems.append(_("At most two district leaders lead one reform."))
    return problems


#
# Registering and editing
#


@transaction.atomic
def reform_register(
    *,
    actor: User | None,
    lead_leaders: list[Person] | None = None,
    co_units: list[Unit] | None = None,
    at: dt.datetime | None = None,
    **fields,
) -> Reform:
    """Register a reform. Without lead leaders it takes the ones the three-level rule suggests."""
    check_manager(actor)
    reform = Reform(created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    if at is not None:
        reform.created_at = at
    reform.full_clean()
    co_units = list(co_units or [])
    if reform.lead_unit in co_units:
        raise ValidationError({"co_units": _("The lead unit cannot also be a co-unit.")})
    if lead_leaders is None:
        lead_leaders = suggest_leaders(reform.level, reform.domain, reform.lead_unit)[:2]
    save_with_history(reform, actor=actor, reason="reforms.reform.registered")
    reform.lead_leaders.set(lead_leaders)
    reform.co_units.set(co_units)
    return reform


@transaction.atomic
def reform_update(*, actor: User | None, reform: Reform, data: dict) -> Reform:
    """Change what describes a reform, its leaders and co-units. Goals, plan, expected results and
    deadline change through an approved adjustment once the reform is decomposed; the lead unit
    only before."""
    check_manager(actor)
    reform = Reform.objects.select_for_update().get(pk=reform.pk)
    root = reform.item
    allowed = DESCRIPTIVE_FIELDS + (() if root else ADJUSTABLE_FIELDS + ("lead_unit",))
    refused = [name for name in data if name not in allowed + ("lead_leaders", "co_units")]
    if refused:
        raise ValidationError(_("Once a reform is decomposed, its goals, plan and deadline change by an adjustment."))
    for name in allowed:
        if name in data:
            setattr(reform, name, data[name])
    reform.full_clean()
    if "co_units" in data and reform.lead_unit in data["co_units"]:
        raise ValidationError({"co_units": _("The lead unit cannot also be a co-unit.")})
    save_with_history(reform, actor=actor, reason="reforms.reform.updated")
    if root is not None and root.state not in ENDED_STATES and root.title != reform.title:
        item_update(actor=actor, item=root, data={"title": reform.title}, owner_rule=True)
    if "lead_leaders" in data:
        reform.lead_leaders.set(data["lead_leaders"])
    if "co_units" in data:
        reform.co_units.set(data["co_units"])
    return reform


#
# Decomposition into the reform tasks ledger
#


def reform_ledger(year: int) -> Ledger | None:
    return Ledger.objects.filter(kind=LedgerKind.REFORM, year=year).order_by("id").first()


@transaction.atomic
def reform_decompose(
    *,
    actor: User | None,
    reform: Reform,
    milestones: list[dict],
    ledger: Ledger | None = None,
    at: dt.datetime | None = None,
) -> list[Item]:
    """Break a reform into ledger items and assign them: the reform's own item (registered the first
    time; a micro-reform may need nothing more) and one sub-item per milestone (`title`,
    `deadline`, optional `lead_unit` and `weight`).
    The reform's progress is then its item's roll-up; the ledger supervises each milestone."""
    check_manager(actor)
    reform = Reform.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=reform.pk)
    root = reform.item
    if not milestones and root is not None:
        raise ValidationError(_("Give at least one milestone."))
    for spec in milestones:
        if not spec.get("title") or not spec.get("deadline"):
            raise ValidationError(_("Every milestone needs a title and a deadline."))
        if spec["deadline"] > reform.deadline:
            raise ValidationError(
                {
                    "deadline": _("A milestone cannot fall after the reform's deadline (%(date)s).")
                    % {"date": reform.deadline}
                }
            )
    leader = reform.lead_leaders.order_by("id").first()
    if root is None:
        ledger = ledger or reform_ledger(reform.year)
        if ledger is None or ledger.kind != LedgerKind.REFORM:
            raise ValidationError(_("Create the %(year)s reform tasks ledger first.") % {"year": reform.year})
        (root,) = items_register(
            actor=actor,
            ledger=ledger,
            specs=[
                _item_spec(
                    reform, title=reform.title, deadline=reform.deadline, lead_unit=reform.lead_unit, leader=leader
                )
            ],
            at=at,
        )
        root = item_transition(actor=actor, item=root, action="assign", at=at)
        save_with_history(reform, actor=actor, reason="reforms.reform.decomposed")
    elif root.state in ENDED_STATES:
        raise ValidationError(_("This reform's item is closed; milestones cannot be added."))
    specs = [
        _item_spec(
            reform,
            title=spec["title"],
            deadline=spec["deadline"],
            lead_unit=spec.get("lead_unit") or reform.lead_unit,
            leader=leader,
            parent=root,
            weight=spec.get("weight") or 1,
        )
        for spec in milestones
    ]
    items = items_register(actor=actor, ledger=root.ledger, specs=specs, at=at)
    return [item_transition(actor=actor, item=item, action="assign", at=at) for item in items]


def _item_spec(reform: Reform, **spec) -> dict:
    leader = spec.pop("leader")
    return {
        **spec,
        **({"leader": leader} if leader else {}),
        "content": reform.goals,
        "basis_kind": BasisKind.DECISION,
        "category": ReformLevel(reform.level).label,
        "subject": reform,
    }


def reform_items(reform: Reform):
    """The reform's own item and its milestones beneath it, in ledger order."""
    root = reform.item
    if root is None:
        return Item.objects.none()
    return Item.objects.filter(pk=root.pk) | Item.objects.filter(parent_id=root.pk)
