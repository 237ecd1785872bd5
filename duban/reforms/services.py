"""Reform use-cases: registering reforms under the three-level responsibility rule, decomposing them
into ledger items, and deepening them (改革深化) by approved adjustments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.ledger.choices import ENDED_STATES, BasisKind, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import extension_decide, extension_request, item_transition, item_update, items_register
from duban.orgs import access as org_access
from duban.orgs.choices import LeaderRank, PositionRole, UnitKind
from duban.orgs.models import Domain, LeaderPortfolio, Person, Position, Unit, User
from duban.reforms import access
from duban.reforms.choices import (
    ADJUSTMENT_MOVES,
    ASSIGNED_LEVELS,
    PLAN_MOVES,
    PROPOSAL_MOVES,
    AdjustmentState,
    LookBackOutcome,
    PlanState,
    ProposalSource,
    ProposalState,
    ReformLevel,
)
from duban.reforms.models import (
    ADJUSTABLE_FIELDS,
    AnnualPlan,
    Case,
    LookBack,
    Proposal,
    ProposalCall,
    Reform,
    ReformAdjustment,
)

DESCRIPTIVE_FIELDS = ("title", "group", "domain", "year", "level")


def check_manager(actor: User | None) -> None:
    """`None` is the system (the demo); a person must be allowed to manage reforms."""
    if actor is not None:
        access.require_manager(actor)


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
        problems.append(_("A district key reform is led by a main district leader (区委书记 or 区长)."))
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
        raise ValidationError(
            _("Once a reform is decomposed, its goals, plan and deadline change by an adjustment (改革深化).")
        )
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


#
# Deepening (改革深化)
#


@transaction.atomic
def adjustment_request(
    *, actor: User | None, reform: Reform, reason: str, changes: dict, at: dt.datetime | None = None
) -> ReformAdjustment:
    """Ask to change goals, plan, expected results or deadline; nothing changes until approved."""
    check_manager(actor)
    reform = Reform.objects.select_for_update().get(pk=reform.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    unknown = set(changes) - set(ADJUSTABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Only goals, plan, expected results and deadline are adjusted."))
    before_after = {
        name: [_plain(getattr(reform, name)), _plain(value)]
        for name, value in changes.items()
        if value not in (None, "") and value != getattr(reform, name)
    }
    if not before_after:
        raise ValidationError(_("The adjustment changes nothing."))
    if "deadline" in before_after:
        _check_new_deadline(reform, changes["deadline"], at)
    adjustment = ReformAdjustment(
        reform=reform,
        reason=reason.strip(),
        changes=before_after,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if at is not None:
        adjustment.created_at = at
    adjustment.full_clean()
    save_with_history(adjustment, actor=actor, reason="reforms.adjustment.requested")
    return adjustment


@transaction.atomic
def adjustment_decide(
    *, actor: User | None, adjustment: ReformAdjustment, approve: bool, note: str = "", at: dt.datetime | None = None
) -> ReformAdjustment:
    """Approve (apply the changes; a new deadline moves the reform's item by an approved extension)
    or reject. Whoever asked cannot decide."""
    check_manager(actor)
    at, _today = moment(at)
    adjustment = ReformAdjustment.objects.select_for_update(of=("self",)).select_related("reform").get(pk=adjustment.pk)
    target = AdjustmentState.APPROVED if approve else AdjustmentState.REJECTED
    ADJUSTMENT_MOVES.check_target(adjustment.state, target)
    if actor is not None and adjustment.requested_by_id == actor.pk:
        raise ValidationError(_("An adjustment is approved by someone other than who asked for it."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the adjustment is rejected.")})
    adjustment.state = target
    adjustment.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    adjustment.decided_at = at
    adjustment.decision_note = note.strip()
    save_with_history(adjustment, actor=actor, reason=f"reforms.adjustment.{target}")
    if approve:
        reform = Reform.objects.select_for_update().get(pk=adjustment.reform_id)
        for name, (_before, after) in adjustment.changes.items():
            setattr(reform, name, dt.date.fromisoformat(after) if name == "deadline" else after)
        reform.full_clean()
        save_with_history(reform, actor=actor, reason="reforms.reform.adjusted")
        root = reform.item
        if "deadline" in adjustment.changes and root:
            _move_item_deadline(actor, reform, root, adjustment, at)
        if "goals" in adjustment.changes and root and root.state not in ENDED_STATES:
            item_update(actor=actor, item=root, data={"content": reform.goals}, owner_rule=True)
    return adjustment


def _check_new_deadline(reform: Reform, deadline: dt.date, at: dt.datetime) -> None:
    """What the ledger will require of the extension, checked when the adjustment is asked for:
    a later date, asked before the current deadline passes, on an open item."""
    item = reform.item
    if item is None or item.state == "draft":
        return
    if item.state in ENDED_STATES or item.state == "submitted":
        raise ValidationError(
            {"deadline": _("The reform's item is closed or under review; its deadline no longer moves.")}
        )
    current = item.effective_deadline
    if current and deadline <= current:
        raise ValidationError(
            {"deadline": _("A new deadline comes after the current one (%(date)s).") % {"date": current}}
        )
    if current and timezone.localdate(at) > current:
        raise ValidationError({"deadline": _("The deadline has passed; it can no longer be extended.")})


def _move_item_deadline(actor, reform: Reform, item: Item, adjustment: ReformAdjustment, at: dt.datetime) -> None:
    """The ledger moves an assigned item's deadline only by an approved extension: the adjustment
    is that extension, asked (by whoever asked for the adjustment) and granted (by whoever approved
    it) in the same step, so the item's history shows both."""
    if item.state == "draft":
        item_update(actor=actor, item=item, data={"deadline": reform.deadline}, owner_rule=True)
        return
    request = extension_request(
        actor=adjustment.requested_by,
        item=item,
        new_deadline=reform.deadline,
        reason=f"改革深化：{adjustment.reason}",
        at=at,
        owner_rule=True,
    )
    extension_decide(
        actor=actor, request=request, approve=True, note=_("Reform adjustment approved."), at=at, owner_rule=True
    )


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else value


#
# The annual plan (深改委工作要点)
#

PLAN_LEVELS = (*ASSIGNED_LEVELS, ReformLevel.KEY)  # micro-reforms are run by units, not listed in the plan


def plan_of(year: int) -> AnnualPlan:
    """The year's plan, a draft until the commission approves it (unsaved until then: reading a
    year's plan writes nothing)."""
    return AnnualPlan.objects.filter(year=year).first() or AnnualPlan(
        year=year, title=f"中共深圳市罗湖区委全面深化改革委员会{year}年工作要点"
    )


def plan_reforms(plan: AnnualPlan) -> list[Reform]:
    """The plan's reforms: as approved, or (a draft) the year's reforms at plan level, by group."""
    reforms = Reform.objects.select_related("lead_unit").prefetch_related("lead_leaders", "co_units")
    if plan.state == PlanState.APPROVED:
        reforms = reforms.filter(pk__in=plan.reform_ids)
    else:
        reforms = reforms.filter(year=plan.year, level__in=PLAN_LEVELS)
    return sorted(reforms, key=lambda r: (r.group, PLAN_LEVELS.index(r.level), r.pk))


def plan_added_since_approval(plan: AnnualPlan) -> list[Reform]:
    if plan.state != PlanState.APPROVED:
        return []
    return list(Reform.objects.filter(year=plan.year, level__in=PLAN_LEVELS).exclude(pk__in=plan.reform_ids))


@transaction.atomic
def plan_approve(
    *, actor: User | None, plan: AnnualPlan, meeting: str, approved_on: dt.date, document_number: str = ""
) -> AnnualPlan:
    """Record the commission's approval; the plan's list of reforms is fixed from then on."""
    check_manager(actor)
    plan, _created = AnnualPlan.objects.select_for_update().get_or_create(
        year=plan.year, defaults={"title": plan.title}
    )
    PLAN_MOVES.check_target(plan.state, PlanState.APPROVED)
    reforms = plan_reforms(plan)
    if not reforms:
        raise ValidationError(_("The plan lists no reforms yet."))
    if not meeting.strip():
        raise ValidationError({"meeting": _("Name the meeting that approved the plan.")})
    plan.state = PlanState.APPROVED
    plan.meeting = meeting.strip()
    plan.approved_on = approved_on
    plan.document_number = document_number.strip()
    plan.approved_by = actor if getattr(actor, "is_authenticated", False) else None
    plan.reform_ids = [reform.pk for reform in reforms]
    plan.full_clean()
    save_with_history(plan, actor=actor, reason="reforms.plan.approved")
    return plan


#
# The call for proposals (征求意见/问计于民)
#

PROPOSALS_PER_PERSON = 10
TITLE_LIMIT, TEXT_LIMIT = 100, 2000


@transaction.atomic
def call_create(*, actor: User | None, **fields) -> ProposalCall:
    check_manager(actor)
    call = ProposalCall(created_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)
    call.full_clean()
    call.save()
    return call


def proposer_of(user) -> tuple[str, Unit | None]:
    """Who a proposal is from: a verified resident, or an official for their street or department.
    Anyone else is refused with the reason."""
    if getattr(user, "is_verified_resident", False):
        return ProposalSource.RESIDENT, None
    for root in org_access.scope_roots(user):
        for unit in reversed(list(Unit.objects.ancestors_of(root))):
            if unit.kind == UnitKind.STREET:
                return ProposalSource.STREET, unit
            if unit.kind in (UnitKind.DEPARTMENT, UnitKind.COMMISSION, UnitKind.BRANCH):
                return ProposalSource.DEPARTMENT, unit
    raise PermissionDenied(_("Proposals come from verified residents, departments and streets."))


@transaction.atomic
def proposal_submit(
    *, actor: User, call: ProposalCall, title: str, text: str, at: dt.datetime | None = None
) -> Proposal:
    """A proposal to an open call. Refused, with nothing saved, when the call is closed, the text is
    empty or too long, or the person has already sent the most a call takes."""
    at, today = moment(at)
    source, unit = proposer_of(actor)
    call = ProposalCall.objects.select_for_update().get(pk=call.pk)
    if not call.is_open(today):
        raise ValidationError(_("This call for proposals is closed."))
    title, text = title.strip(), text.strip()
    errors = {}
    if not title:
        errors["title"] = _("Give your proposal a title.")
    elif len(title) > TITLE_LIMIT:
        errors["title"] = _("At most %(n)s characters.") % {"n": TITLE_LIMIT}
    if not text:
        errors["text"] = _("Write your proposal.")
    elif len(text) > TEXT_LIMIT:
        errors["text"] = _("At most %(n)s characters.") % {"n": TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    if call.proposals.filter(author=actor).count() >= PROPOSALS_PER_PERSON:
        raise ValidationError(_("One person sends at most %(n)s proposals to a call.") % {"n": PROPOSALS_PER_PERSON})
    proposal = Proposal(call=call, title=title, text=text, source=source, unit=unit, author=actor, created_at=at)
    proposal.full_clean()
    save_with_history(proposal, actor=actor, reason="reforms.proposal.submitted")
    return proposal


@transaction.atomic
def proposal_answer(
    *,
    actor: User | None,
    proposal: Proposal,
    state: str,
    answer: str,
    reform: Reform | None = None,
    merged_into: Proposal | None = None,
    at: dt.datetime | None = None,
) -> Proposal:
    """The office's public answer: adopted (into a reform of the plan), merged (with another
    proposal of the call) or declined (with the reasons). Each proposal is answered once."""
    check_manager(actor)
    at, _today = moment(at)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if state not in ProposalState.values:
        raise ValidationError({"state": _("Adopt, merge or decline the proposal.")})
    PROPOSAL_MOVES.check_target(proposal.state, state)
    answer = answer.strip()
    if state == ProposalState.ADOPTED:
        if reform is None:
            raise ValidationError({"reform": _("Name the reform the proposal is adopted into.")})
        if reform.year != proposal.call.year:
            raise ValidationError({"reform": _("Adopt it into a reform of the call's plan year.")})
    elif state == ProposalState.MERGED:
        if merged_into is None or merged_into.call_id != proposal.call_id or merged_into.pk == proposal.pk:
            raise ValidationError({"merged_into": _("Name another proposal of the same call.")})
    elif state == ProposalState.DECLINED:
        if not answer:
            raise ValidationError({"answer": _("Give the reasons for declining.")})
    else:
        raise ValidationError({"state": _("Adopt, merge or decline the proposal.")})
    if not answer:
        raise ValidationError({"answer": _("Write the answer the proposer will read.")})
    proposal.state = state
    proposal.answer = answer
    proposal.answered_at = at
    proposal.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    proposal.reform = reform if state == ProposalState.ADOPTED else None
    proposal.merged_into = merged_into if state == ProposalState.MERGED else None
    proposal.full_clean()
    save_with_history(proposal, actor=actor, reason=f"reforms.proposal.{state}")
    return proposal


#
# The five-year summary
#


def summary(first_year: int, last_year: int) -> dict:
    """The reform office's figures for a span of years, counted from the reforms and their items:
    tasks assigned from above and how many were completed (item closed), key reforms,
    micro-reforms, projects scored by third-party panels and the excellent ones; and per year."""
    from duban.reforms.models import ExpertPanel

    reforms = Reform.objects.filter(year__range=(first_year, last_year)).prefetch_related("items")
    panels = ExpertPanel.objects.filter(year__range=(first_year, last_year))
    years = []
    for year in range(first_year, last_year + 1):
        of_year = [r for r in reforms if r.year == year]
        years.append(_figures(year, of_year, [p for p in panels if p.year == year]))
    total = _figures(None, list(reforms), list(panels))
    return {"years": years, "total": total}


def _figures(year, reforms: list[Reform], panels) -> dict:
    from duban.reforms.rounds import panel_results

    assigned = [r for r in reforms if r.level in ASSIGNED_LEVELS]
    completed = [r for r in assigned if r.item is not None and r.item.state == "closed"]
    scored = excellent = 0
    for panel in panels:
        results = panel_results(panel)
        scored += sum(1 for result in results if result.score is not None)
        excellent += sum(1 for result in results if result.excellent)
    return {
        "year": year,
        "assigned": len(assigned),
        "assigned_completed": len(completed),
        "completion": round(100 * len(completed) / len(assigned)) if assigned else None,
        "key": sum(1 for r in reforms if r.level == ReformLevel.KEY),
        "micro": sum(1 for r in reforms if r.level == ReformLevel.MICRO),
        "scored": scored,
        "excellent": excellent,
    }


#
# 回头看 and the case library
#


@transaction.atomic
def lookback_record(
    *,
    actor: User | None,
    reform: Reform,
    year: int,
    outcome: str,
    findings: str,
    rules: str = "",
    replicated_by: str = "",
    at: dt.datetime | None = None,
) -> LookBack:
    """Record a look-back of an earlier year's reform. A relapse reopens the reform's finished
    ledger items (the ledger's `reopen`, with the findings as the reason) so the loop runs again."""
    check_manager(actor)
    at, _today = moment(at)
    reform = Reform.objects.select_for_update().get(pk=reform.pk)
    if year <= reform.year:
        raise ValidationError({"year": _("A look-back checks a reform of an earlier year.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Write what the look-back found.")})
    if outcome == LookBackOutcome.INSTITUTIONALISED and not rules.strip():
        raise ValidationError({"rules": _("Name the rules the reform produced.")})
    if outcome == LookBackOutcome.REPLICATED and not replicated_by.strip():
        raise ValidationError({"replicated_by": _("Say who replicated the reform.")})
    lookback = LookBack(
        reform=reform,
        year=year,
        outcome=outcome,
        findings=findings.strip(),
        rules=rules.strip(),
        replicated_by=replicated_by.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=at,
    )
    lookback.full_clean()
    if outcome == LookBackOutcome.RELAPSED:
        milestones_first = sorted(reform_items(reform), key=lambda item: item.parent_id is None)
        finished = [item for item in milestones_first if item.state in ("done", "closed")]
        if not finished:
            raise ValidationError(_("The reform has no finished ledger items to reopen."))
        for item in finished:
            item_transition(
                actor=actor, item=item, action="reopen", reason=f"回头看：{findings.strip()}", at=at, owner_rule=True
            )
        lookback.reopened = len(finished)
    lookback.save()
    return lookback


@transaction.atomic
def case_save(*, actor: User | None, case: Case | None = None, publish: bool = False, **fields) -> Case:
    """Write up (or edit) a case; publishing puts it on the portal's case library."""
    check_manager(actor)
    case = case or Case()
    for name, value in fields.items():
        setattr(case, name, value)
    if publish and case.published_at is None:
        case.published_at = timezone.now()
    case.full_clean()
    save_with_history(case, actor=actor, reason="reforms.case.saved")
    return case
