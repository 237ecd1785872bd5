"""The periodic upkeep, in one place for `duban sweep`, the embedded timer beside `duban serve` and
the workers' schedule (`duban beat`): the ledger's sweep, each context's own (an AppConfig with
`sweep()` returning a line to print), and the recovery of work a stopped process left behind (the
ledger's imports, and an AppConfig's `recover()` returning lines to print)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings

from duban.core import background
from duban.ledger.services.import_recovery import imports_recover
from duban.ledger.services.sweep import sweep_begin, sweep_part, sweep_run


def sweep(today: dt.date | None = None, force: bool = False) -> list[str]:
    """Every open item's light and escalation, each context's upkeep, then `recover`; lines to print."""
    result = sweep_run(today=today, force=force)
    lines = [f"swept {result.items} items: {result.lights_changed} lights changed, {result.notices} notices issued"]
    return lines + contexts()


def sweep_on_workers(today: dt.date | None = None, force: bool = False, parts: int | None = None) -> list[str]:
    """The same on the workers: the items split into `parts` (DUBAN_SWEEP_PARTS) shares, one task
    each, the last share to finish finishing the run; each context's upkeep a task of its own (the
    campaign statistics' fold, the bulletins' drafts, the exports' removal, …). Recovery has its own
    place on the schedule."""
    parts = parts or settings.DUBAN_SWEEP_PARTS
    run = sweep_begin(today=today, force=force, parts=parts)
    if run is None:
        return ["swept already today; nothing changed since"] + contexts_on_workers()
    for part in range(parts):
        background.run("duban.ledger.tasks.sweep_part", run.pk, part, parts,
                       embedded=lambda part=part: sweep_part(run, part, parts))  # fmt: skip
    return [f"sweep {run.pk} handed to the workers in {parts} parts"] + contexts_on_workers()


def contexts() -> list[str]:
    """Each context's own upkeep, then `recover`."""
    lines = [config.sweep() for config in apps.get_app_configs() if hasattr(config, "sweep")]
    return lines + recover()


def contexts_on_workers() -> list[str]:
    labels = [config.label for config in apps.get_app_configs() if hasattr(config, "sweep")]
    for label in labels:
        background.run("duban.ledger.tasks.context_upkeep", label, embedded=lambda label=label: context_upkeep(label))
    return [f"upkeep of {', '.join(labels)} handed to the workers"]


def context_upkeep(label: str) -> str:
    """One context's upkeep (its AppConfig's `sweep()`): a line to print."""
    return apps.get_app_config(label).sweep()


def recover() -> list[str]:
    """Start again (or fail, saying why) what a stopped process or worker left half-done."""
    lines = imports_recover()
    for config in apps.get_app_configs():
        if hasattr(config, "recover"):
            lines += config.recover()
    return lines
