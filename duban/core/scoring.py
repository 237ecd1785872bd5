"""Expert scoring on a weighted index, shared by every panel of the platform (a reform evaluation's
third-party panel, a research tender's or review's panel): the index checked, one expert's sheet
checked, weighted totals, the trimmed mean over experts and the ranking. Pure arithmetic apart from
the messages; the contexts keep their panels, members and recusal rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TWO_PLACES = Decimal("0.01")
TRIM_FROM = 5  # with at least this many scores, the highest and the lowest are dropped

CRITERIA_MESSAGES = {
    "empty": gettext_lazy("The index needs at least one criterion."),
    "names": gettext_lazy("Each criterion needs a name and its own code."),
    "weight": gettext_lazy("Each weight is a whole number above 0."),
    "sum": gettext_lazy("The weights add up to 100."),
}


def criteria_errors(criteria: Sequence[Mapping]) -> list[str]:
    """What is wrong with an index: empty, a weight not positive, repeated codes, or weights not
    summing to 100. Messages are returned as codes for the caller to word."""
    errors = []
    if not criteria:
        errors.append("empty")
    codes = [c.get("code") for c in criteria]
    if len(set(codes)) != len(codes) or not all(codes) or not all(c.get("name") for c in criteria):
        errors.append("names")
    weights = [c.get("weight") for c in criteria]
    if not all(isinstance(w, int | Decimal) and not isinstance(w, bool) and w > 0 for w in weights):
        errors.append("weight")
    elif sum(weights) != 100:
        errors.append("sum")
    return errors


def clean_criteria(criteria: Iterable[Mapping]) -> list[dict]:
    """The index as stored ({code, name, weight}), or a ValidationError on `criteria` saying what is wrong."""
    rows = []
    for criterion in criteria:
        try:
            weight = int(criterion.get("weight"))
        except (TypeError, ValueError):
            weight = 0
        rows.append(
            {"code": str(criterion.get("code", "")).strip(), "name": str(criterion.get("name", "")).strip(),
             "weight": weight}
        )  # fmt: skip
    errors = criteria_errors(rows)
    if errors:
        raise ValidationError({"criteria": [CRITERIA_MESSAGES[code] for code in errors]})
    return rows


def clean_sheet(criteria: Sequence[Mapping], scores: Mapping[str, object], max_score: Decimal) -> dict[str, Decimal]:
    """One expert's scores for one entry, every criterion between 0 and `max_score`; a ValidationError
    keyed by criterion code naming each wrong or missing one."""
    values, errors = {}, {}
    for criterion in criteria:
        raw = scores.get(criterion["code"])
        try:
            value = Decimal(str(raw)).quantize(TWO_PLACES)
            if not value.is_finite():
                raise ValueError
        except (InvalidOperation, ValueError):
            errors[criterion["code"]] = _("Give a score for %(name)s.") % {"name": criterion["name"]}
            continue
        if not 0 <= value <= max_score:
            errors[criterion["code"]] = _("%(name)s is scored from 0 to %(max)s.") % {
                "name": criterion["name"],
                "max": f"{max_score:f}".rstrip("0").rstrip("."),
            }  # fmt: skip
        values[criterion["code"]] = value
    if errors:
        raise ValidationError(errors)
    return values


def weighted_total(scores: Mapping[str, Decimal], criteria: Sequence[Mapping]) -> Decimal:
    """One expert's score for one candidate: Σ weight × score / 100, on the scores' own scale."""
    total = sum(Decimal(c["weight"]) * Decimal(scores[c["code"]]) for c in criteria) / 100
    return total.quantize(TWO_PLACES, ROUND_HALF_UP)


def trimmed_mean(values: Sequence[Decimal]) -> Decimal | None:
    """The mean after dropping the highest and the lowest value, when there are at least five."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) >= TRIM_FROM:
        ordered = ordered[1:-1]
    return (sum(ordered, Decimal(0)) / len(ordered)).quantize(TWO_PLACES, ROUND_HALF_UP)


def ranking(results: Mapping[int, Decimal | None]) -> list[tuple[int, int, Decimal]]:
    """(rank, key, score), best first; equal scores share a rank (1, 2, 2, 4); unscored keys last,
    unranked."""
    scored = sorted(((score, key) for key, score in results.items() if score is not None), key=lambda p: (-p[0], p[1]))
    ranked, previous, rank = [], None, 0
    for position, (score, key) in enumerate(scored, start=1):
        if score != previous:
            rank, previous = position, score
        ranked.append((rank, key, score))
    return ranked


def sheet_totals(
    rows: Iterable[tuple[int, int, str, Decimal]], criteria: Sequence[Mapping]
) -> dict[int, list[Decimal]]:
    """entry → the weighted totals of the experts who scored it on every criterion, from
    (expert, entry, criterion code, value) rows."""
    codes = {criterion["code"] for criterion in criteria}
    sheets: dict[tuple[int, int], dict[str, Decimal]] = {}
    for expert, entry, code, value in rows:
        sheets.setdefault((expert, entry), {})[code] = value
    totals: dict[int, list[Decimal]] = {}
    for (_expert, entry), sheet in sheets.items():
        if codes <= sheet.keys():
            totals.setdefault(entry, []).append(weighted_total(sheet, criteria))
    return totals
