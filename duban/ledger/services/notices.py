"""The supervision ladder: reminders, urging, blue/yellow/red notices (督查令), on-site supervision,
interviews (约谈), public notices (通报) and referrals (问责). Each is a numbered document."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.numbering import next_value
from duban.core.workdays import add_working_days, moment, on_day
from duban.ledger import access
from duban.ledger.choices import NOTICE_PREFIX, OPEN_STATES, NoticeLevel
from duban.ledger.models import InterviewRecord, Item, Notice
from duban.ledger.services import events, notify
from duban.ledger.services.errors import LedgerPermissionError
from duban.ledger.services.items import _lock
from duban.orgs.choices import PositionRole
from duban.orgs.models import Person, Position, User

DEFAULT_RESPONSE = {
    NoticeLevel.REMINDER: "请按期完成并及时报送进展。",
    NoticeLevel.URGING: "请于期限内报送办理进展及下一步措施。",
    NoticeLevel.BLUE: "请于期限内书面说明逾期原因并报送整改计划。",
    NoticeLevel.YELLOW: "请于期限内完成整改并书面报告，说明前次督办未落实的原因。",
    NoticeLevel.RED: "请单位主要负责人亲自督办，于期限内完成并书面报告。",
    NoticeLevel.ONSITE: "请做好现场督办准备，主要负责人到场汇报。",
    NoticeLevel.INTERVIEW: "请单位主要负责人按时参加约谈并提交书面说明。",
    NoticeLevel.PUBLIC_NOTICE: "请于期限内报送整改落实情况。",
    NoticeLevel.REFERRAL: "移送纪检监察机关依规依纪依法处理。",
}


def unit_head(unit) -> Person | None:
    position = Position.objects.current().filter(unit=unit, role=PositionRole.HEAD).select_related("person").first()
    return position.person if position else None


def _issue(
    *,
    item: Item,
    level: str,
    reason: str,
    actor: User | None = None,
    required_response: str = "",
    due_date: dt.date | None = None,
    auto_rule: str = "",
    auto_key: str = "",
    at: dt.datetime | None = None,
) -> Notice:
    """Write a notice for an item whose row the caller has locked."""
    at, today = moment(at)
    ledger = item.ledger
    year = today.year
    seq = next_value(f"notice:{ledger.number_prefix}:{level}:{year}")
    notice = Notice.objects.create(
        item=item,
        level=level,
        number=f"{ledger.number_prefix}{NOTICE_PREFIX[level]}〔{year}〕{seq}号",
        issuer=actor if getattr(actor, "is_authenticated", False) else None,
        issuing_unit=ledger.owner_unit,
        recipient_unit=item.lead_unit,
        recipient_head=unit_head(item.lead_unit),
        reason=reason,
        required_response=required_response or DEFAULT_RESPONSE[level],
        due_date=due_date or add_working_days(today, 5),
        auto_rule=auto_rule,
        auto_key=auto_key,
        created_at=at,
    )
    events.record(
        item,
        f"ledger.notice.{level}",
        actor=actor,
        at=at,
        data={"notice": notice.pk, "number": notice.number, "reason": reason, "auto": bool(auto_rule)},
    )
    notify.after_commit(
        notify.unit_users(item.lead_unit),
        item,
        f"ledger.notice.{level}",
        _("%(level)s %(number)s on %(item)s")
        % {"level": NoticeLevel(level).label, "number": notice.number, "item": item.number},
    )
    return notice


@transaction.atomic
def notice_issue(
    *,
    actor: User | None,
    item: Item,
    level: str,
    reason: str,
    required_response: str = "",
    due_date: dt.date | None = None,
    auto_rule: str = "",
    auto_key: str = "",
    at: dt.datetime | None = None,
) -> Notice:
    """A supervisor issues any step of the ladder (by hand, or in one action for many items: then
    `auto_rule` names the action and `auto_key` makes it once per item)."""
    item = _lock(item)
    at, today = moment(at)
    if actor is not None and not access.can_supervise(actor, item):
        raise LedgerPermissionError(_("Supervision notices are issued by the supervising office or a supervisor."))
    if level not in NoticeLevel.values:
        raise ValidationError({"level": _("Unknown notice level.")})
    if item.state not in OPEN_STATES:
        raise ValidationError(_("Notices can only be issued on open items."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the notice.")})
    if due_date is not None and due_date < today:
        raise ValidationError({"due_date": _("The response date cannot be in the past.")})
    return _issue(
        item=item,
        level=level,
        reason=reason.strip(),
        actor=actor,
        required_response=required_response.strip(),
        due_date=due_date,
        auto_rule=auto_rule,
        auto_key=auto_key,
        at=at,
    )


@transaction.atomic
def notice_answer(*, actor: User | None, notice: Notice, text: str, at: dt.datetime | None = None) -> Notice:
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    item = _lock(notice.item)
    if actor is not None and not access.acts_for_unit(actor, item):
        raise LedgerPermissionError(_("Only the responsible unit answers a notice."))
    if notice.responded_at is not None:
        raise ValidationError(_("This notice has already been answered."))
    if not text.strip():
        raise ValidationError({"text": _("Write the response.")})
    notice.responded_at, _today = moment(at)
    notice.response_text = text.strip()
    notice.responded_by = actor
    notice.save(update_fields=["responded_at", "response_text", "responded_by", "updated_at"])
    events.record(
        item,
        "ledger.notice.answered",
        actor=actor,
        data={"notice": notice.pk, "number": notice.number},
        at=notice.responded_at,
    )
    notify.after_commit(
        notify.unit_users(item.ledger.owner_unit),
        item,
        "ledger.notice.answered",
        _("%(number)s was answered") % {"number": notice.number},
    )
    return notice


@transaction.atomic
def interview_record(
    *,
    actor: User | None,
    notice: Notice,
    held_on: dt.date,
    place: str,
    attendees: str,
    minutes: str,
    commitments: str = "",
) -> InterviewRecord:
    """Record the interview (约谈) an interview notice called; the notice counts as answered."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    item = _lock(notice.item)
    if actor is not None and not access.can_supervise(actor, item):
        raise LedgerPermissionError(_("Interviews are recorded by the supervising office or a supervisor."))
    if notice.level != NoticeLevel.INTERVIEW:
        raise ValidationError(_("Only an interview notice takes an interview record."))
    if InterviewRecord.objects.filter(notice=notice).exists():
        raise ValidationError(_("This interview has already been recorded."))
    if not minutes.strip() or not attendees.strip():
        raise ValidationError({"minutes": _("Write who attended and what was said.")})
    record = InterviewRecord.objects.create(
        notice=notice,
        held_on=held_on,
        place=place.strip(),
        attendees=attendees.strip(),
        minutes=minutes.strip(),
        commitments=commitments.strip(),
        recorded_by=actor,
    )
    at = on_day(held_on, 15)
    if notice.responded_at is None:
        notice.responded_at = at
        notice.response_text = commitments.strip() or minutes.strip()
        notice.responded_by = actor
        notice.save(update_fields=["responded_at", "response_text", "responded_by", "updated_at"])
    events.record(
        item,
        "ledger.notice.interview_held",
        actor=actor,
        data={"notice": notice.pk, "number": notice.number, "attendees": record.attendees},
        at=at,
    )
    return record
