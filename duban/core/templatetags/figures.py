"""Figures as people read them, in every language: `{{ amount|money }}` is 9,440,000.00 元 (Decimal
all the way, two decimals, the unit on the same line as the number) and `{{ n|thousands }}` is
22,294 (zh-Hans number formats leave it ungrouped).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

register = template.Library()
CENT = Decimal("0.01")


@register.filter
def thousands(value) -> str:
    """A whole number grouped by thousands."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "—"


@register.filter
def money(value) -> str:
    """An amount in yuan; "—" when there is none."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return "—"
    text = gettext("%(amount)s yuan") % {"amount": f"{amount:,.2f}"}
    return text.replace(" ", "\u00a0")  # the unit never wraps away from its number
