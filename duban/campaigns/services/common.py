"""What the report services share: who acted, the events they write, the route an event
records, plain-text checks, and a report's public address."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.campaigns.models import Chief, Report, ReportEvent
from duban.orgs.models import Unit, User

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript:|\x00", re.IGNORECASE)


def clean_text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    if _MARKUP.search(value):
        raise ValidationError({field: _("HTML and scripts are not allowed; write plain text.")})
    return value


def user_of(actor) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def build_event(
    report: Report, code: str, *, actor=None, from_state="", to_state="", note="", public_note="", data=None, at=None
):
    """An event; `note` is internal (staff pages), `public_note` the reply the public sees."""
    return ReportEvent(
        report=report,
        at=at or timezone.now(),
        actor=user_of(actor),
        code=code,
        from_state=from_state,
        to_state=to_state,
        note=note[:500],
        public_note=public_note[:500],
        data=data or {},
    )


def record_event(report: Report, code: str, **kwargs) -> ReportEvent:
    event = build_event(report, code, **kwargs)
    event.save()
    return event


def public_url(report: Report) -> str:
    return reverse("portal:problem_detail", args=[report.pk])


def route_data(unit: Unit | None, chief: Chief | None) -> dict:
    return {"unit": unit.name if unit else "", "chief": str(chief.person) if chief else ""}
