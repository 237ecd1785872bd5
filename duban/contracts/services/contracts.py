"""Contracts in performance: signed on the issued template version, whose clauses are copied onto the
contract (a later version never changes it); each key node is an item of the year's contract ledger
(`LedgerKind.CONTRACT`) led by the owner, so a late node lights up and climbs the ladder like any
supervised deadline; recording a node's actual date computes its reward or penalty at once. The
owner scores the contractor each quarter (the schedule criterion computed from the nodes) and its
head approves the rating; at settlement the rating gates the schedule reward."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.contracts import access, notices, schedule
from duban.contracts.choices import ContractState, RatingState, VersionState
from duban.contracts.models import Contract, Contractor, ContractsSettings, KeyNode, Rating, TemplateVersion
from duban.contracts.services.events import event_write
from duban.core.money import clean_amount
from duban.core.workdays import moment
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_transition, items_register, ledger_of_year
from duban.orgs.models import Unit, User

QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def agency_unit() -> Unit:
    agency = ContractsSettings.current().agency
    if agency is None:
        raise ValidationError(_("Set the public-works agency in the contract settings first."))
    return agency


def contract_ledger(year: int) -> Ledger:
    """The year's ledger of key nodes (施工合同关键节点台账), opened by the agency when first needed."""
    return ledger_of_year(kind=LedgerKind.CONTRACT, year=year, owner_unit=agency_unit(),
                          name=f"{year}年施工合同关键节点台账", number_prefix="罗工节")  # fmt: skip


def item_of(node: KeyNode) -> Item | None:
    return Item.objects.for_subject(node).order_by("-pk").first()


def _nodes(version: TemplateVersion, planned: list[dt.date], starts_on: dt.date) -> list[dict]:
    """The version's key nodes with their planned dates: one date each, in order, from commencement."""
    if len(planned) != len(version.nodes) or None in planned:
        raise ValidationError({"nodes": _("Give a planned date for each key node.")})
    if planned[0] < starts_on or any(a >= b for a, b in zip(planned, planned[1:], strict=False)):
        raise ValidationError({"nodes": _("The key nodes follow each other from the commencement date.")})
    return [{"order": n, "name": name, "weight": Decimal(weight), "planned_on": day}
            for n, ((name, weight), day) in enumerate(zip(version.nodes, planned, strict=True), start=1)]  # fmt: skip


@transaction.atomic
def contract_sign(*, actor: User | None, version: TemplateVersion, number: str, project: str, owner: Unit,
                  contractor: str, amount, starts_on: dt.date, ends_on: dt.date, planned: list[dt.date],
                  at=None) -> Contract:  # fmt: skip
    """A contract on the issued version, its clauses copied, its key nodes items of the owner."""
    at, _today = moment(at)
    if not access.acts_for(actor, owner):
        raise PermissionDenied(_("Only the contract's owner does this."))
    version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if version.state != VersionState.ISSUED:
        raise ValidationError({"version": _("Contracts are signed on the issued version of the template.")})
    amount = clean_amount(amount)
    if starts_on is None or ends_on is None or ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The completion date comes after the commencement date.")})
    nodes = _nodes(version, planned, starts_on)
    if any(node["planned_on"] > ends_on for node in nodes[:-1]):
        raise ValidationError(
            {
                "ends_on": _(
                    "The key nodes up to %(node)s fall within the contract period: the "
                    "completion date is not before them."
                )
                % {"node": nodes[-2]["name"]}
            }
        )
    past = next((node for node in nodes if node["planned_on"] < _today), None)
    if past is not None:
        raise ValidationError({"nodes": _("The planned date of %(node)s has passed: a contract is registered before "
                                          "its key nodes fall due.") % {"node": past["name"]}})  # fmt: skip
    if not (number or "").strip() or not (project or "").strip() or not (contractor or "").strip():
        raise ValidationError(_("Give the contract number, the project and the contractor."))
    if Contract.objects.filter(number=number.strip()).exists():
        raise ValidationError({"number": _("This contract number is already registered.")})
    party, _made = Contractor.objects.get_or_create(name=contractor.strip()[:120], defaults={"created_at": at})
    contract = Contract.objects.create(
        number=number.strip()[:40], project=project.strip()[:200], owner=owner, contractor=party, version=version,
        amount=amount, starts_on=starts_on, ends_on=ends_on, reward_per_day=version.reward_per_day,
        penalty_per_day=version.penalty_per_day, criteria=version.criteria, created_at=at,
        reward_cap=schedule.share(amount, version.reward_cap_percent),
        penalty_cap=schedule.share(amount, version.penalty_cap_percent),
    )  # fmt: skip
    made = KeyNode.objects.bulk_create([KeyNode(contract=contract, created_at=at, **node) for node in nodes])
    specs = [
        {"title": f"{contract.project}：{node.name}", "lead_unit": owner, "deadline": node.planned_on,
         "subject": node, "external_id": f"contracts.node.{node.pk}", "category": _("Construction key node"),
         "content": _("%(node)s of contract %(number)s by %(contractor)s, planned for %(date)s.") % {
             "node": node.name, "number": contract.number, "contractor": party.name,
             "date": node.planned_on.isoformat()}}
        for node in KeyNode.objects.filter(pk__in=[n.pk for n in made]).order_by("order")
    ]  # fmt: skip
    for item in items_register(actor=actor, ledger=contract_ledger(timezone.localtime(at).year), specs=specs, at=at,
                               owner_rule=True):  # fmt: skip
        for action in ("assign", "acknowledge", "start"):  # the owner signed: its own work is under way
            item = item_transition(actor=actor, item=item, action=action, at=at, owner_rule=True)
    event_write(actor, "contracts.contract.signed", at, contract=contract, after=contract.state,
                version_number=version.number)  # fmt: skip
    return contract


def outcome_of(contract: Contract, node: KeyNode, actual_on: dt.date) -> tuple[int, Decimal]:
    days = (node.planned_on - actual_on).days
    return days, schedule.node_outcome(
        days=days, weight=node.weight, reward_per_day=contract.reward_per_day,
        penalty_per_day=contract.penalty_per_day, reward_cap=contract.reward_cap, penalty_cap=contract.penalty_cap,
    )  # fmt: skip


@transaction.atomic
def node_record(*, actor: User | None, node: KeyNode, actual_on: dt.date, at=None) -> KeyNode:
    """A key node reached: in order, not before commencement nor the node before it, not in the future;
    its reward or penalty computed at once; its item closed."""
    at, today = moment(at)
    contract = Contract.objects.select_for_update().get(pk=node.contract_id)
    access.require_owner(actor, contract)
    node = KeyNode.objects.select_for_update().get(pk=node.pk)
    if contract.state != ContractState.PERFORMING:
        raise ValidationError(_("The contract is settled."))
    if node.actual_on is not None:
        raise ValidationError(_("This key node is already recorded."))
    earlier = list(contract.nodes.filter(order__lt=node.order).order_by("order"))
    if any(n.actual_on is None for n in earlier):
        raise ValidationError({"actual_on": _("The key nodes are reached in order: %(node)s comes first.")
                               % {"node": next(n.name for n in earlier if n.actual_on is None)}})  # fmt: skip
    floor = earlier[-1].actual_on if earlier else contract.starts_on
    if actual_on is None or actual_on < floor or actual_on > today:
        raise ValidationError({"actual_on": _("The actual date lies between %(floor)s and today.")
                               % {"floor": floor.isoformat()}})  # fmt: skip
    node.actual_on = actual_on
    node.days, node.outcome = outcome_of(contract, node, actual_on)
    node.save(update_fields=["actual_on", "days", "outcome", "updated_at"])
    item = item_of(node)
    if item is not None:
        for action in ("acknowledge", "start", "submit", "accept", "close"):
            if action == "acknowledge" and item.state != ItemState.ASSIGNED:
                continue
            if action == "start" and item.state not in (ItemState.ACKNOWLEDGED, ItemState.RETURNED):
                continue
            item = item_transition(actor=actor, item=item, action=action, at=at, owner_rule=True,
                                   reason=_("Reached on %(date)s.") % {"date": actual_on.isoformat()})  # fmt: skip
    event_write(actor, "contracts.node.recorded", at, contract=contract, node=node.name, days=node.days,
                outcome=str(node.outcome))  # fmt: skip
    return node


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    month, day = QUARTER_ENDS[quarter]
    return dt.date(year, month, day)


@transaction.atomic
def rating_record(*, actor: User | None, contract: Contract, year: int, quarter: int, scores: dict,
                  at=None) -> Rating:  # fmt: skip
    """The owner's quarterly scores (0–100) on the published criteria; schedule adherence is computed
    from the key nodes due by the quarter's end. Rescoring a draft replaces it; an approved one stays."""
    at, today = moment(at)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    access.require_owner(actor, contract)
    if quarter not in QUARTER_ENDS or quarter_end(year, quarter) < contract.starts_on or quarter_start(
            year, quarter) > today:  # fmt: skip
        raise ValidationError({"quarter": _("Rate a quarter of the contract's performance that has begun.")})
    cleaned = {}
    for key, label, _weight in contract.criteria:
        if key == "schedule":
            continue
        try:
            value = Decimal(str(scores[key]))
        except (KeyError, ArithmeticError, ValueError):
            raise ValidationError({"scores": _("Score %(criterion)s from 0 to 100.") % {"criterion": label}}) from None
        if not Decimal(0) <= value <= Decimal(100):
            raise ValidationError({"scores": _("Score %(criterion)s from 0 to 100.") % {"criterion": label}})
        cleaned[key] = str(value)
    # A quarter still running counts the nodes due so far: one not yet due has not been missed.
    counted_to = min(quarter_end(year, quarter), today)
    cleaned["schedule"] = str(schedule.schedule_score(list(contract.nodes.all()), counted_to))
    rating = Rating.objects.filter(contract=contract, year=year, quarter=quarter).first()
    if rating is not None and rating.state == RatingState.APPROVED:
        raise ValidationError(_("The rating of this quarter is approved and no longer changes."))
    rating = rating or Rating(contract=contract, year=year, quarter=quarter, created_at=at)
    rating.scores, rating.scored_by = cleaned, actor
    rating.total = schedule.weighted_total(cleaned, contract.criteria)
    rating.save()
    event_write(actor, "contracts.rating.recorded", at, contract=contract, quarter=f"{year}Q{quarter}",
                total=str(rating.total))  # fmt: skip
    notices.rating_moved(rating, "recorded", actor)
    return rating


@transaction.atomic
def rating_approve(*, actor: User | None, rating: Rating, at=None) -> Rating:
    """The owner's head approves the rating; whoever scored it does not."""
    at, _today = moment(at)
    rating = Rating.objects.select_for_update().select_related("contract__owner").get(pk=rating.pk)
    if not access.heads(actor, rating.contract.owner):
        raise PermissionDenied(_("The owner's head approves the rating."))
    if rating.state == RatingState.APPROVED:
        raise ValidationError(_("This rating is already approved."))
    if actor is not None and rating.scored_by_id == actor.pk:
        raise ValidationError(_("Someone other than whoever scored the rating approves it."))
    rating.state, rating.approved_by, rating.approved_at = RatingState.APPROVED, actor, at
    rating.save()
    event_write(
        actor, "contracts.rating.approved", at, contract=rating.contract, quarter=f"{rating.year}Q{rating.quarter}"
    )
    notices.rating_moved(rating, "approved", actor)
    return rating


def settlement(contract: Contract) -> schedule.Settlement:
    """The schedule clauses' part of the settlement: rewards and penalties of the nodes reached, the
    approved ratings' average and what it lets through."""
    settings = ContractsSettings.current()
    outcomes = [n.outcome for n in contract.nodes.exclude(outcome=None)]
    ratings = [r.total for r in contract.ratings.filter(state=RatingState.APPROVED)]
    return schedule.settle(outcomes, ratings, reward_cap=contract.reward_cap, penalty_cap=contract.penalty_cap,
                           full=settings.full_reward_rating, half=settings.half_reward_rating)  # fmt: skip


def quarters_of(contract: Contract) -> list[tuple[int, int]]:
    """(year, quarter) from commencement to the quarter of the last node reached."""
    last = contract.nodes.exclude(actual_on=None).order_by("-order").values_list("actual_on", flat=True).first()
    if last is None:
        return []
    found, day = [], contract.starts_on
    while (day.year, day.month) <= (last.year, last.month):
        quarter = (day.year, (day.month - 1) // 3 + 1)
        if quarter not in found:
            found.append(quarter)
        day = quarter_end(*quarter) + dt.timedelta(days=1)
    return found


def settle_refusal(contract: Contract) -> str:
    """Why the contract cannot be settled yet ("" when it can)."""
    if contract.state != ContractState.PERFORMING:
        return _("The contract is settled.")
    if contract.nodes.filter(actual_on=None).exists():
        return _("Every key node is reached before the settlement.")
    rated = set(contract.ratings.filter(state=RatingState.APPROVED).values_list("year", "quarter"))
    missing = [q for q in quarters_of(contract) if q not in rated]
    if missing:
        return _("Every quarter of the performance has an approved rating before the settlement: %(quarters)s "
                 "not yet.") % {"quarters": "、".join(quarter_label(*q) for q in missing)}  # fmt: skip
    return ""


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s, quarter %(quarter)s") % {"year": year, "quarter": quarter}


@transaction.atomic
def contract_settle(*, actor: User | None, contract: Contract, at=None) -> Contract:
    """Settled once every key node is reached and at least one rating approved."""
    at, _today = moment(at)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    access.require_owner(actor, contract)
    if refusal := settle_refusal(contract):
        raise ValidationError(refusal)
    summary = settlement(contract)
    before = contract.state
    contract.state, contract.settled_at = ContractState.SETTLED, at
    contract.save(update_fields=["state", "settled_at", "updated_at"])
    event_write(actor, "contracts.contract.settled", at, contract=contract, before=before, after=contract.state,
                net=str(summary.net))  # fmt: skip
    return contract


@transaction.atomic
def rating_answer(*, actor: User | None, rating: Rating, answer: str, at=None) -> Rating:
    """The contractor's answer to an approved rating (its view, kept with the rating)."""
    at, _today = moment(at)
    rating = Rating.objects.select_for_update().select_related("contract__contractor").get(pk=rating.pk)
    if actor is not None and not access.answers_for(actor, rating.contract):
        raise PermissionDenied(_("Only the contractor answers its rating."))
    if rating.state != RatingState.APPROVED:
        raise ValidationError(_("A rating is answered once it is approved."))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    rating.answer, rating.answered_at = answer.strip()[:2000], at
    rating.save(update_fields=["answer", "answered_at", "updated_at"])
    event_write(actor, "contracts.rating.answered", at, contract=rating.contract,
                quarter=f"{rating.year}Q{rating.quarter}")  # fmt: skip
    notices.rating_moved(rating, "answered", actor)
    return rating
