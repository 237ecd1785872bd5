"""Inbox notices (and mail) for the office that verifies a rule action or a rule review once the unit
has submitted it: submitting a ledger item tells nobody, so the unit's last step does, once it
commits (`notify.after_commit`, which never tells the actor of their own step)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.ledger.models import Item
from duban.ledger.services import notify
from duban.rules.choices import ReviewDecision
from duban.rules.models import RuleAction, RuleReview


def _to_verify(item: Item, kind: str, text, params: dict, actor) -> None:
    notify.after_commit(notify.unit_users(item.ledger.owner_unit), item, kind, text,
                        link=reverse("ledger:item_detail", args=[item.pk]), params=params, actor=actor)  # fmt: skip


def action_moved(action: RuleAction, code: str, actor) -> None:
    """Published: the ledger's office verifies it."""
    item = action.item
    if code != "publish" or item is None:
        return
    text = _("%(unit)s published “%(title)s” (%(number)s): verify it.")
    params = {"unit": action.plan.unit.name, "title": action.title, "number": action.document_number}
    _to_verify(item, "rules.action.publish", text, params, actor)


def review_decided(review: RuleReview, actor) -> None:
    """Decided: the ledger's office verifies the conclusion."""
    item = review.item
    if item is None:
        return
    rule = review.rule
    text = _("%(unit)s concluded its review of “%(title)s”: %(decision)s; verify it.")
    params = {"unit": rule.issuing_unit.name, "title": rule.title, "decision": ReviewDecision(review.decision).label}
    _to_verify(item, "rules.review.decide", text, params, actor)
