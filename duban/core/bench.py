"""What the benchmarks (`make bench`) share."""

from __future__ import annotations


def ms(seconds: list[float], share: float) -> float:
    """The `share` quantile (0.5 for the median, 0.95 for p95) of timings in seconds, in milliseconds."""
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000
