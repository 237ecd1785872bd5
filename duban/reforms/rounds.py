"""Evaluation use-cases: 群众评 (residents rate key reforms), 大家评 (everyone votes on
micro-reforms) and 第三方评估 (expert panels score on a weighted index)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core import scoring
from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.orgs import access as org_access
from duban.orgs.choices import AccountType, UnitKind
from duban.orgs.models import Unit, User
from duban.reforms import evaluation
from duban.reforms.access import check_manager
from duban.reforms.choices import PANEL_MOVES, PanelState, ReformLevel, Satisfaction
from duban.reforms.models import (
    ExpertPanel,
    PanelMember,
    Rating,
    RatingRound,
    Reform,
    Score,
    Vote,
    VoteRound,
)


def _require_open(round_, today: dt.date) -> None:
    if not round_.is_open(today):
        raise ValidationError(_("This round is closed."))


def require_verified(actor) -> None:
    """Residents with a verified phone or email, and officials, take part; nobody else."""
    if getattr(actor, "is_verified_resident", False) or org_access.is_official(actor):
        return
    raise PermissionDenied(_("Rating and voting need a verified account."))


#
# 群众评
#


@transaction.atomic
def rating_round_create(*, actor: User | None, reforms: list[Reform], **fields) -> RatingRound:
    check_manager(actor)
    if not reforms:
        raise ValidationError({"reforms": _("Choose the reforms to rate.")})
    if any(reform.level != ReformLevel.KEY for reform in reforms):
        raise ValidationError({"reforms": _("Residents rate district key reforms.")})
    round_ = RatingRound(**fields)
    round_.full_clean()
    round_.save()
    round_.reforms.set(reforms)
    return round_


def rating_submit(
    *, actor: User, round_: RatingRound, reform: Reform, level: str, street: Unit | None = None, at=None
) -> Rating:
    """One rating per verified resident per reform and round; a second is refused."""
    if getattr(actor, "account_type", None) != AccountType.RESIDENT or not actor.is_verified_resident:
        raise PermissionDenied(_("Key reforms are rated by residents with a verified phone or email."))
    at, today = moment(at)
    _require_open(round_, today)
    if not round_.reforms.filter(pk=reform.pk).exists():
        raise ValidationError(_("This reform is not rated in this round."))
    if level not in Satisfaction.values:
        raise ValidationError({"level": _("Choose one of the answers.")})
    if street is not None and street.kind != UnitKind.STREET:
        raise ValidationError({"street": _("Choose a street.")})
    rating = Rating(round=round_, reform=reform, user=actor, level=level, street=street, created_at=at)
    try:
        with transaction.atomic():
            rating.validate_constraints()
            rating.save()
    except IntegrityError:  # a second request raced past the check
        raise ValidationError(_("You have already rated this reform in this round.")) from None
    return rating


@dataclass
class RatingResult:
    reform: Reform
    counts: dict[str, int]
    rate: Decimal | None
    valid: int
    by_street: list[tuple[str, Decimal | None, int]] = field(default_factory=list)


def rating_results(round_: RatingRound) -> list[RatingResult]:
    """Per reform: answers per level, 满意率 and the number of valid answers; and the same per street."""
    ratings = list(round_.ratings.select_related("street").values_list("reform_id", "level", "street__name"))
    results = []
    for reform in round_.reforms.order_by("id"):
        levels = [level for reform_id, level, _street in ratings if reform_id == reform.pk]
        streets: dict[str, list[str]] = {}
        for reform_id, level, street in ratings:
            if reform_id == reform.pk and street:
                streets.setdefault(street, []).append(level)
        results.append(
            RatingResult(
                reform=reform,
                counts={level: levels.count(level) for level in Satisfaction.values},
                rate=evaluation.satisfaction_rate(levels),
                valid=sum(1 for level in levels if level != Satisfaction.UNKNOWN),
                by_street=[
                    (name, evaluation.satisfaction_rate(answers), len(answers))
                    for name, answers in sorted(streets.items())
                ],
            )
        )
    return results


#
# 大家评
#


@transaction.atomic
def vote_round_create(*, actor: User | None, candidates: list[Reform], **fields) -> VoteRound:
    check_manager(actor)
    if not candidates:
        raise ValidationError({"candidates": _("Choose the candidates.")})
    if any(reform.level != ReformLevel.MICRO for reform in candidates):
        raise ValidationError({"candidates": _("Everyone votes on micro-reforms.")})
    round_ = VoteRound(**fields)
    round_.full_clean()
    round_.save()
    round_.candidates.set(candidates)
    return round_


@transaction.atomic
def vote_cast(*, actor: User, round_: VoteRound, reform: Reform, at=None) -> Vote:
    """One vote per verified person per candidate, at most `votes_per_person` in the round."""
    require_verified(actor)
    at, today = moment(at)
    round_ = VoteRound.objects.select_for_update().get(pk=round_.pk)  # the per-person limit holds under races
    _require_open(round_, today)
    if not round_.candidates.filter(pk=reform.pk).exists():
        raise ValidationError(_("This project is not a candidate in this round."))
    mine = round_.votes.filter(user=actor)
    if mine.filter(reform=reform).exists():
        raise ValidationError(_("You have already voted for this project."))
    if mine.count() >= round_.votes_per_person:
        raise ValidationError(
            _("Each person has %(n)s votes in this round, and yours are used.") % {"n": round_.votes_per_person}
        )
    return Vote.objects.create(round=round_, reform=reform, user=actor, created_at=at)


def vote_results(round_: VoteRound) -> list[tuple[int, Reform, int]]:
    """(rank, candidate, votes), most votes first; equal counts share a rank."""
    candidates = {reform.pk: reform for reform in round_.candidates.all()}
    counts = {pk: Decimal(0) for pk in candidates}
    for reform_id in round_.votes.values_list("reform_id", flat=True):
        counts[reform_id] += 1
    return [(rank, candidates[pk], int(votes)) for rank, pk, votes in evaluation.ranking(counts)]


#
# 第三方评估
#


@transaction.atomic
def panel_create(
    *, actor: User | None, candidates: list[Reform], criteria: list[dict] | None = None, **fields
) -> ExpertPanel:
    check_manager(actor)
    if not candidates:
        raise ValidationError({"candidates": _("Choose the candidates.")})
    panel = ExpertPanel(**fields)
    if criteria is not None:
        panel.criteria = scoring.clean_criteria(criteria)
    panel.full_clean()
    panel.save()
    panel.candidates.set(candidates)
    return panel


@transaction.atomic
def panel_set_criteria(*, actor: User | None, panel: ExpertPanel, criteria: list[dict]) -> ExpertPanel:
    """Change the index while nobody has scored yet."""
    check_manager(actor)
    panel = ExpertPanel.objects.select_for_update().get(pk=panel.pk)
    if Score.objects.filter(member__panel=panel).exists():
        raise ValidationError(_("Experts have started scoring; the index no longer changes."))
    panel.criteria = scoring.clean_criteria(criteria)
    panel.save(update_fields=["criteria", "updated_at"])
    return panel


def _unit_of(user: User) -> Unit | None:
    roots = org_access.scope_roots(user)
    return roots[0] if roots else None


@transaction.atomic
def panel_add_member(*, actor: User | None, panel: ExpertPanel, user: User, affiliation: str) -> PanelMember:
    check_manager(actor)
    if not (user.is_expert or org_access.is_official(user)):
        raise ValidationError({"user": _("Panel members are experts from the pool or officials of evaluating bodies.")})
    if panel.members.filter(user=user).exists():
        raise ValidationError({"user": _("Already on the panel.")})
    if not affiliation.strip():
        raise ValidationError({"affiliation": _("Say which body the expert comes from.")})
    return PanelMember.objects.create(panel=panel, user=user, affiliation=affiliation.strip(), unit=_unit_of(user))


def conflicted(member: PanelMember, reform: Reform) -> bool:
    """An expert from the candidate's lead unit (or a unit within it) cannot score it."""
    return member.unit is not None and member.unit.is_within(reform.lead_unit)


@transaction.atomic
def score_submit(*, actor: User, panel: ExpertPanel, reform: Reform, scores: dict[str, object]) -> list[Score]:
    """An expert's scores for one candidate, every criterion between 0 and the panel's maximum.
    Revisable until the results are published; nothing is saved if one value is wrong."""
    panel = ExpertPanel.objects.select_for_update().get(pk=panel.pk)
    member = panel.members.filter(user=actor).select_related("unit").first()
    if member is None:
        raise PermissionDenied(_("Only the panel's experts score."))
    if panel.state != PanelState.SCORING:
        raise ValidationError(_("The results are published; scores no longer change."))
    if not panel.candidates.filter(pk=reform.pk).exists():
        raise ValidationError(_("This project is not a candidate of the panel."))
    if conflicted(member, reform):
        raise ValidationError(_("You work at the unit that leads this project, so you do not score it."))
    values = scoring.clean_sheet(panel.criteria, scores, panel.max_score)
    saved = []
    for code, value in values.items():
        score, _created = Score.objects.update_or_create(
            member=member, reform=reform, criterion=code, defaults={"value": value}
        )
        saved.append(score)
    return saved


@dataclass
class PanelResult:
    rank: int | None
    reform: Reform
    score: Decimal | None
    experts: int
    excellent: bool


def panel_results(panel: ExpertPanel) -> list[PanelResult]:
    """Each candidate's trimmed mean over the experts who scored every criterion, ranked; the top
    `excellent_count` are the year's excellent projects."""
    rows = Score.objects.filter(member__panel=panel).values_list("member_id", "reform_id", "criterion", "value")
    totals = scoring.sheet_totals(rows, panel.criteria)
    candidates = {reform.pk: reform for reform in panel.candidates.select_related("lead_unit")}
    means = {pk: scoring.trimmed_mean(totals.get(pk, [])) for pk in candidates}
    ranked = scoring.ranking(means)
    results = [
        PanelResult(rank, candidates[pk], score, len(totals[pk]), rank <= panel.excellent_count)
        for rank, pk, score in ranked
    ]
    unscored = [pk for pk, score in means.items() if score is None]
    return results + [PanelResult(None, candidates[pk], None, 0, False) for pk in sorted(unscored)]


@transaction.atomic
def panel_publish(*, actor: User | None, panel: ExpertPanel, at=None) -> ExpertPanel:
    check_manager(actor)
    panel = ExpertPanel.objects.select_for_update().get(pk=panel.pk)
    PANEL_MOVES.check_target(panel.state, PanelState.PUBLISHED)
    if not any(result.score is not None for result in panel_results(panel)):
        raise ValidationError(_("No candidate has been scored yet."))
    panel.state = PanelState.PUBLISHED
    panel.published_at = at or timezone.now()
    save_with_history(panel, actor=actor, reason="reforms.panel.published")
    return panel
