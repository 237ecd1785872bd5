"""The public datasets (政府数据开放): what each holds, field by field, and its rows read in chunks
so that a download of a million rows keeps memory flat. Nothing personal leaves: problem reports
carry no reporter, no contact, no description (residents write names and phone numbers in it),
their place only as the centre of a grid cell of about 500 m, and the office's public reply with
anything that looks like a phone number masked."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.campaigns.choices import ReportState
from duban.campaigns.models import Report
from duban.reforms.choices import ReformLevel, SpecialGroup
from duban.reforms.models import Reform
from duban.rules.choices import RuleKind
from duban.rules.models import Rule

CHUNK = 2000
CELL_DEGREES = 0.005  # about 500 m at Shenzhen's latitude
PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d){8}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
LICENCE = _("CC BY 4.0: free to use, share and adapt, naming 罗湖区 as the source.")


def cell_centre(value: float) -> float:
    """The centre of the grid cell holding `value` (degrees), never the point itself."""
    return round((math.floor(value / CELL_DEGREES) + 0.5) * CELL_DEGREES, 4)


def masked(text: str) -> str:
    return PHONE.sub("***", text or "")


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


KINDS = {"text": pgettext_lazy("data type", "Text"), "integer": _("Whole number"),
         "number": pgettext_lazy("data type", "Number"), "date": _("Date (YYYY-MM-DD)"),
         "boolean": _("True or false")}  # fmt: skip


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    kind: str  # a key of KINDS

    @property
    def kind_label(self):
        return KINDS[self.kind]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: object
    description: object
    frequency: object
    fields: tuple[Field, ...]
    rows_of: Callable[..., Iterator[list]]  # (start, stop): the rows in that window, all by default
    count_of: Callable[[], int]
    updated_of: Callable[[], dt.datetime | None]

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[list]:
        return self.rows_of(start, stop)

    def count(self) -> int:
        return self.count_of()

    def updated(self) -> dt.datetime | None:
        return self.updated_of()


# Problem reports


def _public_reports():
    return Report.objects.public()


def _report_rows(start: int = 0, stop: int | None = None) -> Iterator[list]:
    states = dict(ReportState.choices)
    columns = ["pk", "campaign__name", "category__name", "street__name", "state", "created_at", "fixed_at",
               "closed_at", "on_time", "lat", "lng", "status_note"]  # fmt: skip
    for row in _public_reports().order_by("pk").values_list(*columns)[start:stop].iterator(chunk_size=CHUNK):
        pk, campaign, category, street, state, created, fixed, closed, on_time, lat, lng, note = row
        yield [pk, campaign, category, street, str(states.get(state, state)), _day(created), _day(fixed),
               _day(closed), on_time, cell_centre(lat), cell_centre(lng), masked(note)]  # fmt: skip


REPORTS = Dataset(
    slug="problem-reports",
    title=_("Problem reports (anonymised)"),
    description=_("Every problem residents and inspectors reported in the special campaigns, with its category, "
                  "street, state and dates. Anonymised: no reporter or contact, no description, the place only "
                  "as the centre of a grid cell of about 500 m, the office's public reply with phone numbers "
                  "masked. Rejected reports are left out, as on the portal."),
    frequency=_("Daily"),
    fields=(
        Field("id", _("Report number"), "integer"), Field("campaign", _("Campaign"), "text"),
        Field("category", _("Category"), "text"), Field("street", _("Street"), "text"),
        Field("state", _("State"), "text"), Field("reported_on", _("Reported on"), "date"),
        Field("fixed_on", _("Fixed on"), "date"), Field("closed_on", _("Closed on"), "date"),
        Field("fixed_on_time", _("Fixed on time"), "boolean"),
        Field("lat", _("Latitude of the grid cell's centre"), "number"),
        Field("lng", _("Longitude of the grid cell's centre"), "number"),
        Field("public_reply", _("The office's public reply"), "text"),
    ),
    rows_of=_report_rows,
    count_of=lambda: _public_reports().count(),
    updated_of=lambda: _public_reports().aggregate(m=Max("updated_at"))["m"],
)  # fmt: skip


def _monthly_rows(start: int = 0, stop: int | None = None) -> Iterator[list]:
    found = (
        _public_reports().order_by().annotate(month=TruncMonth("created_at")).values("month", "street__name")
        .annotate(reported=Count("pk"), fixed=Count("pk", filter=Q(fixed_at__isnull=False)),
                  on_time=Count("pk", filter=Q(on_time=True)))
        .order_by("month", "street__name")
    )  # fmt: skip
    for row in found[start:stop].iterator(chunk_size=CHUNK):
        month = row["month"]
        month = timezone.localtime(month) if isinstance(month, dt.datetime) and timezone.is_aware(month) else month
        yield [f"{month:%Y-%m}", row["street__name"], row["reported"], row["fixed"], row["on_time"]]


MONTHLY = Dataset(
    slug="reports-by-month-and-street",
    title=_("Problem reports by month and street"),
    description=_("How many problems were reported in each street each month, how many of them are fixed, and how "
                  "many were fixed on time."),
    frequency=_("Daily"),
    fields=(
        Field("month", _("Month"), "text"), Field("street", _("Street"), "text"),
        Field("reported", _("Reported"), "integer"), Field("fixed", _("Fixed"), "integer"),
        Field("fixed_on_time", _("Fixed on time"), "integer"),
    ),
    rows_of=_monthly_rows,
    count_of=lambda: _public_reports().order_by().annotate(month=TruncMonth("created_at"))
    .values("month", "street").distinct().count(),
    updated_of=lambda: _public_reports().aggregate(m=Max("updated_at"))["m"],
)  # fmt: skip


# Reforms


def _reform_rows(start: int = 0, stop: int | None = None) -> Iterator[list]:
    levels, groups = dict(ReformLevel.choices), dict(SpecialGroup.choices)
    found = Reform.objects.with_own_item().order_by("year", "pk").values_list(
        "pk", "year", "level", "group", "domain__name", "title", "lead_unit__name", "deadline", "own_progress",
        "goals")  # fmt: skip
    for pk, year, level, group, domain, title, unit, deadline, progress, goals in found[start:stop].iterator(
            chunk_size=CHUNK):  # fmt: skip
        yield [pk, year, str(levels.get(level, level)), str(groups.get(group, group)), domain or "", title, unit,
               _day(deadline), progress or 0, masked(goals)]  # fmt: skip


REFORMS = Dataset(
    slug="reforms",
    title=_("Reforms and their progress"),
    description=_("The district's reform tasks by year: level, special group, domain, lead unit, deadline, goals and "
                  "progress, as the reform office's ledger keeps them."),
    frequency=_("Weekly"),
    fields=(
        Field("id", _("Reform number"), "integer"), Field("year", _("Year"), "integer"),
        Field("level", _("Level"), "text"), Field("group", _("Special group"), "text"),
        Field("domain", _("Domain"), "text"), Field("title", _("Title"), "text"),
        Field("lead_unit", _("Lead unit"), "text"), Field("deadline", _("Deadline"), "date"),
        Field("progress", _("Progress (%)"), "integer"), Field("goals", _("Goals"), "text"),
    ),
    rows_of=_reform_rows,
    count_of=lambda: Reform.objects.count(),
    updated_of=lambda: Reform.objects.aggregate(m=Max("updated_at"))["m"],
)  # fmt: skip


# Public rules and policies


def _policy_rows(start: int = 0, stop: int | None = None) -> Iterator[list]:
    kinds = dict(RuleKind.choices)
    found = (
        Rule.objects.public_in_force()
        .order_by("-effective_on", "pk")
        .values_list(
            "pk", "document_number", "title", "kind", "issuing_unit__name", "adopted_on", "effective_on", "expires_on"
        )
    )
    for pk, number, title, kind, unit, adopted, effective, expires in found[start:stop].iterator(chunk_size=CHUNK):
        yield [pk, number, title, str(kinds.get(kind, kind)), unit, _day(adopted), _day(effective), _day(expires)]


POLICIES = Dataset(
    slug="public-policies",
    title=_("Public rules and policy documents in force"),
    description=_("The rules and policy documents the district's units made public and that are in force, with their "
                  "document numbers and dates; the full texts are on the portal's policy pages."),
    frequency=_("Daily"),
    fields=(
        Field("id", _("Number in the registry"), "integer"), Field("document_number", _("Document number"), "text"),
        Field("title", _("Title"), "text"), Field("kind", _("Kind"), "text"),
        Field("issuing_unit", _("Issuing unit"), "text"), Field("adopted_on", _("Adopted on"), "date"),
        Field("effective_on", _("Effective on"), "date"), Field("expires_on", _("Expires on"), "date"),
    ),
    rows_of=_policy_rows,
    count_of=lambda: Rule.objects.public_in_force().count(),
    updated_of=lambda: Rule.objects.public_in_force().aggregate(m=Max("updated_at"))["m"],
)  # fmt: skip

DATASETS = {dataset.slug: dataset for dataset in (REPORTS, MONTHLY, REFORMS, POLICIES)}
