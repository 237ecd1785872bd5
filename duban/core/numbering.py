"""Official document numbers: gap-free per key, safe under concurrent use."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from duban.core.models import Sequence


def next_value(key: str, count: int = 1) -> int:
    """Reserve `count` consecutive values of the counter `key` and return the first (1 for a new
    key). Call inside the caller's transaction."""
    with transaction.atomic():
        row = Sequence.objects.select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = Sequence.objects.create(key=key, value=0)
            except IntegrityError:  # another transaction created it first
                row = Sequence.objects.select_for_update().get(key=key)
        first = row.value + 1
        row.value += count
        row.save(update_fields=["value"])
        return first
