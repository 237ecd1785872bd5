"""What the benchmarks (`make bench`) share."""

from __future__ import annotations

import time


def ms(seconds: list[float], share: float) -> float:
    """The `share` quantile (0.5 for the median, 0.95 for p95) of timings in seconds, in milliseconds."""
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def timed(run, repeat: int = 1, *, warm: bool = False) -> list[float]:
    """Seconds each of `repeat` calls of `run` took (after one call not counted, `warm`)."""
    if warm:
        run()
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return seconds
