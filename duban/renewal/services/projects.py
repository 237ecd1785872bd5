"""Renewal projects (更新单元): registered by the bureau's case officers, moved one stage at a time, with
the owners' and tenants' households and the dates they signed their relocation agreements, from
which the signing rate (签约率) and its history are computed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.orgs.choices import UnitKind
from duban.orgs.models import User
from duban.renewal import access
from duban.renewal.choices import STAGE_ORDER, HouseholdKind, ProjectKind, ProjectStage
from duban.renewal.models import Household, Project, RenewalSettings
from duban.renewal.services.events import event_write

PHONE = re.compile(r"1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}")
MAX_HOUSEHOLDS = 5000  # in one go


@transaction.atomic
def project_register(*, actor: User | None, name: str, street, community: str = "", kind: str, developer: str,
                     area=None, at=None) -> Project:  # fmt: skip
    at, _today = moment(at)
    access.require_officer(actor)
    if street is None or street.kind != UnitKind.STREET:
        raise ValidationError({"street": _("Choose the street the project lies in.")})
    project = Project(name=(name or "").strip(), street=street, community=(community or "").strip(), kind=kind,
                      developer=(developer or "").strip(), area=area, created_at=at)  # fmt: skip
    project.full_clean()
    save_with_history(project, actor=actor, reason="renewal.project.created")
    event_write(project, actor, "renewal.project.created", at, after=project.stage)
    return project


@transaction.atomic
def project_advance(*, actor: User | None, project: Project, at=None) -> Project:
    """The next stage, never one skipped or gone back to."""
    at, _today = moment(at)
    access.require_officer(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    position = STAGE_ORDER.index(project.stage)
    if position + 1 >= len(STAGE_ORDER):
        raise ValidationError(_("The project is at its last stage."))
    if project.stage == ProjectStage.SIGNING and (refusal := demolition_refusal(project)):
        raise ValidationError(refusal)
    before, project.stage = project.stage, STAGE_ORDER[position + 1]
    save_with_history(project, actor=actor, reason="renewal.project.staged")
    event_write(project, actor, "renewal.project.staged", at, before=before, after=project.stage)
    return project


def demolition_refusal(project: Project) -> str:
    """Why demolition may not start yet ("" when it may): every owner has signed, or an old
    residential estate has passed the consent threshold (the rest go to expropriation)."""
    signed, total = project.consent()
    if signed == total:
        return ""
    if (
        project.kind == ProjectKind.OLD_ESTATE
        and project.consent_percent() >= RenewalSettings.current().consent_threshold
    ):
        return ""
    return _(
        "Demolition starts when every owner has signed (%(signed)s of %(total)s so far); an old residential "
        "estate may go on once it passes the consent threshold."
    ) % {"signed": signed, "total": total}


def clean_phone(value: str, *, field: str = "phone") -> str:
    phone = re.sub(r"\s", "", value or "")
    if phone and not PHONE.fullmatch(phone):
        raise ValidationError({field: _("“%(phone)s” is not a mobile or landline number.") % {"phone": value}})
    return phone


def _area(value, line: int):
    if value in (None, ""):
        return None
    try:
        area = Decimal(str(value).strip())
    except InvalidOperation:
        area = None
    if area is None or not area.is_finite() or area <= 0 or area.as_tuple().exponent < -2 or area >= 10**7:
        raise ValidationError({"rows": _("Line %(line)s: the area is a positive number of square metres with at "
                                         "most two decimals.") % {"line": line}})  # fmt: skip
    return area


@transaction.atomic
def households_add(*, actor: User | None, project: Project, rows: list[dict], at=None) -> list[Household]:
    """Add households (`label`, `kind`, `name`, `phone`, `area`); every line is checked before any
    is saved, and the errors name the lines."""
    at, _today = moment(at)
    access.require_officer(actor)
    if not rows:
        raise ValidationError({"rows": _("Give at least one household.")})
    if len(rows) > MAX_HOUSEHOLDS:
        raise ValidationError({"rows": _("At most %(n)s households at a time.") % {"n": MAX_HOUSEHOLDS}})
    taken = set(project.households.values_list("label", "kind", "name"))
    made, errors = [], []
    for line, row in enumerate(rows, start=1):
        label, name = (row.get("label") or "").strip(), (row.get("name") or "").strip()
        kind = row.get("kind") or HouseholdKind.OWNER
        try:
            if not label or not name or len(label) > 60 or len(name) > 60:
                raise ValidationError({"rows": _("Line %(line)s: give the property and the name (at most 60 "
                                                 "characters each).") % {"line": line}})  # fmt: skip
            if kind not in HouseholdKind.values:
                raise ValidationError({"rows": _("Line %(line)s: the kind is owner or tenant.") % {"line": line}})
            if (label, kind, name) in taken:
                raise ValidationError({"rows": _("Line %(line)s: %(label)s %(name)s is already listed.")
                                       % {"line": line, "label": label, "name": name}})  # fmt: skip
            phone = clean_phone(row.get("phone") or "", field="rows")
            area = _area(row.get("area"), line)
        except ValidationError as error:
            errors += error.message_dict["rows"]
            continue
        taken.add((label, kind, name))
        made.append(Household(project=project, label=label, kind=kind, name=name, phone=phone, area=area,
                              created_at=at))  # fmt: skip
    if errors:
        raise ValidationError({"rows": errors[:20]})
    Household.objects.bulk_create(made, batch_size=500)
    event_write(project, actor, "renewal.project.households", at, count=len(made))
    return made


@transaction.atomic
def households_sign(*, actor: User | None, project: Project, households: list[Household], signed_on: dt.date,
                    at=None) -> int:  # fmt: skip
    """Record the relocation agreements these households signed on `signed_on` (a date not in the
    future); a household signs once."""
    at, today = moment(at)
    access.require_officer(actor)
    if signed_on > today:
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})
    ids = [h.pk for h in households]
    found = Household.objects.select_for_update().filter(project=project, pk__in=ids)
    if found.count() != len(set(ids)):
        raise ValidationError({"households": _("Choose households of this project.")})
    if found.filter(signed_on__isnull=False).exists():
        raise ValidationError({"households": _("Some of these households have already signed.")})
    count = found.update(signed_on=signed_on, updated_at=at)
    signed, total = project.consent()
    event_write(project, actor, "renewal.project.signed", at, count=count, on=signed_on.isoformat(),
                rate=f"{signed}/{total}")  # fmt: skip
    return count


def consent_history(project: Project) -> list[tuple[dt.date, int, int]]:
    """(month's end, owners' households signed by then, owners' households), month by month from the
    first signing."""
    owners = list(project.households.filter(kind=HouseholdKind.OWNER).values_list("signed_on", flat=True))
    dates = sorted(d for d in owners if d is not None)
    if not dates:
        return []
    rows, month = [], dates[0].replace(day=1)
    last = dates[-1].replace(day=1)
    while month <= last:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        rows.append((following - dt.timedelta(days=1), sum(1 for d in dates if d < following), len(owners)))
        month = following
    return rows
