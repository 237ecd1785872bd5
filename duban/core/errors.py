"""Errors every context raises the same way, so views and the API can answer them the same way."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class TransitionError(ValidationError):
    """A state change the transition table does not allow. Nothing was changed."""
