"""Saving with a recorded actor and reason, and reading a record's history as before/after rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models


def save_with_history(instance: models.Model, *, actor, reason: str, **save_kwargs) -> None:
    """Save `instance`, attributing the history row to `actor` with the namespaced `reason` code."""
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None
    instance._change_reason = reason
    instance.save(**save_kwargs)


@dataclass
class Change:
    field: str
    before: Any
    after: Any


@dataclass
class HistoryEntry:
    at: Any
    actor: Any
    reason: str
    kind: str
    changes: list[Change] = field(default_factory=list)


def _display(record, field_name: str, value: Any) -> Any:
    model_field = record.instance_type._meta.get_field(field_name)
    if isinstance(value, list):  # a many-to-many snapshot: rows of the through table
        target = model_field.related_model
        ids = sorted(row[model_field.m2m_reverse_field_name()] for row in value)
        names = dict(target.objects.filter(pk__in=ids).values_list("pk", "name"))
        return "、".join(str(names.get(pk, pk)) for pk in ids) or "—"
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation:
        target = model_field.related_model.objects.filter(pk=value).first()
        return str(target) if target else value
    return value


def history_entries(instance: models.Model) -> list[HistoryEntry]:
    """Every recorded change of `instance`, newest first, with field-level before and after."""
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        entry = HistoryEntry(
            at=record.history_date,
            actor=record.history_user,
            reason=record.history_change_reason or "",
            kind=record.history_type,
        )
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                entry.changes.append(
                    Change(
                        field=str(record.instance_type._meta.get_field(change.field).verbose_name),
                        before=_display(record, change.field, change.old),
                        after=_display(record, change.field, change.new),
                    )
                )
        entries.append(entry)
        previous = record
    entries.reverse()
    return entries
