"""Values as offices write them in their ledgers: deadlines in a dozen spellings (or a
rectification type where a date was expected), yes and no, amounts in 元 or 万元.
Each reader returns the value or raises ValueError."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from duban.ledger.choices import RectificationType

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel's day numbers for 1982 to 2064: a number in a deadline column outside them is no date.
EXCEL_DAYS = range(30_000, 60_000)
_FULL = [
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_MONTH_END = re.compile(r"^(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月(?:底|末|份|底前|末前|前)?$")
_YEAR_END = re.compile(r"^(?:(\d{4})\s*年)?\s*(?:年底|年末|底|年内|年底前|年末前|底前)$")
IMMEDIATE_WORDS = {"立行立改", "立即整改", "即知即改", "马上改", "立改"}
CONTINUOUS_WORDS = {"长期坚持", "持续整改", "长期整改", "持续推进", "长期", "持续", "常态化"}
PHASED_WORDS = {"分阶段整改", "分阶段"}
YES = {"是", "已完成", "完成", "已整改", "已办结", "办结", "已销号", "✓", "√", "y", "yes", "true", "1"}
NO = {"否", "未完成", "未整改", "正在整改", "整改中", "未办结", "×", "✗", "n", "no", "false", "0"}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def deadline_of(value, year: int) -> tuple[dt.date | None, str]:
    """(the date, the rectification type it implies, "" for none). `year` is the ledger's, for
    dates written without one ("6月30日", "6月底", "年底前")."""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if int(value) in EXCEL_DAYS:
            return EXCEL_EPOCH + dt.timedelta(days=int(value)), ""
        raise ValueError
    text = re.sub(r"\s+", "", str(value))
    if text in IMMEDIATE_WORDS:
        return None, RectificationType.IMMEDIATE
    if text in CONTINUOUS_WORDS:
        return None, RectificationType.CONTINUOUS
    if text in PHASED_WORDS:
        return None, RectificationType.PHASED
    for pattern in _FULL:
        if match := pattern.match(text):
            return dt.date(*(int(part) for part in match.groups())), ""
    if match := _MONTH_DAY.match(text):
        return dt.date(year, int(match.group(1)), int(match.group(2))), ""
    if match := _MONTH_END.match(text):
        return _month_end(int(match.group(1) or year), int(match.group(2))), ""
    if match := _YEAR_END.match(text):
        return dt.date(int(match.group(1) or year), 12, 31), ""
    raise ValueError


def yes_no(value) -> bool:
    text = str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError


def amount_of(value) -> Decimal:
    """Yuan, from 12.5万元, 1,234.50元, ¥3000, or a number."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    text = re.sub(r"[\s,，¥￥]", "", str(value))
    factor = Decimal(1)
    if text.endswith("万元") or text.endswith("万"):
        factor, text = Decimal(10_000), text.rstrip("元").rstrip("万")
    elif text.endswith("亿元") or text.endswith("亿"):
        factor, text = Decimal(100_000_000), text.rstrip("元").rstrip("亿")
    text = text.removesuffix("元")
    try:
        return (Decimal(text) * factor).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValueError from None
