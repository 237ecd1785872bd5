"""What the benchmarks (`make bench`) share."""

from __future__ import annotations

import gc
import random
import time

from django.conf import settings
from django.test.utils import override_settings


def ms(seconds: list[float], share: float) -> float:
    """The `share` quantile (0.5 for the median, 0.95 for p95) of timings in seconds, in milliseconds."""
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def timed(run, repeat: int = 1, *, warm: bool = False) -> list[float]:
    """Seconds each of `repeat` calls of `run` took (after one call not counted, `warm`, and with
    what is loaded by then kept out of the garbage collector's passes, as a served worker keeps its
    start-up heap: duban/wsgi.py)."""
    if warm:
        run()
        gc.freeze()
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return seconds


def pages_timed(client, url: str, queries: list[str], runs: int) -> list[tuple[str, float, float, int]]:
    """For each query, (query, p50 ms, p95 ms, status) of `runs` requests of `url` with `?q=`."""
    rows = []
    for query in queries:
        status = client.get(url, {"q": query}).status_code
        seconds = timed(lambda query=query: client.get(url, {"q": query}), runs, warm=True)
        rows.append((query, ms(seconds, 0.5), ms(seconds, 0.95), status))
    return rows


def statics_from_finders():
    """Static files' URLs from the finders, as in the tests: a benchmark needs no `collectstatic`."""
    finders = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(STORAGES={**settings.STORAGES, "staticfiles": finders})


def demo_district():
    """The demo organisation's district, made if missing: the benchmarks share a database, and each
    hangs its own units under the district rather than beside it."""
    from duban.demo.seed import seed_organisation  # the demo reads every context; imported when used
    from duban.orgs.choices import UnitKind
    from duban.orgs.models import Unit

    if not Unit.objects.filter(kind=UnitKind.DISTRICT).exists():
        seed_organisation(random.Random(1))  # noqa: S311 - demo data, not secrets
    return Unit.objects.get(kind=UnitKind.DISTRICT)
