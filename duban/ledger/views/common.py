"""Helpers shared by the ledger's pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from duban.ledger import access
from duban.ledger.models import Item, Ledger


def _errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(item: Item, *, reopen: str = ""):
    """Back to the item's page; `reopen` names the action form to show open again (after a refusal)."""
    url = reverse("ledger:item_detail", args=[item.pk])
    return redirect(f"{url}?open={reopen}#action-{reopen}" if reopen else url)


def _office_ledgers(user):
    own = [ledger.pk for ledger in access.visible_ledgers(user) if access.acts_for_office(user, ledger)]
    return Ledger.objects.filter(pk__in=own, is_archived=False)
