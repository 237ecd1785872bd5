"""Every write of the rules context. A rule registered as it stands is in force at once; every
later change is a rule action of a unit's plan: a ledger item the office supervises, moved
through its own stages (`choices.ACTION_STEPS`) here, and applied to the rule when its item is
verified (`subjects.RuleActionOwner` calls `action_follow_item`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.documents import read_document
from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import item_transition, items_register
from duban.orgs.models import Unit, User
from duban.rules import access, notices
from duban.rules.choices import (
    ACTION_STEPS,
    ACTION_WORDS,
    CHANGEABLE_STATUSES,
    LAPSE_YEARS,
    LEGAL_REVIEW_KINDS,
    OPEN_STAGES,
    ActionKind,
    ActionStage,
    RuleStatus,
)
from duban.rules.models import ActionCause, Rule, RuleAction, RuleCategory, RulePlan, RuleVersion
from duban.rules.reviews import review_due


def _user(actor) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lapses_on(kind: str, effective_on: dt.date | None) -> dt.date | None:
    years = LAPSE_YEARS.get(kind)
    if years is None or effective_on is None:
        return None
    try:
        return effective_on.replace(year=effective_on.year + years) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return effective_on.replace(year=effective_on.year + years, day=28)


#
# Categories and rules as they stand
#


def category_save(
    *, actor: User | None, unit: Unit, name: str, parent: RuleCategory | None = None, sort_order: int = 0,
    category: RuleCategory | None = None,
) -> RuleCategory:  # fmt: skip
    access.require_keeper(actor, unit)
    if parent is not None and parent.unit_id != unit.pk:
        raise ValidationError({"parent": _("A category sits under a category of the same unit.")})
    category = category or RuleCategory(unit=unit)
    category.name, category.parent, category.sort_order = name.strip(), parent, sort_order
    category.full_clean()
    category.save()
    return category


def _check_category(category: RuleCategory | None, unit: Unit) -> None:
    if category is not None and category.unit_id != unit.pk:
        raise ValidationError({"category": _("Choose one of the issuing unit's own categories.")})


@transaction.atomic
def rule_register(
    *,
    actor: User | None,
    issuing_unit: Unit,
    title: str,
    kind: str,
    scope: str,
    category: RuleCategory | None,
    document_number: str,
    adopted_on: dt.date,
    effective_on: dt.date,
    expires_on: dt.date | None = None,
    text: str = "",
    upload=None,
    at: dt.datetime | None = None,
) -> Rule:
    """A rule the unit already has, in force as it stands (version 1): the registry starts from
    the rules a unit keeps; what changes later goes through a plan's actions."""
    access.require_keeper(actor, issuing_unit)
    _check_category(category, issuing_unit)
    if effective_on < adopted_on:
        raise ValidationError({"effective_on": _("A rule takes effect on or after the day it is adopted.")})
    now, _today = moment(at)
    rule = Rule(
        issuing_unit=issuing_unit, category=category, title=title.strip(), kind=kind, scope=scope,
        status=RuleStatus.IN_FORCE, created_at=now,
    )  # fmt: skip
    version = _version(
        rule, number=1, title=rule.title, document_number=document_number, adopted_on=adopted_on,
        effective_on=effective_on, expires_on=expires_on, text=text, upload=upload, changes="", reason="",
        action=None, actor=actor, at=now,
    )  # fmt: skip
    rule.full_clean()
    save_with_history(rule, actor=actor, reason="rules.rule.registered")
    version.rule = rule
    version.save()
    return rule


def _version(rule: Rule, *, number, title, document_number, adopted_on, effective_on, expires_on, text, upload,
             changes, reason, action, actor, at) -> RuleVersion:  # fmt: skip
    """A checked, unsaved version, and the rule's fields set from it."""
    document = read_document(upload) if upload is not None else None
    text = (text or "").strip() or (document.text if document else "")
    version = RuleVersion(
        rule=rule if rule.pk else None, number=number, title=title, document_number=document_number.strip(),
        adopted_on=adopted_on, effective_on=effective_on,
        expires_on=expires_on or _lapses_on(rule.kind, effective_on), changes=changes, reason=reason, text=text,
        file_name=document.name if document else "", action=action, created_by=_user(actor), created_at=at,
    )  # fmt: skip
    if document is not None:
        version.file.save(document.name, document.content, save=False)
    version.full_clean(exclude=["rule", "action"])
    rule.version, rule.title, rule.document_number = number, title, version.document_number
    rule.adopted_on, rule.effective_on, rule.expires_on = adopted_on, effective_on, version.expires_on
    rule.review_due_on = review_due(effective_on, version.expires_on)
    rule.text = text
    return version


#
# Plans and their actions
#


def plan_create(*, actor: User | None, unit: Unit, ledger: Ledger, year: int, title: str, scheme: str) -> RulePlan:
    """A unit's rule-building plan for a year, its actions to be items in `ledger` (a rule-revision
    ledger the supervising office keeps)."""
    access.require_keeper(actor, unit)
    if ledger.kind != LedgerKind.RULES:
        raise ValidationError({"ledger": _("Choose a rule-revision ledger.")})
    if ledger.year != year:
        raise ValidationError({"ledger": _("The ledger is for %(year)s.") % {"year": ledger.year}})
    plan = RulePlan(unit=unit, ledger=ledger, year=year, title=title.strip(), scheme=scheme, created_by=_user(actor))
    plan.full_clean()
    save_with_history(plan, actor=actor, reason="rules.plan.created")
    return plan


@transaction.atomic
def action_add(
    *,
    actor: User | None,
    plan: RulePlan,
    kind: str,
    deadline: dt.date,
    summary: str,
    rule: Rule | None = None,
    title: str = "",
    rule_kind: str = "",
    scope: str = "",
    category: RuleCategory | None = None,
    causes=(),
    at: dt.datetime | None = None,
) -> RuleAction:
    """An action of the plan, with its ledger item (a draft the office assigns). Making a rule
    registers it at once as being drafted; supplementing or amending one marks it as being
    revised. `causes`: the records that made the action necessary (以审促建, 以案促改)."""
    access.require_keeper(actor, plan.unit)
    now, today = moment(at)
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline is already past.")})
    if kind == ActionKind.MAKE:
        if rule is not None:
            raise ValidationError({"rule": _("A new rule is made, not chosen.")})
        if not title.strip() or not rule_kind:
            raise ValidationError({"title": _("Give the new rule's title and kind.")})
        _check_category(category, plan.unit)
        rule = Rule(issuing_unit=plan.unit, category=category, title=title.strip(), kind=rule_kind,
                    scope=scope or "internal", status=RuleStatus.DRAFTING, created_at=now)  # fmt: skip
        rule.full_clean()
        save_with_history(rule, actor=actor, reason="rules.rule.drafting")
    else:
        if rule is None:
            raise ValidationError({"rule": _("Choose the rule to change.")})
        rule = Rule.objects.select_for_update().get(pk=rule.pk)
        if rule.issuing_unit_id != plan.unit_id:
            raise ValidationError({"rule": _("A plan changes only its own unit's rules.")})
        if rule.status not in CHANGEABLE_STATUSES:
            raise ValidationError(
                {"rule": _("A rule that is “%(status)s” cannot be changed.") % {"status": rule.get_status_display()}}
            )
        if RuleAction.objects.filter(rule=rule, stage__in=OPEN_STAGES | {ActionStage.PUBLISHED}).exists():
            raise ValidationError({"rule": _("Another action on this rule is still open.")})
        if kind != ActionKind.REPEAL:
            rule.status = RuleStatus.REVISING
            save_with_history(rule, actor=actor, reason="rules.rule.revising")
    action = RuleAction(
        plan=plan, kind=kind, rule=rule, title=(title.strip() or rule.title), deadline=deadline,
        summary=summary.strip(), created_by=_user(actor), created_at=now,
    )  # fmt: skip
    action.full_clean()
    save_with_history(action, actor=actor, reason="rules.action.added")
    for cause in causes:
        cause_link(actor=actor, action=action, cause=cause)
    word = ACTION_WORDS[plan.scheme][kind]
    items_register(
        actor=actor,
        ledger=plan.ledger,
        specs=[{"title": f"{word}：{action.title}"[:200], "lead_unit": plan.unit, "deadline": deadline,
                "content": action.summary, "category": str(action.get_kind_display()), "subject": action}],
        at=now,
        owner_rule=True,
    )  # fmt: skip
    return action


def cause_link(*, actor: User | None, action: RuleAction, cause) -> ActionCause:
    """Record that `cause` (any other context's record) made the action necessary."""
    access.require_keeper(actor, action.plan.unit)
    link, _created = ActionCause.objects.get_or_create(
        action=action,
        content_type=ContentType.objects.get_for_model(cause),
        object_id=cause.pk,
        defaults={"label": str(cause)[:250]},
    )
    return link


#
# The action's own stages
#


def _lock(action: RuleAction) -> RuleAction:
    return (
        RuleAction.objects.select_for_update(of=("self",))
        .select_related("plan__unit", "plan__ledger", "rule")
        .get(pk=action.pk)
    )


def _require_signed(action: RuleAction, actor, at) -> Item:
    """The action's item, signed for by the unit (and started, on its first step)."""
    item = action.item
    if item is None or item.state in {ItemState.DRAFT, ItemState.ASSIGNED}:
        raise ValidationError(_("The office has not assigned this action yet, or the unit has not signed for it."))
    if item.state in {ItemState.ACKNOWLEDGED, ItemState.RETURNED}:
        item = item_transition(actor=actor, item=item, action="start", at=at, owner_rule=True)
    return item


@transaction.atomic
def action_step(
    *,
    actor: User | None,
    action: RuleAction,
    code: str,
    reason: str = "",
    document_number: str = "",
    adopted_on: dt.date | None = None,
    effective_on: dt.date | None = None,
    text: str = "",
    upload=None,
    replaced_by: Rule | None = None,
    at: dt.datetime | None = None,
) -> RuleAction:
    """The unit's steps: to legality review, to collective deliberation (with the review's opinion
    when there was one), issue (the meeting that adopted it, the document number, dates and text)
    and publish, which submits the item for verification."""
    action = _lock(action)
    if code not in ("to_legal_review", "to_deliberation", "issue", "publish"):
        raise PermissionDenied(_("This step follows the action's ledger item."))
    move = ACTION_STEPS.check(
        action.stage,
        code,
        may=lambda _m: actor is None or access.keeps_rules_of(actor, action.plan.unit),
        refusal=_("Only the unit whose plan it is moves its rule actions."),
        reason=reason if code in ("issue",) else None,
    )
    needs_review = action.rule.kind in LEGAL_REVIEW_KINDS and action.kind != ActionKind.REPEAL
    if code == "to_legal_review" and not needs_review:
        raise ValidationError(_("A %(kind)s needs no legality review.") % {"kind": action.rule.get_kind_display()})
    if code == "to_deliberation":
        if needs_review and action.stage == ActionStage.DRAFTING:
            raise ValidationError(
                _("A %(kind)s passes legality review first.") % {"kind": action.rule.get_kind_display()}
            )
        if action.stage == ActionStage.LEGAL_REVIEW:
            if not reason.strip():
                raise ValidationError({"reason": _("Record the legality review's opinion.")})
            action.review_opinion = reason.strip()
    item = _require_signed(action, actor, at)
    if code == "issue":
        action.deliberation = reason.strip()[:200]
        _issue(action, document_number, adopted_on, effective_on, text, upload, replaced_by)
    action.stage = move.target
    save_with_history(action, actor=actor, reason=move.event)
    if code == "publish":
        summary = _("Published: %(number)s") % {"number": action.document_number or action.title}
        item_transition(actor=actor, item=item, action="submit", reason=summary, at=at, owner_rule=True)
    notices.action_moved(action, code, actor)
    return action


def _issue(action, document_number, adopted_on, effective_on, text, upload, replaced_by) -> None:
    if adopted_on is None:
        raise ValidationError({"adopted_on": _("Give the day it was adopted.")})
    if not document_number.strip():
        raise ValidationError({"document_number": _("Give the document number.")})
    action.document_number, action.adopted_on = document_number.strip()[:60], adopted_on
    if action.kind == ActionKind.REPEAL:
        if replaced_by is not None and (replaced_by.pk == action.rule_id or replaced_by.status == RuleStatus.REPEALED):
            raise ValidationError({"replaced_by": _("A rule is replaced by another rule that stands.")})
        action.replaced_by = replaced_by
        action.effective_on = effective_on or adopted_on
        return
    if effective_on is None or effective_on < adopted_on:
        raise ValidationError({"effective_on": _("A rule takes effect on or after the day it is adopted.")})
    action.effective_on = effective_on
    document = read_document(upload) if upload is not None else None
    action.text = (text or "").strip() or (document.text if document else "")
    if not action.text:
        raise ValidationError({"text": _("Give the rule's text, or upload its document.")})
    if document is not None:
        action.file.save(document.name, document.content, save=False)
        action.file_name = document.name


#
# What the action's ledger item brings about (called by its owner)
#


def action_follow_item(action: RuleAction, *, actor: User | None, item_action: str, at) -> None:
    """The action's side of a step on its item: verified, it applies to the rule; returned, it is
    redrafted; cancelled, it is cancelled (a rule being made goes with it)."""
    action = _lock(action)
    code = {"accept": "apply", "return": "rework", "cancel": "cancel"}[item_action]
    move = ACTION_STEPS.check(action.stage, code)
    if code == "apply":
        _apply(action, actor, at)
    dropped = None
    if code == "cancel":
        rule = Rule.objects.select_for_update().get(pk=action.rule_id)
        if action.kind == ActionKind.MAKE:
            dropped, action.rule = rule, None  # never in force: the registry forgets it
        elif rule.status == RuleStatus.REVISING:
            rule.status = RuleStatus.IN_FORCE
            save_with_history(rule, actor=actor, reason="rules.rule.action_cancelled")
    action.stage = move.target
    save_with_history(action, actor=actor, reason=move.event)
    if dropped is not None:
        dropped._history_user, dropped._change_reason = _user(actor), "rules.rule.dropped"
        dropped.delete()


def _apply(action: RuleAction, actor, at) -> None:
    now, _today = moment(at)
    rule = Rule.objects.select_for_update().get(pk=action.rule_id)
    if action.kind == ActionKind.REPEAL:
        if rule.status not in CHANGEABLE_STATUSES:
            raise ValidationError(_("The rule is no longer in force."))
        rule.status, rule.repealed_on, rule.repealed_by = RuleStatus.REPEALED, action.effective_on, action.plan.unit
        rule.repeal_document, rule.replaced_by = action.document_number, action.replaced_by
        save_with_history(rule, actor=actor, reason="rules.rule.repealed")
        return
    if action.kind != ActionKind.MAKE and rule.status != RuleStatus.REVISING:
        raise ValidationError(_("A repealed or lapsed rule cannot be revised."))
    version = _version(
        rule, number=rule.version + 1, title=action.title, document_number=action.document_number,
        adopted_on=action.adopted_on, effective_on=action.effective_on, expires_on=None, text=action.text,
        upload=None, changes=action.summary if action.kind != ActionKind.MAKE else "",
        reason=action.summary, action=action, actor=actor, at=now,
    )  # fmt: skip
    if action.file:
        version.file, version.file_name = action.file.name, action.file_name
    version.rule = rule
    version.save()
    rule.status = RuleStatus.IN_FORCE
    save_with_history(rule, actor=actor, reason="rules.rule.version_added")


def rules_lapse(today: dt.date | None = None) -> int:
    """Rules in force whose term has run out lapse (the sweep)."""
    today = today or timezone.localdate()
    lapsed = 0
    for rule in Rule.objects.filter(status=RuleStatus.IN_FORCE, expires_on__lt=today):
        rule.status = RuleStatus.LAPSED
        save_with_history(rule, actor=None, reason="rules.rule.lapsed")
        lapsed += 1
    return lapsed
