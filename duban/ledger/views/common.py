"""Helpers shared by the ledger's pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from duban.ledger import access
from duban.ledger.models import Item, Ledger


def _errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _back(item: Item):
    return redirect("ledger:item_detail", pk=item.pk)


def _office_ledgers(user):
    own = [ledger.pk for ledger in access.visible_ledgers(user) if access.acts_for_office(user, ledger)]
    return Ledger.objects.filter(pk__in=own, is_archived=False)
