"""Inbox notices (and mail) for whoever acts next on a mediation case or a release of supervised
funds; written once the step commits (`notify.after_commit`, which never tells the actor of their
own step)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.ledger.services import notify
from duban.orgs.models import Person, User
from duban.renewal.choices import BureauRole
from duban.renewal.models import BureauPost, MediationCase, Release


def holders(role: str) -> list[User]:
    """The active logins of whoever holds the bureau post `role`."""
    people = Person.objects.active().filter(pk__in=BureauPost.objects.filter(role=role).values("person_id"))
    return list(User.objects.filter(is_active=True, person__in=people))


def case_moved(case: MediationCase, code: str, actor) -> None:
    """Applied: the case officers accept it; accepted: its mediators preside; extended: its officer
    works to the new period."""
    if code == "applied":
        users, text = holders(BureauRole.OFFICER), _("Mediation case %(number)s (%(project)s) awaits acceptance.")
    elif code == "accept":
        people = Person.objects.active().filter(pk__in=case.mediators.values("pk"))
        users = list(User.objects.filter(is_active=True, person__in=people))
        text = _("Mediation case %(number)s (%(project)s) is accepted: you are one of its mediators.")
    elif code == "extend" and case.officer is not None:
        users = [case.officer]
        text = _("The mediation period of case %(number)s (%(project)s) is extended to %(date)s.")
    else:
        return
    params = {"number": case.number, "project": case.project.name,
              "date": case.ends_on.isoformat() if case.ends_on else ""}  # fmt: skip
    link = reverse("renewal:case_detail", args=[case.pk])
    notify.after_commit(users, None, f"renewal.case.{code}", text, link=link, params=params, actor=actor)


def release_moved(release: Release, code: str, actor) -> None:
    """Applied: the bureau head approves; referred: the district approves; approved: a case officer
    records the transfer; refused: the officers who applied for it."""
    awaits = _("Release %(number)s of %(amount)s yuan for %(project)s awaits your approval.")
    if code == "applied":
        users, text = holders(BureauRole.HEAD), awaits
    elif code == "refer":
        users, text = holders(BureauRole.DISTRICT), awaits
    elif code in ("approve", "endorse"):
        users = holders(BureauRole.OFFICER)
        text = _("Release %(number)s of %(amount)s yuan for %(project)s is approved: record the transfer.")
    elif code == "refuse":
        users = holders(BureauRole.OFFICER) + ([release.applied_by] if release.applied_by else [])
        text = _("Release %(number)s of %(amount)s yuan for %(project)s was refused: see the reason.")
    else:
        return
    account = release.account
    params = {"number": release.number, "amount": f"{release.amount:,.2f}", "project": account.project.name}
    link = reverse("renewal:account_detail", args=[account.pk]) + f"#release-{release.pk}"
    notify.after_commit(users, None, f"renewal.release.{code}", text, link=link, params=params, actor=actor)
