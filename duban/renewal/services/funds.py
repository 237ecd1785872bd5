"""Supervised renewal funds (资金监管), per 《…助企纾困 优化资金监管 推动城市更新提质增效的暂行措施》:
each project's supervision account holds what resettlement housing and relocation compensation
require; money leaves it only by a release tied to a milestone reached (with its evidence), or
early against a bank guarantee as the account's relief rule allows, approved by the bureau head and,
over the district threshold, by the district. A release never takes the account past what its rule
allows at that milestone nor below zero: the account row is locked while a release is applied for
and while it is transferred, so concurrent releases wait for each other."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.money import clean_amount
from duban.core.numbering import next_value
from duban.core.uploads import check_scan
from duban.core.workdays import moment
from duban.orgs.models import User
from duban.renewal import access, notices
from duban.renewal.choices import (
    HOLDS_FUNDS,
    MILESTONE_ORDER,
    RELEASE_MOVES,
    STAGE_ORDER,
    Milestone,
    ProjectStage,
    Purpose,
    ReleaseState,
    RuleKind,
)
from duban.renewal.models import (
    ZERO,
    Account,
    Deposit,
    Project,
    Reach,
    Release,
    ReleaseRule,
    RenewalSettings,
    Requirement,
)
from duban.renewal.services.events import event_write

HUNDRED = Decimal(100)


def _check_rules(rules: list[dict]) -> list[ReleaseRule]:
    """Milestone caps rise with the milestones and the last reaches 100 %; at most one relief rule."""
    made, errors = [], []
    for spec in rules:
        rule = ReleaseRule(kind=spec.get("kind"), milestone=spec.get("milestone") or "", basis=spec.get("basis", ""),
                           cap_percent=Decimal(str(spec.get("cap_percent") or 0)))  # fmt: skip
        if rule.kind == RuleKind.GUARANTEE:
            rule.milestone = ""
        if rule.kind not in RuleKind.values or (
            rule.kind == RuleKind.MILESTONE and rule.milestone not in Milestone.values
        ):
            errors.append(_("Each rule names its kind, and a milestone rule its milestone."))
        elif not ZERO < rule.cap_percent <= HUNDRED:
            errors.append(_("A rule's share lies between 0 and 100 %."))
        made.append(rule)
    steps = sorted((r for r in made if r.kind == RuleKind.MILESTONE), key=lambda r: MILESTONE_ORDER.index(r.milestone))
    if len({r.milestone for r in steps}) != len(steps) or sum(r.kind == RuleKind.GUARANTEE for r in made) > 1:
        errors.append(_("A milestone has one rule, and an account at most one guarantee rule."))
    if (
        not steps
        or steps[-1].cap_percent != HUNDRED
        or any(a.cap_percent >= b.cap_percent for a, b in zip(steps, steps[1:], strict=False))
    ):
        errors.append(_("The milestones' shares rise from one milestone to the next and reach 100 % at the last."))
    if errors:
        raise ValidationError({"rules": errors})
    return made


@transaction.atomic
def account_open(*, actor: User | None, project: Project, bank: str, number: str, opened_on: dt.date,
                 requirements: dict[str, object], rules: list[dict], at=None) -> Account:  # fmt: skip
    """Open the project's supervision account with what it must hold and its release rules."""
    at, today = moment(at)
    access.require_officer(actor)
    if Account.objects.filter(project=project).exists():
        raise ValidationError(_("The project already has a supervision account."))
    if opened_on > today:
        raise ValidationError({"opened_on": _("The opening date cannot be in the future.")})
    amounts = {purpose: clean_amount(value, "requirements") for purpose, value in requirements.items() if value}
    if not amounts or set(amounts) - set(Purpose.values):
        raise ValidationError({"requirements": _("Give the amount required for at least one purpose.")})
    checked = _check_rules(rules)
    account = Account(project=project, bank=(bank or "").strip(), number=(number or "").strip(), opened_on=opened_on,
                      created_at=at)  # fmt: skip
    account.full_clean(exclude=["project"])
    save_with_history(account, actor=actor, reason="renewal.account.opened")
    Requirement.objects.bulk_create([Requirement(account=account, purpose=p, amount=a, created_at=at)
                                     for p, a in amounts.items()])  # fmt: skip
    for rule in checked:
        rule.account, rule.created_at = account, at
    ReleaseRule.objects.bulk_create(checked)
    event_write(project, actor, "renewal.account.opened", at, required=str(sum(amounts.values())))
    return account


def _locked(account: Account) -> Account:
    return Account.objects.select_for_update(of=("self",)).select_related("project").get(pk=account.pk)


@transaction.atomic
def deposit_record(*, actor: User | None, account: Account, amount, deposited_on: dt.date, reference: str,
                   at=None) -> Deposit:  # fmt: skip
    at, today = moment(at)
    access.require_officer(actor)
    account = _locked(account)
    amount = clean_amount(amount)
    if deposited_on > today or deposited_on < account.opened_on:
        raise ValidationError({"deposited_on": _("The date lies between the account's opening and today.")})
    if not (reference or "").strip():
        raise ValidationError({"reference": _("Give the bank's reference for the deposit.")})
    if account.deposits.filter(reference=reference.strip()).exists():
        raise ValidationError({"reference": _("A deposit with this bank reference is already recorded.")})
    if account.deposited() + amount > account.required():
        raise ValidationError({"amount": _("With this deposit the account would hold more than it must (%(required)s "
                                           "yuan).") % {"required": f"{account.required():,.2f}"}})  # fmt: skip
    deposit = Deposit.objects.create(account=account, amount=amount, deposited_on=deposited_on,
                                     reference=reference.strip()[:60], recorded_by=actor, created_at=at)  # fmt: skip
    event_write(account.project, actor, "renewal.account.deposit", at, amount=str(amount))
    return deposit


@transaction.atomic
def milestone_reach(*, actor: User | None, account: Account, milestone: str, reached_on: dt.date, evidence,
                    at=None) -> Reach:  # fmt: skip
    """A milestone of the account's rules, reached after the one before it, with its evidence."""
    at, today = moment(at)
    access.require_officer(actor)
    account = _locked(account)
    named = [r.milestone for r in account.rules.filter(kind=RuleKind.MILESTONE)]
    if milestone not in named:
        raise ValidationError({"milestone": _("The account's rules do not name this milestone.")})
    order = sorted(named, key=MILESTONE_ORDER.index)
    reached = {r.milestone: r.reached_on for r in account.reached.all()}
    if milestone in reached:
        raise ValidationError({"milestone": _("This milestone is already recorded.")})
    earlier = order[: order.index(milestone)]
    if any(m not in reached for m in earlier):
        raise ValidationError({"milestone": _("The milestones are reached in order: %(first)s comes first.")
                               % {"first": Milestone(next(m for m in earlier if m not in reached)).label}})  # fmt: skip
    if reached_on > today or any(reached_on < reached[m] for m in earlier):
        raise ValidationError({"reached_on": _("The date is not in the future nor before the milestone before it.")})
    stage = account.project.stage
    needed = ProjectStage.RETURN if milestone == Milestone.HANDOVER else ProjectStage.BUILDING
    if STAGE_ORDER.index(stage) < STAGE_ORDER.index(needed):
        raise ValidationError({"milestone": _("The project is at “%(stage)s”: this milestone comes at “%(needed)s”.")
                               % {"stage": ProjectStage(stage).label, "needed": needed.label}})  # fmt: skip
    if evidence is None:
        raise ValidationError({"evidence": _("Attach the evidence (the acceptance record or certificate).")})
    check_scan(evidence, field="evidence")
    reach = Reach.objects.create(account=account, milestone=milestone, reached_on=reached_on, evidence=evidence,
                                 evidence_name=evidence.name[:200], recorded_by=actor, created_at=at)  # fmt: skip
    event_write(account.project, actor, "renewal.account.milestone", at, milestone=milestone,
                on=reached_on.isoformat())  # fmt: skip
    return reach


def _blocked(account: Account, rule: ReleaseRule) -> str:
    """Why nothing at all may be released under `rule` now ("" when something may)."""
    reached = set(account.reached.values_list("milestone", flat=True))
    if rule.kind == RuleKind.MILESTONE and rule.milestone not in reached:
        return _("%(milestone)s is not reached yet.") % {"milestone": rule.get_milestone_display()}
    named = set(account.rules.filter(kind=RuleKind.MILESTONE).values_list("milestone", flat=True))
    if rule.kind == RuleKind.GUARANTEE and named <= reached:
        return _("Every milestone is reached: releases follow the milestones' rules.")
    return ""


def room(account: Account, rule: ReleaseRule) -> tuple[Decimal, str]:
    """How much more may be applied for under `rule` now, and what limits it (read under the
    account's lock by the writers)."""
    required, committed = account.required(), account.committed()
    balance = account.deposited() - committed
    reached = set(account.reached.values_list("milestone", flat=True))
    steps = sorted(account.rules.filter(kind=RuleKind.MILESTONE), key=lambda r: MILESTONE_ORDER.index(r.milestone))
    if blocked := _blocked(account, rule):
        return ZERO, blocked
    if rule.kind == RuleKind.MILESTONE:
        cap = (required * rule.cap_percent / HUNDRED).quantize(Decimal("0.01"))
        limits = [
            (cap - committed, _("the share allowed at %(milestone)s") % {"milestone": rule.get_milestone_display()})
        ]
    else:
        advanced = sum((r.amount for r in account.releases.filter(rule=rule, state__in=HOLDS_FUNDS)), ZERO)
        nxt = next(r for r in steps if r.milestone not in reached)
        ceiling = (required * nxt.cap_percent / HUNDRED).quantize(Decimal("0.01"))
        relief = (required * rule.cap_percent / HUNDRED).quantize(Decimal("0.01"))
        limits = [(relief - advanced, _("the share that may be released early against a guarantee")),
                  (ceiling - committed, _("the share allowed at %(milestone)s") % {
                      "milestone": nxt.get_milestone_display()})]  # fmt: skip
    limits.append((balance, _("the account's balance")))
    amount, why = min(limits, key=lambda pair: pair[0])
    return max(amount, ZERO), why


@transaction.atomic
def release_apply(*, actor: User | None, account: Account, rule: ReleaseRule, amount, guarantee: dict | None = None,
                  at=None) -> Release:  # fmt: skip
    """Record the developer's application for a release under one of the account's rules; refused,
    with nothing written, beyond what the rule allows now or what the account holds."""
    at, today = moment(at)
    access.require_officer(actor)
    account = _locked(account)
    if rule.account_id != account.pk:
        raise ValidationError({"rule": _("Choose one of this account's rules.")})
    amount = clean_amount(amount)
    fields = {}
    if rule.kind == RuleKind.GUARANTEE:
        guarantee = guarantee or {}
        bank, number = (guarantee.get("bank") or "").strip(), (guarantee.get("number") or "").strip()
        expires = guarantee.get("expires_on")
        if not bank or not number or expires is None:
            raise ValidationError({"guarantee": _("Give the guaranteeing bank, the guarantee's number and its "
                                                  "expiry date.")})  # fmt: skip
        covered = clean_amount(guarantee.get("amount") or 0, "guarantee")
        if expires <= today:
            raise ValidationError({"guarantee": _("The guarantee has expired.")})
        if covered < amount:
            raise ValidationError({"guarantee": _("The guarantee covers less than the amount to release.")})
        fields = {"guarantee_bank": bank[:120], "guarantee_number": number[:60], "guarantee_amount": covered,
                  "guarantee_expires_on": expires}  # fmt: skip
    if blocked := _blocked(account, rule):
        raise ValidationError({"rule": blocked})
    allowed, why = room(account, rule)
    if amount > allowed:
        raise ValidationError({"amount": _("At most %(allowed)s yuan may be released now (%(why)s).")
                               % {"allowed": f"{allowed:,.2f}", "why": why}})  # fmt: skip
    year = timezone.localtime(at).year
    release = Release.objects.create(
        number=f"罗更资〔{year}〕{next_value(f'renewal.release.{year}')}号", account=account, rule=rule, amount=amount,
        applied_at=at, applied_by=actor if getattr(actor, "is_authenticated", False) else None, created_at=at,
        **fields,
    )  # fmt: skip
    event_write(account.project, actor, "renewal.release.applied", at, release=release, after=release.state,
                amount=str(amount))  # fmt: skip
    notices.release_moved(release, "applied", actor)
    return release


def may_release_step(actor, release: Release, move) -> bool:
    if actor is None:
        return True
    if move.actor == "approver":  # refused by whoever's approval it waits for
        key = "head" if release.state == ReleaseState.APPLIED else "district"
        return access.holds(actor, key)
    return access.holds(actor, move.actor)


def over_threshold(release: Release) -> bool:
    return release.amount > RenewalSettings.current().district_threshold


@transaction.atomic
def release_step(*, actor: User | None, release: Release, code: str, reason: str = "", released_on=None,
                 voucher: str = "", at=None) -> Release:  # fmt: skip
    """The one way a release moves: the head approves (over the threshold: refers it to the district,
    which approves), a case officer records the transfer; refusals and withdrawals say why."""
    at, today = moment(at)
    account = _locked(release.account)
    release = Release.objects.select_for_update(of=("self",)).select_related("rule").get(pk=release.pk)
    step = RELEASE_MOVES.check(
        release.state, code, may=lambda m: may_release_step(actor, release, m),
        refusal=_("The bureau head approves, the district approves what is over its threshold, and a case officer "
                  "records the transfer."),
        reason=reason,
    )  # fmt: skip
    if code == "approve" and over_threshold(release):
        raise ValidationError(_("Over %(limit)s yuan a release goes to the district: approve and refer it.")
                              % {"limit": f"{RenewalSettings.current().district_threshold:,.2f}"})  # fmt: skip
    if code == "refer" and not over_threshold(release):
        raise ValidationError(_("This release is within the bureau's own approval."))
    if actor is not None and code in ("approve", "refer", "endorse") and release.applied_by_id == actor.pk:
        raise ValidationError(_("Whoever recorded the application does not approve it."))
    extra = {}
    if code in ("approve", "refer"):
        release.approved_by = actor
    elif code == "endorse":
        release.endorsed_by = actor
    elif code == "transfer":
        if released_on is None or released_on > today or not (voucher or "").strip():
            raise ValidationError(_("Give the transfer date (not in the future) and the bank voucher."))
        if account.deposited() - account.released() < release.amount:
            raise ValidationError(_("The account does not hold enough for this release."))
        release.released_on, release.voucher = released_on, voucher.strip()[:60]
        extra = {"on": released_on.isoformat()}
    before = release.state
    release.state = step.target_from(before)
    release.save()
    event_write(account.project, actor, step.event, at, release=release, before=before, after=release.state,
                reason=reason.strip(), amount=str(release.amount), **extra)  # fmt: skip
    notices.release_moved(release, code, actor)
    return release
