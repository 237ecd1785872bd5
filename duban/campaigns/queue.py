"""The filters of a campaign's report queue, read from the query string: the queue, its download
and the cockpit's figures select reports with this one function, so a figure links to exactly the
reports it counts.

`unit`, `direct` and `portfolio` read as on the ledger's item list: the responsible unit and
every unit under it; the unit itself only; the units in a district leader's charge (and under
them). `reported_from`/`reported_to` and `closed_from`/`closed_to` are days (YYYY-MM-DD, both ends
included) in the district's time."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from duban.campaigns.choices import OPEN_REPORT_STATES, ReportState
from duban.campaigns.models import Category
from duban.core.views import whole_number
from duban.orgs.models import Person, Unit

# Filters a figure elsewhere (the cockpit) links with, shown above the queue while set.
LINKED = ("unit", "direct", "portfolio", "reported_from", "reported_to", "closed_from", "closed_to")


def day(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def day_start(value: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def _between(field: str, first: dt.date | None, last: dt.date | None) -> Q:
    condition = Q()
    if first is not None:
        condition &= Q(**{f"{field}__gte": day_start(first)})
    if last is not None:
        condition &= Q(**{f"{field}__lt": day_start(last + dt.timedelta(days=1))})
    return condition


def _unit(query) -> tuple[Unit | None, bool]:
    """The unit asked for, and whether one was asked for that does not exist."""
    number = whole_number(query.get("unit"))
    unit = Unit.objects.filter(pk=number).first() if number is not None else None
    return unit, number is not None and unit is None


def _leader(query) -> tuple[Person | None, bool]:
    number = whole_number(query.get("portfolio"))
    leader = Person.objects.leaders().filter(pk=number).first() if number is not None else None
    return leader, number is not None and leader is None


def filtered(reports, query, today: dt.date):
    """`reports` (a campaign's) as the queue's filters in `query` (the query string) select them."""
    reports = filtered_but_text(reports, query, today)
    text = (query.get("q") or "").strip()
    if not text:
        return reports
    number = whole_number(text.removeprefix("#"))  # a report's number as the list shows it: #21375
    return reports.filter(pk=number) if number is not None else reports.search(text)


def listed(reports, query, today: dt.date):
    """The queue's page source: `filtered` in the queue's order, and the walk that finds a page when
    a text many reports hold is searched (`search.listed`)."""
    reports = filtered_but_text(reports, query, today)
    text = (query.get("q") or "").strip()
    if (number := whole_number(text.removeprefix("#"))) is not None:
        return reports.filter(pk=number).order_by(*ORDER), None
    return reports.listed(text, ORDER)


ORDER = ("-created_at", "-id")


def filtered_but_text(reports, query, today: dt.date):
    """`filtered` without the search for a number or a text."""
    state = query.get("state", "")
    if state == "open":
        reports = reports.filter(state__in=sorted(OPEN_REPORT_STATES))
    elif state == "overdue":
        reports = reports.filter(state__in=sorted(OPEN_REPORT_STATES), expected_on__lt=today)
    elif state in ReportState.values:
        reports = reports.filter(state=state)
    for name, field in (("category", "category_id"), ("street", "street_id")):
        if (number := whole_number(query.get(name))) is not None:
            reports = reports.filter(**{field: number})
    unit, unknown_unit = _unit(query)
    leader, unknown_leader = _leader(query)
    if unknown_unit or unknown_leader:
        return reports.none()
    if unit is not None and query.get("direct"):
        reports = reports.filter(routed_unit=unit)
    elif unit is not None:
        reports = reports.filter(routed_unit__path__startswith=unit.path)
    if leader is not None:
        units = leader.units_in_charge()
        reports = reports.filter(routed_unit__in=units)
    if query.get("unrouted"):
        reports = reports.filter(routed_unit__isnull=True)
    reports = reports.filter(_between("created_at", day(query.get("reported_from")), day(query.get("reported_to"))))
    return reports.filter(_between("closed_at", day(query.get("closed_from")), day(query.get("closed_to"))))


def linked_filters(query) -> list[tuple[str, str]]:
    """The filters the queue's form does not show, as (label, value) to show above the list."""
    shown = []
    unit, _unknown = _unit(query)
    if unit is not None:
        label = _("Routed to the unit itself") if query.get("direct") else _("Routed to the unit or a unit under it")
        shown.append((label, unit.name))
    leader, _unknown = _leader(query)
    if leader is not None:
        shown.append((_("Units in the charge of"), leader.name))
    dates = (("reported", pgettext("date column", "Reported")), ("closed", pgettext("problem report", "Closed at")))
    for name, label in dates:
        first, last = day(query.get(f"{name}_from")), day(query.get(f"{name}_to"))
        if first or last:
            shown.append((label, f"{first or '…'} – {last or '…'}"))
    return shown


def summary(query) -> str:
    """The filters set in `query`, as “label：value；…” (an export names its list so)."""
    parts = []
    state = query.get("state", "")
    states = {"open": pgettext("problem report", "Open"), "overdue": _("Overdue"), **dict(ReportState.choices)}
    if state in states:
        parts.append(f"{_('Status')}：{states[state]}")
    for name, label, model in (("category", _("Category"), Category), ("street", _("Street"), Unit)):
        number = whole_number(query.get(name))
        found = model.objects.filter(pk=number).first() if number is not None else None
        if found is not None:
            parts.append(f"{label}：{found.name}")
    if query.get("unrouted"):
        parts.append(str(_("Not routed")))
    if (query.get("q") or "").strip():
        parts.append(f"{_('No. or text')}：{query['q'].strip()}")
    parts += [f"{label}：{value}" if value else label for label, value in linked_filters(query)]
    return "；".join(str(part) for part in parts)
