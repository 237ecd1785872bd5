"""Records one context makes because of another's — a rule built because of an audit finding, a
reform or a look-back (以审促建, 以案促改) — read without either context importing the other.

A context that makes such records declares two methods on its AppConfig:

- `records_built_from(subjects)`: for a list of one model's instances, {subject pk: [Built, …]};
- `build_from_link(subject, user)`: (label, url) for making a new record from `subject`, or None
  when the user may not (or the subject's kind is none of its business).

The subject's page shows them with `{% built_from subject %}` (`core/templatetags/derived.py`),
and a report counts them with `counts_built_from` (a finding's rules built, per unit, at year end).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.apps import apps


@dataclass(frozen=True)
class Built:
    label: str
    url: str
    note: str = ""  # where it stands ("in effect", "drafting")
    counts: bool = False  # done: counted in reports (a rule in effect)


@cache
def _makers() -> list:
    return [config for config in apps.get_app_configs() if hasattr(config, "records_built_from")]


def built_from(subjects) -> dict[int, list[Built]]:
    """subject pk → what every context built from it (for one model's instances)."""
    subjects = list(subjects)
    found: dict[int, list[Built]] = {}
    if not subjects:
        return found
    for config in _makers():
        for pk, records in config.records_built_from(subjects).items():
            found.setdefault(pk, []).extend(records)
    return found


def counts_built_from(subjects) -> dict[int, int]:
    """subject pk → how many records built from it are done."""
    return {pk: sum(1 for record in records if record.counts) for pk, records in built_from(subjects).items()}


def build_links(subject, user) -> list[tuple[str, str]]:
    links = []
    for config in _makers():
        link = config.build_from_link(subject, user)
        if link is not None:
            links.append(link)
    return links
