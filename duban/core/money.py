"""Sums of money as users type them: yuan with at most two decimals (fen), commas only between
thousands."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

THOUSANDS = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?")  # 1,250.50


def clean_amount(value, field: str = "amount") -> Decimal:
    """A positive sum of yuan with at most two decimals; a ValidationError on `field` otherwise."""
    text = str(value).strip()
    if "," in text and not THOUSANDS.fullmatch(text):
        raise ValidationError({field: _("Enter the amount in yuan, e.g. 12500.00.")})
    try:
        amount = value if isinstance(value, Decimal) else Decimal(text.replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter the amount in yuan, e.g. 12500.00.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("The amount must be more than zero.")})
    if amount.as_tuple().exponent < -2:
        raise ValidationError({field: _("An amount has at most two decimals (fen).")})
    if amount >= Decimal("1e12"):
        raise ValidationError({field: _("The amount is too large.")})
    return amount.quantize(Decimal("0.01"))
