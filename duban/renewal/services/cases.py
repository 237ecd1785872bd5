"""Administrative mediation (行政调解) of a renewal dispute, per 《罗湖区城市更新工作行政调解程序指引》:
started on a party's application or on the bureau's initiative, and accepted only when every party
has agreed to mediation; the acceptance notice fixes the period (working days, from the settings),
which the bureau head may extend as many times as the settings allow. The period is an item of the
year's mediation ledger, so its lights and the ladder push it like any other deadline. Sessions are
presided over by at least two mediators; the case ends with a signed agreement (调解协议书) or is
terminated with the parties told where to go next; a settled case is visited again (回访) before it
is archived. A case moves only through `case_step`; its item follows (`duban.renewal.subjects`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.numbering import next_value
from duban.core.uploads import check_scan
from duban.core.workdays import add_working_days, moment
from duban.ledger.choices import ItemState, LedgerKind
from duban.ledger.models import Item, Ledger
from duban.ledger.services import (
    extension_decide,
    extension_request,
    item_transition,
    items_register,
    ledger_of_year,
)
from duban.orgs.models import Person, User
from duban.renewal import access, notices
from duban.renewal.choices import (
    CASE_MOVES,
    RESIDENT_SIDES,
    BureauRole,
    CaseOrigin,
    CaseState,
    ClaimType,
    EndReason,
    PartySide,
    Performance,
    ProjectKind,
    Referral,
)
from duban.renewal.models import (
    BureauPost,
    FollowUp,
    MediationCase,
    Party,
    Project,
    RenewalSettings,
    Session,
    SessionDocument,
)
from duban.renewal.services.events import event_write
from duban.renewal.services.projects import clean_phone


def bureau_unit():
    bureau = RenewalSettings.current().bureau
    if bureau is None:
        raise ValidationError(_("Set the urban-renewal bureau's unit in the urban-renewal settings first."))
    return bureau


def mediation_ledger(year: int) -> Ledger:
    """The year's ledger of mediation periods (行政调解期限台账), opened by the bureau when first needed."""
    return ledger_of_year(kind=LedgerKind.RENEWAL, year=year, owner_unit=bureau_unit(),
                          name=f"{year}年城市更新行政调解期限台账", number_prefix="罗调期")  # fmt: skip


def item_of(case: MediationCase) -> Item | None:
    return Item.objects.for_subject(case).order_by("-pk").first()


def mediators_pool():
    """Who may mediate: the bureau's mediators and case officers."""
    ids = BureauPost.objects.filter(role__in=[BureauRole.MEDIATOR, BureauRole.OFFICER]).values("person_id")
    return Person.objects.active().filter(pk__in=ids).order_by("name")


def _check_mediators(mediators, field: str = "mediators") -> list[Person]:
    chosen = list({p.pk: p for p in mediators or []}.values())
    if len(chosen) < 2:
        raise ValidationError({field: _("At least two mediators preside.")})
    if mediators_pool().filter(pk__in=[p.pk for p in chosen]).count() != len(chosen):
        raise ValidationError({field: _("Choose mediators from the bureau's mediators and case officers.")})
    return chosen


def _parties(project: Project, parties: list[dict]) -> list[Party]:
    rows, errors = [], []
    for line, spec in enumerate(parties, start=1):
        side, name = spec.get("side"), (spec.get("name") or "").strip()
        household = spec.get("household")
        if household is not None and household.project_id != project.pk:
            errors.append(_("Party %(n)s: the household is not of this project.") % {"n": line})
            continue
        if not name and household is not None:
            name = household.name
        if side not in PartySide.values or not name:
            errors.append(_("Party %(n)s: give the side and the name.") % {"n": line})
            continue
        try:
            phone = clean_phone(spec.get("phone") or (household.phone if household else ""), field="parties")
        except ValidationError as error:
            errors += error.message_dict["parties"]
            continue
        rows.append(Party(side=side, name=name[:120], household=household, phone=phone,
                          consented_on=spec.get("consented_on")))  # fmt: skip
    if errors:
        raise ValidationError({"parties": errors})
    sides = {p.side for p in rows}
    if PartySide.DEVELOPER not in sides or not sides & RESIDENT_SIDES:
        raise ValidationError({"parties": _("A mediation is between both sides: name the developer and at least "
                                            "one owner or tenant.")})  # fmt: skip
    return rows


@transaction.atomic
def case_apply(*, actor: User | None, project: Project, origin: str, claim_type: str, claim: str,
               parties: list[dict], at=None) -> MediationCase:  # fmt: skip
    """Register an application (or the bureau's own initiative) with its parties; those who agreed to
    mediation have the date they did."""
    at, today = moment(at)
    access.require_officer(actor)
    if origin not in CaseOrigin.values:
        raise ValidationError({"origin": _("Say how the mediation started.")})
    if claim_type not in ClaimType.values:
        raise ValidationError({"claim_type": _("Choose the claim type.")})
    if not (claim or "").strip():
        raise ValidationError({"claim": _("State the claim.")})
    rows = _parties(project, parties)
    if any(p.consented_on and p.consented_on != today for p in rows):  # the application is registered today
        raise ValidationError({"parties": _("The date lies between the application and today.")})
    year = timezone.localtime(at).year
    case = MediationCase.objects.create(
        number=f"罗更调〔{year}〕{next_value(f'renewal.case.{year}')}号", project=project, stage=project.stage,
        origin=origin, claim_type=claim_type, claim=claim.strip()[:2000], applied_at=at, created_at=at,
        names="\n".join([project.name, *(f"{party.name} {party.household.label}" if party.household else party.name
                                          for party in rows)]),  # fmt: skip
    )  # fmt: skip
    for party in rows:
        party.case = case
        party.created_at = at
    Party.objects.bulk_create(rows)
    event_write(project, actor, "renewal.case.applied", at, case=case, after=case.state,
                parties=len(rows), origin=origin)  # fmt: skip
    notices.case_moved(case, "applied", actor)
    return case


def _locked(case: MediationCase) -> MediationCase:
    return MediationCase.objects.select_for_update(of=("self",)).select_related("project").get(pk=case.pk)


@transaction.atomic
def party_consent(*, actor: User | None, party: Party, consented_on: dt.date, at=None) -> Party:
    """A party's agreement to mediation (同意调解), dated; only while the case awaits acceptance."""
    at, today = moment(at)
    access.require_officer(actor)
    case = _locked(party.case)
    if case.state != CaseState.APPLIED:
        raise ValidationError(_("Consent is recorded before the case is accepted."))
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.consented_on is not None:
        raise ValidationError(_("This party has already agreed."))
    if consented_on > today or consented_on < timezone.localtime(case.applied_at).date():
        raise ValidationError({"consented_on": _("The date lies between the application and today.")})
    party.consented_on = consented_on
    party.save(update_fields=["consented_on", "updated_at"])
    event_write(case.project, actor, "renewal.case.consented", at, case=case, party=party.name)
    return party


def may_case_step(actor, case: MediationCase, move) -> bool:
    if actor is None:
        return True
    return access.holds(actor, move.actor)


@transaction.atomic
def case_step(
    *, actor: User | None, case: MediationCase, code: str, reason: str = "", at=None, **data
) -> MediationCase:
    """The one way a case changes state; its mediation-period item follows. A refused step changes
    nothing."""
    at, today = moment(at)
    case = _locked(case)
    step = CASE_MOVES.check(
        case.state, code, may=lambda m: may_case_step(actor, case, m),
        refusal=lambda m: _("Only the bureau head extends a mediation period.") if m.actor == "head"
        else _("Only the bureau's case officers do this."),
        reason=reason,
    )  # fmt: skip
    before = case.state
    extra = _CASE_APPLY[code](case, actor=actor, at=at, today=today, reason=reason.strip(), **data) or {}
    case.state = step.target_from(before)
    case.save()
    event_write(case.project, actor, step.event, at, case=case, before=before, after=case.state,
                reason=reason.strip(), **extra)  # fmt: skip
    notices.case_moved(case, code, actor)
    return case


def _accept(case: MediationCase, *, actor, at, today, mediators=None, **_kw) -> dict:
    """受理: every party agreed; the notice fixes the period from today; the period is an item."""
    parties = list(case.parties.all())
    waiting = [p.name for p in parties if p.consented_on is None]
    if waiting:
        raise ValidationError(_("Mediation needs both sides' agreement: %(names)s have not agreed.")
                              % {"names": "、".join(waiting)})  # fmt: skip
    chosen = _check_mediators(mediators)
    settings = RenewalSettings.current()
    case.officer = actor if getattr(actor, "is_authenticated", False) else None
    case.accepted_on = today
    case.ends_on = add_working_days(today, settings.mediation_working_days)
    case.save()
    case.mediators.set(chosen)
    spec = {
        "title": f"行政调解：{case.project.name}（{case.number}）", "lead_unit": bureau_unit(),
        "deadline": case.ends_on, "subject": case, "external_id": f"renewal.case.{case.pk}",
        "category": _("Administrative mediation"),
        "content": _("Mediate the dispute over %(claim)s in %(project)s within %(days)s working days.") % {
            "claim": case.get_claim_type_display(), "project": case.project.name,
            "days": settings.mediation_working_days},
    }  # fmt: skip
    ledger = mediation_ledger(timezone.localtime(at).year)
    for item in items_register(actor=actor, ledger=ledger, specs=[spec], at=at, owner_rule=True):
        item = item_transition(actor=actor, item=item, action="assign", at=at, owner_rule=True)
        # the bureau accepting the case is the bureau signing for its period
        item_transition(actor=actor, item=item, action="acknowledge", at=at, owner_rule=True)
    return {"ends_on": case.ends_on.isoformat()}


def _decline(case: MediationCase, *, at, today, **_kw) -> None:
    case.ended_on = today


def _extend(case: MediationCase, *, actor, at, today, reason, **_kw) -> dict:
    """延期: the head's approval adds the settings' working days, as often as the settings allow."""
    settings = RenewalSettings.current()
    if case.extensions >= settings.extensions_allowed:
        raise ValidationError(_("The mediation period may be extended %(n)s time(s); it has been.")
                              % {"n": settings.extensions_allowed})  # fmt: skip
    if today > case.ends_on:
        raise ValidationError(_("The mediation period has already run out; end the mediation instead."))
    before = case.ends_on
    case.ends_on = add_working_days(case.ends_on, settings.extension_working_days)
    case.extensions += 1
    item = item_of(case)
    if item is not None and item.state not in (ItemState.CLOSED, ItemState.CANCELLED, ItemState.CARRIED_OVER):
        request = extension_request(actor=actor, item=item, new_deadline=case.ends_on, reason=f"调解延期：{reason}",
                                    at=at, owner_rule=True)  # fmt: skip
        extension_decide(actor=actor, request=request, approve=True, note=_("Extension approved by the bureau head."),
                         at=at, owner_rule=True)  # fmt: skip
    return {"from": before.isoformat(), "to": case.ends_on.isoformat()}


def _item_done(case: MediationCase, *, actor, at, reason: str) -> None:
    item = item_of(case)
    if item is None or item.state in (ItemState.CLOSED, ItemState.CANCELLED):
        return
    for action in ("acknowledge", "start", "submit", "accept", "close"):
        if action == "acknowledge" and item.state != ItemState.ASSIGNED:
            continue
        if action == "start" and item.state not in (ItemState.ACKNOWLEDGED, ItemState.RETURNED):
            continue
        if action == "submit" and item.state == ItemState.DONE:
            continue
        if action == "accept" and item.state != ItemState.SUBMITTED:
            continue
        item = item_transition(actor=actor, item=item, action=action, reason=reason, at=at, owner_rule=True)


def _settle(case: MediationCase, *, actor, at, today, signed=None, **_kw) -> dict:
    """调解成功: the agreement drafted and signed by every party; it binds from the last signature."""
    if not case.facts.strip() or not case.terms.strip():
        raise ValidationError(_("Draft the agreement (the facts and the terms) first."))
    signed = signed or {}
    parties = list(case.parties.all())
    missing = [p.name for p in parties if not signed.get(p.pk)]
    if missing:
        raise ValidationError({"signed": _("Every party signs the agreement: %(names)s have not.")
                               % {"names": "、".join(missing)}})  # fmt: skip
    for party in parties:
        on = signed[party.pk]
        if on > today or on < case.accepted_on:
            raise ValidationError({"signed": _("A signing date lies between the acceptance and today.")})
        party.signed_on = on
        party.save(update_fields=["signed_on", "updated_at"])
    year = timezone.localtime(at).year
    case.agreement_number = f"罗更调协〔{year}〕{next_value(f'renewal.agreement.{year}')}号"
    case.ended_on = max(p.signed_on for p in parties)
    _item_done(case, actor=actor, at=at, reason=_("Settled by agreement %(number)s.") % {
        "number": case.agreement_number})  # fmt: skip
    return {"agreement": case.agreement_number}


def referrals_open(case: MediationCase) -> list[str]:
    """Where the parties may go next: review, arbitration or court; and, for an old residential estate
    past the consent threshold, expropriation by the district government."""
    found = [Referral.REVIEW, Referral.ARBITRATION, Referral.LITIGATION]
    project = case.project
    percent = project.consent_percent()
    if project.kind == ProjectKind.OLD_ESTATE and percent is not None:
        if percent >= RenewalSettings.current().consent_threshold:
            found.append(Referral.EXPROPRIATION)
    return found


def _terminate(case: MediationCase, *, actor, at, today, reason, end_reason="", referral="", **_kw) -> dict:
    if end_reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Say why the mediation ends.")})
    if end_reason == EndReason.TIME_OUT and today <= case.ends_on:
        raise ValidationError({"end_reason": _("The mediation period runs until %(date)s: it has not run out yet.")
                               % {"date": case.ends_on.isoformat()}})  # fmt: skip
    if referral not in referrals_open(case):
        raise ValidationError({"referral": _("Choose where the parties may go next.")})
    case.end_reason, case.referral, case.ended_on = end_reason, referral, today
    _item_done(case, actor=actor, at=at, reason=reason)
    return {"end_reason": end_reason, "referral": referral}


def _archive(case: MediationCase, *, at, **_kw) -> None:
    """立卷归档: a settled case is archived after its follow-up visit."""
    if case.state == CaseState.SETTLED and not case.followups.exists():
        raise ValidationError(_("Visit the parties on the agreement's performance before archiving."))
    case.archived_at = at


_CASE_APPLY = {"accept": _accept, "decline": _decline, "extend": _extend, "settle": _settle,
               "terminate": _terminate, "archive": _archive}  # fmt: skip


@transaction.atomic
def session_record(*, actor: User | None, case: MediationCase, held_on: dt.date, place: str, mediators,
                   attendees: str, minutes: str, uploads=(), at=None) -> Session:  # fmt: skip
    """组织调解: a session in the period, with at least two mediators and its minutes; the first one
    starts the work on the item."""
    at, today = moment(at)
    access.require_officer(actor)
    case = _locked(case)
    if case.state != CaseState.MEDIATING:
        raise ValidationError(_("Sessions are held while the case is in mediation."))
    if held_on > today or held_on < case.accepted_on:
        raise ValidationError({"held_on": _("A session is held between the acceptance and today.")})
    chosen = _check_mediators(mediators)
    if not (place or "").strip() or not (minutes or "").strip() or not (attendees or "").strip():
        raise ValidationError(_("Give the place, the attendees and the minutes."))
    sizes = [check_scan(upload, field="files") for upload in uploads]
    session = Session.objects.create(case=case, held_on=held_on, place=place.strip()[:120],
                                     attendees=attendees.strip()[:500], minutes=minutes.strip(), recorded_by=actor,
                                     created_at=at)  # fmt: skip
    session.mediators.set(chosen)
    for upload, size in zip(uploads, sizes, strict=True):
        SessionDocument.objects.create(session=session, file=upload, name=Path(upload.name).name[:200], size=size,
                                       created_at=at)  # fmt: skip
    item = item_of(case)
    if item is not None:
        for action, state in (("acknowledge", ItemState.ASSIGNED), ("start", ItemState.ACKNOWLEDGED)):
            if item.state == state:
                item = item_transition(actor=actor, item=item, action=action, at=at, owner_rule=True)
    event_write(case.project, actor, "renewal.case.session", at, case=case, held_on=held_on.isoformat(),
                place=session.place)  # fmt: skip
    return session


@transaction.atomic
def agreement_draft(*, actor: User | None, case: MediationCase, facts: str, terms: str, at=None) -> MediationCase:
    """The agreement's facts and terms, drafted (and redrafted) during the mediation for the parties
    to sign."""
    at, _today = moment(at)
    access.require_officer(actor)
    case = _locked(case)
    if case.state != CaseState.MEDIATING:
        raise ValidationError(_("The agreement is drafted while the case is in mediation."))
    if not (facts or "").strip() or not (terms or "").strip():
        raise ValidationError(_("Give the facts and the terms agreed."))
    case.facts, case.terms = facts.strip()[:4000], terms.strip()[:4000]
    case.save(update_fields=["facts", "terms", "updated_at"])
    event_write(case.project, actor, "renewal.case.agreement", at, case=case)
    return case


@transaction.atomic
def followup_record(*, actor: User | None, case: MediationCase, visited_on: dt.date, performance: str, notes: str = "",
                    at=None) -> FollowUp:  # fmt: skip
    """回访 on a settled case: how the agreement is being performed."""
    at, today = moment(at)
    access.require_officer(actor)
    case = _locked(case)
    if case.state != CaseState.SETTLED:
        raise ValidationError(_("Follow-up visits are made on settled cases before they are archived."))
    if visited_on > today or visited_on < case.ended_on:
        raise ValidationError({"visited_on": _("The visit lies between the agreement and today.")})
    if performance not in Performance.values:
        raise ValidationError({"performance": _("Say how the agreement is being performed.")})
    visit = FollowUp.objects.create(case=case, visited_on=visited_on, performance=performance,
                                    notes=(notes or "").strip()[:2000], visited_by=actor, created_at=at)  # fmt: skip
    event_write(case.project, actor, "renewal.case.followup", at, case=case, performance=performance)
    return visit
