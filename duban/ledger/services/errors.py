from __future__ import annotations

from django.core.exceptions import PermissionDenied


class LedgerPermissionError(PermissionDenied):
    """The actor may not do this to this item (for example, review their own unit's item)."""
