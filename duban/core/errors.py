"""Errors every context raises the same way, so views and the API can answer them the same way."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class TransitionError(ValidationError):
    """A state change the transition table does not allow. Nothing was changed."""


def check_transition(table: dict[str, set[str]], current: str, target: str, labels) -> None:
    """Raise TransitionError unless `table` allows `current` → `target`; `labels` is the TextChoices."""
    if target not in table.get(current, set()):
        raise TransitionError(
            _("Cannot change from “%(current)s” to “%(target)s”.")
            % {"current": labels(current).label, "target": labels(target).label}
        )
