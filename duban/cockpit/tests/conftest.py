"""The cockpit's test data: items of unit A, its community, unit B and the district itself."""

import datetime as dt

from django.utils import timezone

from duban.core.workdays import on_day
from duban.ledger.choices import NoticeLevel
from duban.ledger.models import Item
from duban.ledger.services import notice_issue
from duban.ledger.tests.conftest import MONDAY, ledger, make_item  # noqa: F401 - the ledger's fixtures, used here


def build_work(personas, make):
    """Items of unit A, its community and unit B: open in every light, overdue at several steps of
    the ladder, and finished on time and late this month and last."""
    today = timezone.localdate()
    made = []
    for n, (unit, light) in enumerate([
        (personas.unit_a, "red"), (personas.unit_a, "red"), (personas.unit_a, "yellow"),
        (personas.unit_a_community, "red"), (personas.unit_a_community, "green"), (personas.unit_b, "red"),
        (personas.unit_b, "none"), (personas.district, "yellow"),
    ]):  # fmt: skip
        item = make(
            lead_unit=unit, title=f"事项{n}", deadline=dt.date(2024, 6, 28) if n % 2 else today + dt.timedelta(days=60)
        )
        Item.objects.filter(pk=item.pk).update(light=light)
        made.append(item)
    for item, level in ((made[1], NoticeLevel.RED), (made[3], NoticeLevel.INTERVIEW), (made[5], NoticeLevel.RED)):
        notice_issue(actor=personas.office_admin, item=item, level=NoticeLevel.BLUE, reason="逾期未办结",
                     at=on_day(MONDAY + dt.timedelta(days=40)))  # fmt: skip
        notice_issue(actor=personas.office_admin, item=item, level=level, reason="逾期未办结",
                     at=on_day(MONDAY + dt.timedelta(days=50)))  # fmt: skip
    last_month = today.replace(day=1) - dt.timedelta(days=3)
    for n, (unit, finished, late) in enumerate([
        (personas.unit_a, today, 0), (personas.unit_a, today, 4), (personas.unit_a_community, last_month, 0),
        (personas.unit_b, last_month, 9), (personas.unit_b, today - dt.timedelta(days=400), 0),
    ]):  # fmt: skip
        item = make(lead_unit=unit, title=f"已办结{n}")
        Item.objects.filter(pk=item.pk).update(state="closed", finished_on=finished, late_days=late)
    return made
