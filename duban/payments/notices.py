"""Inbox notices (and mail) for whoever acts next on a payment request or on a document accepted as
missing; written once the step commits (`notify.after_commit`, which never tells the actor of their
own step). Preparing a request tells nobody: it stays with its unit until submitted."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.ledger.services import notify
from duban.orgs.models import Person, Unit, User
from duban.payments.choices import CentreRole
from duban.payments.models import CentrePost, Gap, PaymentRequest


def holders(role: str) -> list[User]:
    """The active logins of whoever holds the centre post `role`."""
    people = Person.objects.active().filter(pk__in=CentrePost.objects.filter(role=role).values("person_id"))
    return list(User.objects.filter(is_active=True, person__in=people))


def responsible(unit: Unit) -> list[User]:
    """Who signs for the unit: its heads, or those of the nearest unit above it that has some."""
    for above in reversed(list(Unit.objects.ancestors_of(unit))):
        if heads := notify.unit_heads(above):
            return heads
    return []


def _requesting(request: PaymentRequest) -> list[User]:
    return [*notify.unit_users(request.unit), request.preparer]


def _send(request: PaymentRequest, users, kind: str, text, params: dict, actor) -> None:
    link = reverse("payments:request_detail", args=[request.pk])
    notify.after_commit(users, None, kind, text, link=link, params=params, actor=actor)


def request_moved(request: PaymentRequest, code: str, actor) -> None:
    """Submitted: the clerks pre-check it; accepted: the reviewers; reviewed: the approvers; approved:
    the cashiers; documents to follow: the unit's responsible person signs the commitment letter;
    returned or refused: the requesting unit; paid: whoever prepared it."""
    to_review = _("Payment request %(number)s (%(project)s) awaits your review.")
    if code == "submit":
        users, text = holders(CentreRole.CLERK), _("Payment request %(number)s (%(project)s) awaits your pre-check.")
    elif code in ("accept", "commit"):
        users, text = holders(CentreRole.REVIEWER), to_review
    elif code == "defer":
        users = responsible(request.unit)
        text = _("Payment request %(number)s (%(project)s) is accepted with documents to follow: sign the "
                 "commitment letter.")  # fmt: skip
    elif code == "review":
        users, text = holders(CentreRole.APPROVER), _("Payment request %(number)s (%(project)s) awaits your approval.")
    elif code == "approve":
        users, text = holders(CentreRole.CASHIER), _("Payment request %(number)s (%(project)s) is approved: record "
                                                      "the payment.")  # fmt: skip
    elif code == "return":
        users = _requesting(request)
        text = _("Payment request %(number)s (%(project)s) was returned to your unit: see the reason.")
    elif code == "refuse":
        users, text = _requesting(request), _("Payment request %(number)s (%(project)s) was refused: see the reason.")
    elif code == "pay":
        users, text = [request.preparer], _("Payment request %(number)s (%(project)s) is paid.")
    else:
        return
    params = {"number": request.number, "project": request.project}
    _send(request, users, f"payments.request.{code}", text, params, actor)


def gap_moved(gap: Gap, code: str, actor) -> None:
    """Supplied: the clerks confirm it; returned as not good enough: the requesting unit supplies it
    again."""
    request = gap.request
    if code == "supply":
        users, text = holders(CentreRole.CLERK), _("%(document)s for payment request %(number)s is supplied: confirm "
                                                    "it.")  # fmt: skip
    elif code == "reject":
        users = _requesting(request)
        text = _("%(document)s for payment request %(number)s will not do: supply it again.")
    else:
        return
    params = {"document": gap.document_type.name, "number": request.number}
    _send(request, users, f"payments.gap.{code}", text, params, actor)
