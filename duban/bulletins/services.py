"""Every write about bulletins: a draft composed for a period and scope, its paragraphs edited, and
its issue (numbered, figures frozen, the 通报 step recorded on the ladder for the units it names) or
its discarding."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.bulletins import access
from duban.bulletins.choices import BULLETIN_MOVES, BulletinState, Cadence
from duban.bulletins.compose import as_of, compose
from duban.bulletins.models import Bulletin
from duban.core.history import save_with_history
from duban.core.numbering import next_value
from duban.core.workdays import moment
from duban.ledger.access import can_supervise
from duban.ledger.choices import NoticeLevel
from duban.ledger.models import Item
from duban.ledger.services import notice_issue, notify
from duban.orgs import access as org_access
from duban.orgs.models import Unit, User


def period_of(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The week (Monday to Sunday) or the month holding `day`."""
    if cadence == Cadence.WEEKLY:
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    first = day.replace(day=1)
    return first, (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)


def default_title(cadence: str, starts_on: dt.date, ends_on: dt.date, scope_unit: Unit | None) -> str:
    where = scope_unit.name if scope_unit else "全区"
    if cadence == Cadence.WEEKLY:
        return f"关于{where}督办事项办理情况的通报（{starts_on:%Y年%-m月%-d日}至{ends_on:%-m月%-d日}）"
    return f"关于{starts_on:%Y年%-m月}{where}督办事项办理情况的通报"


def _issuer_of(actor: User | None) -> Unit:
    """The drafter's own unit; for a draft the upkeep makes, the office that issued the last
    bulletin, else the supervision office (督查室), else the district."""
    roots = org_access.scope_roots(actor) if actor is not None else []
    if roots:
        return roots[0]
    last = Bulletin.objects.select_related("issuer").exclude(issuer__parent=None).order_by("-created_at").first()
    office = (
        (last.issuer if last else None)
        or Unit.objects.active().filter(name__endswith="督查室").order_by("pk").first()
        or Unit.objects.roots().order_by("pk").first()
    )
    if office is None:
        raise ValidationError(_("There is no office to issue the bulletin."))
    return office


@transaction.atomic
def bulletin_draft(*, actor: User | None, cadence: str, day: dt.date, scope_unit: Unit | None = None,
                   at=None) -> Bulletin:  # fmt: skip
    """A draft for the week or month holding `day`, over the district or `scope_unit`."""
    at, today = moment(at)
    access.require_writer(actor)
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": _("Choose weekly or monthly.")})
    starts_on, ends_on = period_of(cadence, day)
    if starts_on > today:
        raise ValidationError({"day": _("The period has not begun yet.")})
    bulletin = Bulletin(cadence=cadence, starts_on=starts_on, ends_on=ends_on, scope_unit=scope_unit,
                        issuer=_issuer_of(actor), title=default_title(cadence, starts_on, ends_on, scope_unit),
                        created_at=at)  # fmt: skip
    bulletin.full_clean()
    save_with_history(bulletin, actor=actor, reason="bulletins.bulletin.drafted")
    return bulletin


@transaction.atomic
def bulletin_save(*, actor: User | None, bulletin: Bulletin, title: str, opening: str, closing: str) -> Bulletin:
    access.require_writer(actor)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if bulletin.state != BulletinState.DRAFT:
        raise ValidationError(_("An issued bulletin no longer changes."))
    if not (title or "").strip():
        raise ValidationError({"title": _("Give the bulletin a title.")})
    bulletin.title, bulletin.opening, bulletin.closing = title.strip(), (opening or "").strip(), (closing or "").strip()
    bulletin.full_clean()
    save_with_history(bulletin, actor=actor, reason="bulletins.bulletin.saved")
    return bulletin


def figures_of(bulletin: Bulletin) -> dict:
    """The frozen figures of an issued bulletin; a draft's composed afresh."""
    if bulletin.state == BulletinState.ISSUED:
        return bulletin.figures
    return compose(bulletin.scope_unit, bulletin.starts_on, bulletin.ends_on)


@transaction.atomic
def bulletin_step(*, actor: User | None, bulletin: Bulletin, code: str, at=None) -> Bulletin:
    """Issue (numbered, figures frozen, 通报 recorded on every overdue item of the units it names) or
    discard a draft."""
    at, today = moment(at)
    access.require_writer(actor)
    bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    step = BULLETIN_MOVES.check(bulletin.state, code, may=lambda m: access.may_write(actor))
    if code == "issue":
        figures = compose(bulletin.scope_unit, bulletin.starts_on, bulletin.ends_on)
        year = timezone.localtime(at).year
        bulletin.number = f"罗督通〔{year}〕{next_value(f'bulletins:{year}')}号"
        bulletin.figures, bulletin.issued_at, bulletin.issued_by = figures, at, actor
        reason = _("Named in bulletin %(number)s “%(title)s”.") % {"number": bulletin.number, "title": bulletin.title}
        for named in figures["named"]:
            unit = Unit.objects.get(pk=named["unit"])
            items = Item.objects.overdue(as_of(bulletin.ends_on))
            items = items.filter(lead_unit=unit) if named["direct"] else items.filter(
                lead_unit__path__startswith=unit.path)  # fmt: skip
            for item in items.select_related("ledger", "lead_unit").order_by("pk"):
                if actor is not None and not can_supervise(actor, item):  # the office's own items
                    continue
                notice_issue(actor=actor, item=item, level=NoticeLevel.PUBLIC_NOTICE, reason=reason,
                             auto_rule="bulletin", auto_key=f"bulletin:{bulletin.pk}", at=at)  # fmt: skip
    bulletin.state = step.target
    save_with_history(bulletin, actor=actor, reason=step.event)
    return bulletin


def drafts_due(at=None) -> list[Bulletin]:
    """The district's bulletins of the week and the month just ended (DUBAN_BULLETIN_DRAFTS), drafted
    once each within a week of the period's end, and the office told; a period with a bulletin
    already (drafted by hand, issued, or discarded by the office) is left as it is."""
    at, today = moment(at)
    drafted = []
    for cadence in settings.DUBAN_BULLETIN_DRAFTS:
        current, _end = period_of(cadence, today)
        starts_on, ends_on = period_of(cadence, current - dt.timedelta(days=1))
        if (today - ends_on).days > 7:
            continue
        with transaction.atomic():
            next_value("bulletins:drafting")  # drafters take turns on this row: two sweeps draft once
            if Bulletin.objects.filter(cadence=cadence, starts_on=starts_on, scope_unit__isnull=True).exists():
                continue
            bulletin = bulletin_draft(actor=None, cadence=cadence, day=starts_on, at=at)
            _tell_the_office(bulletin)
        drafted.append(bulletin)
    return drafted


def _tell_the_office(bulletin: Bulletin) -> None:
    writers = User.objects.filter(is_office_admin=True, is_active=True)  # the office that issues bulletins
    text = _("The draft of %(title)s is ready: check its figures, write the opening and closing, and issue it.")
    link = reverse("bulletins:bulletin_detail", args=[bulletin.pk])
    notify.after_commit(writers, None, "bulletins.bulletin.drafted", text, link=link, params={"title": bulletin.title})
