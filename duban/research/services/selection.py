"""遴选 and the expert panels: how a project is awarded, applicants' bids, panels of experts from
the pool scoring bids or a review on a weighted index (`duban.core.scoring`: weights, trimmed mean,
ranking), recusal of an expert who works at the body scored, and the published result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import scoring
from duban.core.history import save_with_history
from duban.core.uploads import DOCUMENT_KINDS, check_file
from duban.core.workdays import moment
from duban.orgs import access as org_access
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit, User
from duban.research import access, notices
from duban.research.choices import (
    DEFAULT_REVIEW_CRITERIA,
    DEFAULT_SELECTION_CRITERIA,
    PROJECT_MOVES,
    BidState,
    PanelState,
    ProjectState,
    Selection,
    Stage,
    grade_of,
)
from duban.research.models import Bid, Panel, PanelMember, Project, Score
from duban.research.services.events import event_write

BID_MAX_BYTES = 20 * 1024 * 1024
BID_KINDS = {".pdf": DOCUMENT_KINDS[".pdf"], ".docx": b"PK\x03\x04"}


def _centre(actor) -> None:
    if actor is not None:
        access.require_centre(actor)


@transaction.atomic
def project_setup(*, actor: User | None, project: Project, selection: str, bids_until: dt.date | None = None,
                  invited: list[Unit] = ()) -> Project:  # fmt: skip
    """How the project is awarded: an open call or an invitation with a closing date, or a direct
    commission to one body."""
    _centre(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.state != ProjectState.SELECTING or project.bids.exclude(state=BidState.WITHDRAWN).exists():
        raise ValidationError(_("How a project is awarded is set before the first bid."))
    invited = list(invited)
    if any(unit.kind != UnitKind.EXTERNAL for unit in invited):
        raise ValidationError({"invited": _("Research is commissioned from bodies outside the district's offices.")})
    if selection == Selection.DIRECT and len(invited) != 1:
        raise ValidationError({"invited": _("A direct commission names one body.")})
    if selection == Selection.INVITATION and len(invited) < 2:
        raise ValidationError({"invited": _("Invite at least two bodies.")})
    if selection != Selection.DIRECT and bids_until is None:
        raise ValidationError({"bids_until": _("Give the closing date for bids.")})
    project.selection, project.bids_until = selection, bids_until
    save_with_history(project, actor=actor, reason="research.project.setup")
    project.invited.set(invited if selection != Selection.OPEN else [])
    event_write(project, actor, "research.project.setup", timezone.now(), selection=selection,
                invited=[unit.name for unit in invited])  # fmt: skip
    notices.project_set_up(project, actor)
    return project


@transaction.atomic
def bid_submit(*, actor: User, project: Project, applicant: Unit, price, lead_researcher: str, summary: str,
               upload, at=None) -> Bid:  # fmt: skip
    """An applicant's proposal, from someone who works at the body, before the closing date; open
    calls take any body, invitations the invited, a direct commission the one body named."""
    at, today = moment(at)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if applicant not in access.bodies_of(actor):
        raise PermissionDenied(_("You bid for the research body you work at."))
    if project.state != ProjectState.SELECTING:
        raise ValidationError(_("This project no longer takes bids."))
    if project.bids_until is not None and today > project.bids_until:
        raise ValidationError(_("Bids closed on %(date)s.") % {"date": project.bids_until.isoformat()})
    if project.selection != Selection.OPEN and not project.invited.filter(pk=applicant.pk).exists():
        raise PermissionDenied(_("This project takes bids from the bodies invited only."))
    price = Decimal(price)
    if price > project.budget_cap:
        raise ValidationError({"price": _("The price is over the project's budget cap of %(cap)s yuan.")
                               % {"cap": project.budget_cap}})  # fmt: skip
    check_file(upload, field="file", kinds=BID_KINDS, max_bytes=BID_MAX_BYTES,
               kinds_label=_("a Word (.docx) or PDF file"))  # fmt: skip
    bid = Bid(project=project, applicant=applicant, submitted_by=actor, price=price,
              lead_researcher=lead_researcher.strip(), summary=summary.strip(), file=upload,
              file_name=Path(upload.name).name[:200], created_at=at)  # fmt: skip
    bid.full_clean()
    try:
        with transaction.atomic():
            bid.save()
    except IntegrityError:
        raise ValidationError(_("Your body has already bid for this project.")) from None
    event_write(project, actor, "research.bid.submitted", at, applicant=applicant.name)
    return bid


@transaction.atomic
def bid_withdraw(*, actor: User, bid: Bid, at=None) -> Bid:
    at, _today = moment(at)
    bid = Bid.objects.select_for_update(of=("self",)).select_related("project").get(pk=bid.pk)
    if bid.applicant not in access.bodies_of(actor):
        raise PermissionDenied(_("Only the body that bid withdraws its bid."))
    if bid.state != BidState.SUBMITTED or bid.project.state != ProjectState.SELECTING:
        raise ValidationError(_("This bid can no longer be withdrawn."))
    bid.state = BidState.WITHDRAWN
    bid.save(update_fields=["state", "updated_at"])
    event_write(bid.project, actor, "research.bid.withdrawn", at, applicant=bid.applicant.name)
    return bid


def _expert_body(user: User) -> Unit | None:
    bodies = access.bodies_of(user)
    if bodies:
        return bodies[0]
    roots = org_access.scope_roots(user)
    return roots[0] if roots else None


@transaction.atomic
def panel_open(*, actor: User | None, project: Project, stage: str, experts: list[User],
               criteria: list[dict] | None = None, at=None) -> Panel:  # fmt: skip
    """A panel of experts from the pool for the bids (after the closing date) or for a review (once
    its deliverable is in). A final review failed once gets a second round after the revision."""
    at, today = moment(at)
    _centre(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not experts:
        raise ValidationError({"experts": _("Choose the experts.")})
    if any(not user.is_expert for user in experts):
        raise ValidationError({"experts": _("Panel members come from the expert pool.")})
    if stage == Stage.SELECTION:
        if project.state != ProjectState.SELECTING or project.selection == Selection.DIRECT:
            raise ValidationError(_("Bids are scored while a project is being awarded by a call or an invitation."))
        if project.bids_until is not None and today <= project.bids_until:
            raise ValidationError(_("Bids are scored after they close."))
    else:
        milestone = project.contract.milestones.filter(stage=stage).first() if hasattr(project, "contract") else None
        if milestone is None or milestone.delivered_at is None or milestone.accepted_at is not None:
            raise ValidationError(_("A review is held once its deliverable is in and not yet accepted."))
    previous = project.panels.filter(stage=stage).order_by("-round").first()
    if previous is not None and previous.state == PanelState.SCORING:
        raise ValidationError(_("This stage's panel is still scoring."))
    panel = Panel(project=project, stage=stage, round=previous.round + 1 if previous else 1, created_at=at,
                  criteria=scoring.clean_criteria(criteria) if criteria else
                  (DEFAULT_SELECTION_CRITERIA if stage == Stage.SELECTION else DEFAULT_REVIEW_CRITERIA))  # fmt: skip
    panel.full_clean()
    save_with_history(panel, actor=actor, reason="research.panel.opened")
    for user in dict.fromkeys(experts):
        PanelMember.objects.create(panel=panel, user=user, unit=_expert_body(user))
    event_write(project, actor, "research.panel.opened", at, stage=stage, round=panel.round)
    notices.panel_opened(panel, actor)
    return panel


def entries(panel: Panel) -> dict[int, Unit]:
    """What the panel scores: entry id → the body scored (for recusal)."""
    if panel.stage == Stage.SELECTION:
        bids = panel.project.bids.exclude(state=BidState.WITHDRAWN).select_related("applicant")
        return {bid.pk: bid.applicant for bid in bids}
    return {panel.project.pk: panel.project.contractor}


def conflicted(member: PanelMember, body: Unit | None) -> bool:
    """An expert who works at the body scored (or within it) does not score it."""
    return member.unit is not None and body is not None and member.unit.is_within(body)


@transaction.atomic
def score_submit(*, actor: User, panel: Panel, entry: int, scores: dict) -> list[Score]:
    """An expert's sheet for one entry; revisable until the panel publishes; nothing saved if one
    value is wrong; an expert from the body scored is refused."""
    panel = Panel.objects.select_for_update(of=("self",)).select_related("project__contractor").get(pk=panel.pk)
    member = panel.members.filter(user=actor).select_related("unit").first()
    if member is None:
        raise PermissionDenied(_("Only the panel's experts score."))
    if panel.state != PanelState.SCORING:
        raise ValidationError(_("The results are published; scores no longer change."))
    bodies = entries(panel)
    if entry not in bodies:
        raise ValidationError(_("This is not something the panel scores."))
    if conflicted(member, bodies[entry]):
        raise PermissionDenied(_("You work at the body being scored, so you do not score it."))
    values = scoring.clean_sheet(panel.criteria, scores, panel.max_score)
    return [
        Score.objects.update_or_create(member=member, entry=entry, criterion=code, defaults={"value": value})[0]
        for code, value in values.items()
    ]


def panel_results(panel: Panel) -> list[tuple[int | None, int, Decimal | None, int]]:
    """(rank, entry, trimmed mean, experts who scored it), best first; unscored entries last."""
    rows = Score.objects.filter(member__panel=panel).values_list("member_id", "entry", "criterion", "value")
    totals = scoring.sheet_totals(rows, panel.criteria)
    means = {entry: scoring.trimmed_mean(totals.get(entry, [])) for entry in entries(panel)}
    ranked = [(rank, entry, score, len(totals[entry])) for rank, entry, score in scoring.ranking(means)]
    return ranked + [(None, entry, None, 0) for entry, score in sorted(means.items()) if score is None]


@transaction.atomic
def panel_publish(*, actor: User | None, panel: Panel, at=None) -> Panel:
    """The panel's result, published: bids ranked (the centre then chooses), or a review's score
    and grade, which moves the milestone and the project (`contracts.review_outcome`)."""
    from duban.research.services.contracts import review_outcome

    at, _today = moment(at)
    _centre(actor)
    panel = Panel.objects.select_for_update(of=("self",)).select_related("project").get(pk=panel.pk)
    if panel.state != PanelState.SCORING:
        raise ValidationError(_("The results are already published."))
    results = panel_results(panel)
    if not results or results[0][2] is None:
        raise ValidationError(_("Nothing has been scored yet."))
    panel.state, panel.published_at = PanelState.PUBLISHED, at
    if panel.stage != Stage.SELECTION:
        panel.score = results[0][2]
        panel.grade = grade_of(panel.score)
    save_with_history(panel, actor=actor, reason="research.panel.published")
    event_write(panel.project, actor, "research.panel.published", at, stage=panel.stage, round=panel.round,
                score=str(panel.score) if panel.score is not None else "", grade=panel.grade)  # fmt: skip
    if panel.stage != Stage.SELECTION:
        review_outcome(panel, actor=actor, at=at)
    notices.review_published(panel, actor)
    return panel


@transaction.atomic
def project_choose(*, actor: User | None, project: Project, at=None) -> Project:
    """Publish who does it: the best-scored bid of the published selection panel, or the body
    directly commissioned."""
    at, _today = moment(at)
    _centre(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    step = PROJECT_MOVES.check(project.state, "choose")
    if project.selection == Selection.DIRECT:
        contractor = project.invited.first()
    else:
        panel = project.panels.filter(stage=Stage.SELECTION, state=PanelState.PUBLISHED).order_by("-round").first()
        if panel is None:
            raise ValidationError(_("Publish the panel's scores before choosing who does it."))
        best = panel_results(panel)[0]
        bid = Bid.objects.select_related("applicant").get(pk=best[1])
        contractor = bid.applicant
        project.bids.filter(state=BidState.SUBMITTED).exclude(pk=bid.pk).update(state=BidState.NOT_CHOSEN)
        Bid.objects.filter(pk=bid.pk).update(state=BidState.CHOSEN)
    before = project.state
    project.contractor, project.chosen_at, project.state = contractor, at, step.target
    save_with_history(project, actor=actor, reason=step.event)
    event_write(project, actor, step.event, at, before=before, after=project.state, contractor=contractor.name)
    notices.project_chosen(project, actor)
    return project
