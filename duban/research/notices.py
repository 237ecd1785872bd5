"""Inbox notices (and mail) for whoever acts next in commissioned research, or whose topic, bid or
project a step decides; written once the step commits (`notify.after_commit`, which never tells
the actor of their own step)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.ledger.services import notify
from duban.orgs.models import Person, Unit, User
from duban.research.choices import BidState, Grade, ProjectState, Selection, Stage, TopicState
from duban.research.models import Decision, Panel, Project, ResearchSettings, TopicCall


def _of_bodies(bodies) -> list[User]:
    return [user for body in bodies for user in notify.body_users(body)]


def _project(project: Project, **more) -> dict:
    return {"number": project.number, "title": project.title, **more}


def call_moved(call: TopicCall, code: str, actor) -> None:
    """Closed: the review leading group decides its topics."""
    if code != "close":
        return
    people = Person.objects.active().filter(pk__in=ResearchSettings.current().group.values("pk"))
    users = list(User.objects.filter(is_active=True, person__in=people))
    text = _("The call “%(title)s” is closed: its topics await the leading group's decision.")
    notify.after_commit(users, None, "research.call.close", text, link=reverse("research:call_detail", args=[call.pk]),
                        params={"title": call.title}, actor=actor)  # fmt: skip


def topics_decided(decision: Decision, actor) -> None:
    """Whoever proposed a topic learns whether it is approved."""
    link = reverse("research:call_detail", args=[decision.call_id])
    for topic in decision.topics.select_related("proposer"):
        if topic.state == TopicState.APPROVED:
            code, text = "approved", _("Your topic “%(title)s” is approved as a project.")
        else:
            code, text = "declined", _("Your topic “%(title)s” is not approved: see the reason.")
        notify.after_commit([topic.proposer], None, f"research.topic.{code}", text, link=link,
                            params={"title": topic.title}, actor=actor)  # fmt: skip


def project_set_up(project: Project, actor) -> None:
    """Invited or directly commissioned: the bodies named may bid."""
    if project.selection == Selection.OPEN:
        return
    text = _("%(number)s “%(title)s”: your body is invited to bid.")
    if project.selection == Selection.DIRECT:
        text = _("%(number)s “%(title)s” is to be commissioned directly from your body: submit your proposal.")
    notify.after_commit(_of_bodies(project.invited.all()), None, f"research.project.{project.selection}", text,
                        link=reverse("research:project_detail", args=[project.pk]), params=_project(project),
                        actor=actor)  # fmt: skip


def panel_opened(panel: Panel, actor) -> None:
    """The panel's experts score."""
    users = [member.user for member in panel.members.select_related("user")]
    text = _("%(number)s “%(title)s”: you are on the panel of its %(stage)s; your scores are awaited.")
    notify.after_commit(users, None, "research.panel.opened", text,
                        link=reverse("research:panel_detail", args=[panel.pk]),
                        params=_project(panel.project, stage=Stage(panel.stage).label), actor=actor)  # fmt: skip


def project_chosen(project: Project, actor) -> None:
    """The body chosen, and each body whose bid was not."""
    link, params = reverse("research:project_detail", args=[project.pk]), _project(project)
    text = _("%(number)s “%(title)s”: your body is chosen to do the research.")
    notify.after_commit(notify.body_users(project.contractor), None, "research.bid.chosen", text, link=link,
                        params=params, actor=actor)  # fmt: skip
    others = Unit.objects.filter(pk__in=project.bids.filter(state=BidState.NOT_CHOSEN).values("applicant_id"))
    text = _("%(number)s “%(title)s”: another body's bid was chosen.")
    notify.after_commit(_of_bodies(others), None, "research.bid.not_chosen", text, link=link, params=params,
                        actor=actor)  # fmt: skip


def review_published(panel: Panel, actor) -> None:
    """A review graded 不合格: the contractor revises its deliverable (or learns the research is not
    accepted after its revision)."""
    if panel.stage == Stage.SELECTION or panel.grade != Grade.FAIL:
        return
    project = Project.objects.select_related("contractor").get(pk=panel.project_id)
    if project.contractor is None:
        return
    if project.state == ProjectState.FAILED:
        code, text = "failed", _("%(number)s “%(title)s”: the %(stage)s failed again; the research is not accepted.")
    else:
        code, text = "returned", _("%(number)s “%(title)s”: the %(stage)s failed; revise and deliver it again.")
    notify.after_commit(notify.body_users(project.contractor), None, f"research.review.{code}", text,
                        link=reverse("research:project_detail", args=[project.pk]),
                        params=_project(project, stage=Stage(panel.stage).label), actor=actor)  # fmt: skip
