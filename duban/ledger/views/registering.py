"""Registering an item and editing its details."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.core.forms import add_service_errors
from duban.core.views import form_page
from duban.ledger import access
from duban.ledger.choices import ItemState
from duban.ledger.forms import ItemForm
from duban.ledger.models import Item, Ledger
from duban.ledger.services.items import item_create, item_update
from duban.ledger.views.common import _back, _office_ledgers


@login_required
def item_new(request):
    ledger_qs = _office_ledgers(request.user)
    if not ledger_qs.exists():
        raise PermissionDenied(_("Only the supervising office registers items in its ledgers."))
    form = ItemForm(request.POST or None, ledgers=ledger_qs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        co_units = [(unit, "") for unit in data.pop("co_units")]
        try:
            item = item_create(actor=request.user, co_units=co_units, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Item %(number)s registered as a draft.") % {"number": item.number})
            return redirect("ledger:item_detail", pk=item.pk)
    return form_page(
        request, form, title=_("Register an item"), back_url=reverse("ledger:item_list"), submit_label=_("Register")
    )


@login_required
def item_edit(request, pk: int):
    item = access.get_item_for_user(request.user, pk)
    if not access.acts_for_office(request.user, item.ledger):
        raise PermissionDenied(_("Only the supervising office edits items."))
    form = ItemForm(
        request.POST or None, instance=Item.objects.get(pk=item.pk), ledgers=Ledger.objects.filter(pk=item.ledger_id)
    )
    for name in ("ledger", "parent", "co_units"):
        form.fields[name].disabled = True
    if item.state != ItemState.DRAFT:
        for name in ("lead_unit", "deadline", "deadline_working_days"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            item_update(actor=request.user, item=item, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _back(item)
    title = _("Edit %(number)s") % {"number": item.number}
    return form_page(request, form, title=title, back_url=reverse("ledger:item_detail", args=[item.pk]))
