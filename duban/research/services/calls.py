"""选题征集 and 立项审定: a year's call, the topics units propose (or take from the reform portfolio
or a resident's proposal), the review leading group's decision, and the topic guide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.core.numbering import next_value
from duban.core.workdays import moment
from duban.orgs.models import Person, Unit, User
from duban.research import access, notices
from duban.research.choices import CALL_MOVES, TOPIC_MOVES, CallState, Selection, TopicSource, TopicState
from duban.research.models import Decision, Project, ResearchSettings, Topic, TopicCall
from duban.research.services.events import event_write

# The records a topic may come from: a reform of the portfolio, a resident's proposal.
SOURCE_MODELS = {TopicSource.REFORM: ("reforms", "reform"), TopicSource.RESIDENT: ("reforms", "proposal")}


@transaction.atomic
def call_open(*, actor: User | None, year: int, title: str, closes_on: dt.date, guide_intro: str = "") -> TopicCall:
    if actor is not None:
        access.require_centre(actor)
    if TopicCall.objects.filter(year=year).exists():
        raise ValidationError({"year": _("This year's call is already open.")})
    call = TopicCall(year=year, title=title.strip(), closes_on=closes_on, guide_intro=guide_intro.strip())
    call.full_clean()
    save_with_history(call, actor=actor, reason="research.call.opened")
    return call


@transaction.atomic
def call_step(*, actor: User | None, call: TopicCall, code: str, at=None) -> TopicCall:
    """Close the call for the leading group's decision; publish the topic guide once topics are decided."""
    at, _today = moment(at)
    call = TopicCall.objects.select_for_update().get(pk=call.pk)
    CALL_MOVES.check(call.state, code, may=lambda m: actor is None or access.runs_research(actor),
                     refusal=_("Only the research centre does this."))  # fmt: skip
    if code == "publish":
        if call.topics.filter(state=TopicState.PROPOSED).exists():
            raise ValidationError(_("The leading group has not decided every topic yet."))
        if not call.topics.filter(state=TopicState.APPROVED).exists():
            raise ValidationError(_("No topic is approved: the guide would be empty."))
        call.published_at = at
    call.state = CALL_MOVES[code].target
    save_with_history(call, actor=actor, reason=CALL_MOVES[code].event)
    notices.call_moved(call, code, actor)
    return call


def source_of(source: str, record) -> tuple[ContentType | None, int | None, str]:
    if source == TopicSource.UNIT:
        return None, None, ""
    if record is None:
        raise ValidationError({"source": _("Name the reform or the proposal the topic comes from.")})
    content_type = ContentType.objects.get_for_model(record)
    if (content_type.app_label, content_type.model) != SOURCE_MODELS[source]:
        raise ValidationError({"source": _("This record cannot be the source of a topic.")})
    return content_type, record.pk, str(record)[:250]


@transaction.atomic
def topic_propose(
    *, actor: User, call: TopicCall, unit: Unit, title: str, why: str, questions: str, expected_use: str,
    budget, source: str = TopicSource.UNIT, source_record=None, at=None,
) -> Topic:  # fmt: skip
    """A unit proposes a topic while the call is open."""
    at, today = moment(at)
    if not access.acts_for(actor, unit):
        raise PermissionDenied(_("You propose topics for your own unit."))
    call = TopicCall.objects.select_for_update().get(pk=call.pk)
    if call.state != CallState.OPEN or today > call.closes_on:
        raise ValidationError(_("The call for topics is closed."))
    source_type, source_id, label = source_of(source, source_record)
    topic = Topic(call=call, unit=unit, proposer=actor, title=title.strip(), why=why.strip(),
                  questions=questions.strip(), expected_use=expected_use.strip(), budget=budget, source=source,
                  source_type=source_type, source_id=source_id, source_label=label, created_at=at)  # fmt: skip
    topic.full_clean()
    save_with_history(topic, actor=actor, reason="research.topic.proposed")
    return topic


@transaction.atomic
def topic_withdraw(*, actor: User, topic: Topic, reason: str) -> Topic:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    TOPIC_MOVES.check(topic.state, "withdraw", may=lambda m: access.acts_for(actor, topic.unit),
                      refusal=_("Only the proposing unit withdraws its topic."), reason=reason)  # fmt: skip
    topic.state = TopicState.WITHDRAWN
    save_with_history(topic, actor=actor, reason="research.topic.withdrawn")
    return topic


@transaction.atomic
def decision_record(
    *, actor: User | None, call: TopicCall, held_on: dt.date, present: list[Person], approved: dict,
    declined: dict, minutes: str = "", at=None,
) -> Decision:  # fmt: skip
    """立项审定: the leading group decides topics of a closed call. `approved`: {topic: (kind, cap)};
    `declined`: {topic: reason}. More than half the group must be present; a cap is at most what
    the topic asked for; every approved topic becomes a project, awarded by open call unless the
    centre decides otherwise."""
    at, today = moment(at)
    if actor is not None:
        access.require_group(actor)
    call = TopicCall.objects.select_for_update().get(pk=call.pk)
    if call.state != CallState.DECIDING:
        raise ValidationError(_("Topics are decided once the call is closed."))
    group = set(ResearchSettings.current().group.values_list("pk", flat=True))
    there = {person.pk for person in present}
    if not group or len(there & group) * 2 <= len(group):
        raise ValidationError({"present": _("More than half of the leading group must be present to decide.")})
    if held_on > today:
        raise ValidationError({"held_on": _("The meeting date cannot be in the future.")})
    if not approved and not declined:
        raise ValidationError(_("Decide at least one topic."))
    decision = Decision.objects.create(call=call, held_on=held_on, minutes=minutes.strip(), recorded_by=actor,
                                       created_at=at)  # fmt: skip
    decision.present.set(present)
    for topic, (kind, cap) in approved.items():
        _decide(topic, "approve", decision, actor, kind=kind, cap=Decimal(cap))
    for topic, reason in declined.items():
        _decide(topic, "decline", decision, actor, reason=reason)
    notices.topics_decided(decision, actor)
    return decision


def _decide(topic: Topic, code: str, decision: Decision, actor, *, kind: str = "", cap=None, reason=None) -> None:
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.call_id != decision.call_id:
        raise ValidationError(_("A topic of another call cannot be decided here."))
    TOPIC_MOVES.check(topic.state, code, reason=reason)
    topic.state, topic.decision = TOPIC_MOVES[code].target, decision
    if code == "approve":
        if cap is None or cap <= 0 or cap > topic.budget:
            raise ValidationError(
                {"budget_cap": _("The cap of “%(title)s” is more than zero and at most the %(budget)s yuan asked.")
                 % {"title": topic.title, "budget": topic.budget}}
            )  # fmt: skip
        topic.kind, topic.budget_cap = kind, cap
    topic.full_clean()
    save_with_history(topic, actor=actor, reason=TOPIC_MOVES[code].event)
    if code == "approve":
        year = decision.call.year
        project = Project(number=f"罗研{year}-{next_value(f'research.project.{year}'):03d}", topic=topic,
                          title=topic.title, kind=kind, budget_cap=cap, selection=Selection.OPEN)  # fmt: skip
        project.full_clean()
        save_with_history(project, actor=actor, reason="research.project.created")
        event_write(project, actor, "research.project.created", decision.created_at, after=project.state,
                    kind=kind, budget_cap=str(cap))  # fmt: skip


def guide(call: TopicCall) -> list[Topic]:
    """课题指南: the approved topics of a call, key first."""
    order = {"key": 0, "special": 1, "general": 2}
    topics = call.topics.filter(state=TopicState.APPROVED).select_related("unit", "project")
    return sorted(topics, key=lambda t: (order.get(t.kind, 3), t.pk))
