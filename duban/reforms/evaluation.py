"""The arithmetic of reform evaluation, as pure functions: satisfaction rates here; weighted expert
scores, the trimmed mean and the ranking from `duban.core.scoring`, which every panel shares.
Services and reports call these; tests check them exactly."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from duban.core.scoring import TWO_PLACES, criteria_errors, ranking, trimmed_mean, weighted_total
from duban.reforms.choices import SATISFIED_LEVELS, Satisfaction

__all__ = ["criteria_errors", "ranking", "satisfaction_rate", "trimmed_mean", "weighted_total"]


def satisfaction_rate(levels: Iterable[str]) -> Decimal | None:
    """满意率 = (满意 + 比较满意) / valid answers, "don't know" excluded; None without valid answers."""
    valid = [level for level in levels if level != Satisfaction.UNKNOWN]
    if not valid:
        return None
    satisfied = sum(1 for level in valid if level in SATISFIED_LEVELS)
    return (Decimal(satisfied * 100) / len(valid)).quantize(TWO_PLACES, ROUND_HALF_UP)
