"""The demo's supervision bulletins, composed through the bulletins services from the demo's ledger:
last month's bulletin issued by 区委改革办 (numbered, its figures frozen, the units it names given the
通报 step on their overdue items), and this week's left as a draft to edit."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.bulletins import services
from duban.core.workdays import on_day
from duban.orgs.models import User


def seed_bulletins(logins: dict[str, User]) -> None:
    office = logins["office_admin"]
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    monthly = services.bulletin_draft(actor=office, cadence="monthly", day=last_month, at=on_day(today.replace(day=1)))
    services.bulletin_save(
        actor=office, bulletin=monthly, title=monthly.title,
        opening="为压实督办责任、推动各项督办事项按期办结，根据区委、区政府工作部署，现将上月督办事项办理情况通报如下。",
        closing="各单位要对照通报问题逐项整改，被通报单位须在5个工作日内向区委督查室书面报告整改措施。\n区委督查室将持续跟踪督办，并将办理情况纳入年度绩效考评。",
    )  # fmt: skip
    issued_at = min(on_day(today.replace(day=1), hour=16), timezone.now())
    services.bulletin_step(actor=office, bulletin=monthly, code="issue", at=issued_at)
    services.bulletin_draft(actor=office, cadence="weekly", day=today)
