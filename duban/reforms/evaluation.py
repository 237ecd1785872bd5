"""The arithmetic of reform evaluation, as pure functions: satisfaction rates, weighted expert
scores, the trimmed mean and the ranking. Services and reports call these; tests check them exactly."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from duban.reforms.choices import SATISFIED_LEVELS, Satisfaction

TWO_PLACES = Decimal("0.01")
TRIM_FROM = 5  # with at least this many scores, the highest and the lowest are dropped


def satisfaction_rate(levels: Iterable[str]) -> Decimal | None:
    """满意率 = (满意 + 比较满意) / valid answers, "don't know" excluded; None without valid answers."""
    valid = [level for level in levels if level != Satisfaction.UNKNOWN]
    if not valid:
        return None
    satisfied = sum(1 for level in valid if level in SATISFIED_LEVELS)
    return (Decimal(satisfied * 100) / len(valid)).quantize(TWO_PLACES, ROUND_HALF_UP)


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
