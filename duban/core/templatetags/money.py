"""`{{ amount|money }}`: an amount of money as people read it, 9,440,000.00 元, on every page.

Decimal all the way (no float rounding), two decimals, thousands separators, and the unit kept on
the same line as the number.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext

register = template.Library()
CENT = Decimal("0.01")


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
