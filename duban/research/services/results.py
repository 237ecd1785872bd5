"""成果共享: an accepted project's report in the results library (internal or public, searchable),
leaders' instructions on it, and its adoption into a reform, a rule or a decision, recorded as links
so that "results adopted" is counted, not typed."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from duban.core.documents import read_document
from duban.core.workdays import moment
from duban.orgs.models import Person, User
from duban.research import access
from duban.research.choices import AdoptionKind, ProjectState, Visibility
from duban.research.models import Adoption, Instruction, Project, Result
from duban.research.services.events import event_write

# What a result may be adopted into, besides a decision named by its document number.
TARGETS = {AdoptionKind.REFORM: ("reforms", "reform"), AdoptionKind.RULE: ("rules", "rule")}


@transaction.atomic
def result_share(*, actor: User | None, project: Project, title: str, abstract: str, upload,
                 visibility: str = Visibility.INTERNAL, at=None) -> Result:  # fmt: skip
    """An accepted project's report goes into the library; its text is taken out for search."""
    at, _today = moment(at)
    if actor is not None:
        access.require_centre(actor)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.state != ProjectState.ACCEPTED:
        raise ValidationError(_("Only an accepted project's report goes into the library."))
    if Result.objects.filter(project=project).exists():
        raise ValidationError(_("This project's report is already in the library."))
    document = read_document(upload)
    result = Result(project=project, title=title.strip(), abstract=abstract.strip(), file=document.content,
                    file_name=document.name, text=document.text, visibility=visibility, published_at=at,
                    created_at=at)  # fmt: skip
    result.full_clean()
    result.save()
    event_write(project, actor, "research.result.shared", at, visibility=visibility)
    return result


@transaction.atomic
def instruction_add(*, actor: User | None, result: Result, leader: Person, text: str, given_on: dt.date,
                    at=None) -> Instruction:  # fmt: skip
    at, today = moment(at)
    if actor is not None:
        access.require_centre(actor)
    if not text.strip():
        raise ValidationError({"text": _("Write the instruction.")})
    if given_on > today:
        raise ValidationError({"given_on": _("The date cannot be in the future.")})
    if not leader.portfolios.current().exists():
        raise ValidationError({"leader": _("Instructions are recorded for district leaders.")})
    found = Instruction.objects.create(result=result, leader=leader, text=text.strip(), given_on=given_on,
                                       recorded_by=actor, created_at=at)  # fmt: skip
    event_write(result.project, actor, "research.result.instruction", at, leader=leader.name)
    return found


@transaction.atomic
def adoption_add(*, actor: User | None, result: Result, kind: str, adopted_on: dt.date, target=None,
                 title: str = "", document_number: str = "", at=None) -> Adoption:  # fmt: skip
    """A result adopted into a reform or a rule (the record itself) or a decision (its title and
    document number)."""
    at, today = moment(at)
    if actor is not None:
        access.require_centre(actor)
    if adopted_on > today:
        raise ValidationError({"adopted_on": _("The date cannot be in the future.")})
    if adopted_on < result.published_at.date():
        raise ValidationError({"adopted_on": _("A result is adopted after it is shared.")})
    adoption = Adoption(result=result, kind=kind, adopted_on=adopted_on, recorded_by=actor, created_at=at)
    if kind == AdoptionKind.DECISION:
        if not title.strip() or not document_number.strip():
            raise ValidationError(_("Give the decision's title and document number."))
        adoption.label, adoption.document_number = title.strip()[:250], document_number.strip()
    else:
        if target is None:
            raise ValidationError({"target": _("Name the reform or the rule the result was adopted into.")})
        content_type = ContentType.objects.get_for_model(target)
        if (content_type.app_label, content_type.model) != TARGETS.get(kind):
            raise ValidationError({"target": _("This record cannot be adopted into as chosen.")})
        adoption.target_type, adoption.target_id, adoption.label = content_type, target.pk, str(target)[:250]
    adoption.full_clean()
    try:
        with transaction.atomic():
            adoption.save()
    except IntegrityError:
        raise ValidationError(_("This adoption is already recorded.")) from None
    event_write(result.project, actor, "research.result.adopted", at, kind=kind, label=adoption.label)
    return adoption
