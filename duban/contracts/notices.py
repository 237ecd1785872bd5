"""Inbox notices (and mail) for whoever acts next on a template version or a rating; written once
the step commits (`notify.after_commit`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.contracts.models import ContractsSettings, Rating, TemplateVersion
from duban.ledger.services import notify


def version_moved(version: TemplateVersion, code: str, actor) -> None:
    """Sent for review: the justice bureau; issued or returned: the agency."""
    place = ContractsSettings.current()
    unit = place.justice if code == "submit" else place.agency
    texts = {
        "submit": _("Template “%(template)s” version %(n)s awaits your legality review."),
        "issue": _("Template “%(template)s” version %(n)s passed the legality review and is issued."),
        "return": _("Template “%(template)s” version %(n)s was returned by the legality review: see its opinion."),
    }
    if unit is None or code not in texts:
        return
    link = reverse("contracts:template_detail", args=[version.template_id])
    notify.after_commit(notify.unit_users(unit), None, f"contracts.version.{code}", texts[code], link=link,
                        params={"template": version.template.name, "n": version.number}, actor=actor)  # fmt: skip


def rating_moved(rating: Rating, step: str, actor) -> None:
    """Scored: the owner's heads approve it; approved: the contractor may answer; answered: the owner reads."""
    contract = rating.contract
    quarter = {"contract": contract.number, "year": rating.year, "quarter": rating.quarter}
    if step == "recorded":
        users, text = notify.unit_heads(contract.owner), _("%(contract)s: the rating of %(year)s Q%(quarter)s awaits "
                                                            "your approval.")  # fmt: skip
    elif step == "approved":
        users = notify.body_users(contract.contractor.unit) if contract.contractor.unit else []
        text = _("%(contract)s: the rating of %(year)s Q%(quarter)s is approved; you may answer it.")
    else:
        users, text = notify.unit_users(contract.owner), _("%(contract)s: the contractor answered the rating of "
                                                            "%(year)s Q%(quarter)s.")  # fmt: skip
    link = reverse("contracts:contract_detail", args=[contract.pk])
    notify.after_commit(users, None, f"contracts.rating.{step}", text, link=link, params=quarter, actor=actor)
