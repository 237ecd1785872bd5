"""The district template's versions: drafted by the public-works agency with the district's clauses as
parameters (key nodes with weights, reward per day early and penalty per day late with their caps,
the rating criteria), sent to the justice bureau's legality review, and issued — then frozen: a change
is a new version, and issuing it supersedes the one before."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from duban.contracts import access, notices
from duban.contracts.choices import EDITABLE_VERSION, VERSION_MOVES, VersionState
from duban.contracts.models import Template, TemplateVersion
from duban.contracts.services.events import event_write
from duban.core.history import save_with_history
from duban.core.workdays import moment
from duban.orgs.models import User

FIELDS = ("agreement", "general_terms", "special_terms", "reward_per_day", "penalty_per_day", "reward_cap_percent",
          "penalty_cap_percent", "criteria", "nodes")  # fmt: skip


@transaction.atomic
def template_add(*, actor: User | None, name: str, at=None) -> Template:
    """A new template of the library; its first version is drafted next."""
    at, _today = moment(at)
    access.require_agency(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the template a name.")})
    if Template.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A template with this name is already in the library.")})
    return Template.objects.create(name=name[:120], created_at=at)


def _weights(rows, field: str, label_at: int) -> list:
    """[[label…, weight], …] with labels and weights that add up to 100."""
    try:
        weights = [Decimal(str(row[-1])) for row in rows]
        if any(weight != weight.to_integral_value() for weight in weights):
            raise ValueError
        cleaned = [[*row[:-1], int(weight)] for row, weight in zip(rows, weights, strict=True)]
    except (InvalidOperation, TypeError, ValueError, IndexError):
        raise ValidationError({field: _("Give each entry a name and a whole-number weight.")}) from None
    labels = [str(row[label_at]).strip() for row in cleaned]
    if not cleaned or any(not label for label in labels) or len(set(labels)) != len(labels):
        raise ValidationError({field: _("Give each entry a name, once.")})
    if any(row[-1] <= 0 for row in cleaned) or sum(row[-1] for row in cleaned) != 100:
        raise ValidationError({field: _("The weights are positive and add up to 100.")})
    return cleaned


def _check(version: TemplateVersion) -> None:
    version.nodes = _weights(version.nodes, "nodes", 0)
    version.criteria = _weights(version.criteria, "criteria", 1)
    if "schedule" not in [row[0] for row in version.criteria]:
        raise ValidationError({"criteria": _("The rating includes schedule adherence (schedule).")})
    version.full_clean(exclude=["template"])


@transaction.atomic
def version_draft(*, actor: User | None, template: Template, at=None, **fields) -> TemplateVersion:
    """A new version of the template (the next number), from the fields given or, for those not
    given, from the newest version."""
    at, _today = moment(at)
    access.require_agency(actor)
    template = Template.objects.select_for_update().get(pk=template.pk)
    if template.versions.filter(state__in=EDITABLE_VERSION | {VersionState.REVIEW}).exists():
        raise ValidationError(_("A version of this template is already being drafted or reviewed."))
    newest = template.versions.order_by("-number").first()
    base = {name: getattr(newest, name) for name in FIELDS} if newest else {}
    number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = TemplateVersion(template=template, number=number, created_at=at, **{**base, **fields})
    _check(version)
    save_with_history(version, actor=actor, reason="contracts.version.created")
    event_write(actor, "contracts.version.created", at, version=version, after=version.state)
    return version


@transaction.atomic
def version_save(*, actor: User | None, version: TemplateVersion, at=None, **fields) -> TemplateVersion:
    """Change a version's text or clauses: only while drafted or returned; an issued one is frozen."""
    at, _today = moment(at)
    access.require_agency(actor)
    version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    if version.state not in EDITABLE_VERSION:
        raise ValidationError(_("Version %(n)s is %(state)s and cannot change: draft a new version.")
                              % {"n": version.number, "state": version.get_state_display()})  # fmt: skip
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(version, name, value)
    _check(version)
    save_with_history(version, actor=actor, reason="contracts.version.saved")
    event_write(actor, "contracts.version.saved", at, version=version, fields=sorted(fields))
    return version


def _may(actor, move) -> bool:
    if move.actor == "agency":
        return access.in_agency(actor)
    if move.actor == "justice":
        return access.in_justice(actor)
    return actor is None


@transaction.atomic
def version_step(*, actor: User | None, version: TemplateVersion, code: str, reason: str = "",
                 at=None) -> TemplateVersion:  # fmt: skip
    """Send for review, issue or return; issuing supersedes the version issued before."""
    at, _today = moment(at)
    version = TemplateVersion.objects.select_for_update().get(pk=version.pk)
    step = VERSION_MOVES.check(version.state, code, may=lambda m: _may(actor, m), reason=reason,
                               refusal=_("The agency sends a version for review; the justice bureau issues or "
                                         "returns it."))  # fmt: skip
    if code == "issue":
        for older in TemplateVersion.objects.select_for_update().filter(template=version.template,
                                                                        state=VersionState.ISSUED):  # fmt: skip
            version_step(actor=None, version=older, code="supersede", at=at)
        version.issued_at = at
    if code in ("return", "issue"):  # the opinion of the review that returned or passed it
        version.review_opinion = reason.strip()[:4000]
    before = version.state
    version.state = step.target
    save_with_history(version, actor=actor, reason=step.event)
    event_write(actor, step.event, at, version=version, before=before, after=version.state, reason=reason.strip())
    notices.version_moved(version, code, actor)
    return version
