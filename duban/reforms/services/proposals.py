"""The call for proposals (征求意见/问计于民): opening a call, proposals from residents,
departments and streets, and the office's public answers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.orgs import access as org_access
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User
from duban.reforms.access import check_manager
from duban.reforms.choices import PROPOSAL_MOVES, ProposalSource, ProposalState
from duban.reforms.models import Proposal, ProposalCall, Reform

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
