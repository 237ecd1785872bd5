"""The ledgers: the list, opening and editing one, and its year-end carry-over."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.core.forms import add_service_errors
from duban.core.views import form_page
from duban.ledger import access
from duban.ledger.choices import ItemState
from duban.ledger.forms import CarryOverForm, LedgerForm
from duban.ledger.models import ImportMapping, Ledger
from duban.ledger.services import ledgers as ledger_services
from duban.ledger.services import yearend
from duban.orgs import access as org_access
from duban.orgs.models import Unit


@login_required
def ledger_list(request):
    org_access.require_official(request.user)
    ledgers = (
        access.visible_ledgers(request.user)
        .distinct()
        .select_related("owner_unit")
        .annotate(count=Count("items", distinct=True))
    )
    ledgers = list(ledgers.order_by("-year", "name"))
    laid_out = set(ImportMapping.objects.exclude(headers=[]).values_list("ledger_id", flat=True))
    for ledger in ledgers:
        ledger.manages = access.acts_for_office(request.user, ledger)  # settings and carry-over
        ledger.own_layout = ledger.manages and ledger.pk in laid_out
    context = {"ledgers": ledgers, "can_create": _ledger_owners(request.user).exists()}
    return render(request, "ledger/ledger_list.html", context)


def _ledger_owners(user):
    """The offices the user may open a ledger for, as `ledger_create` checks: any for office
    admins, their own units and those below for everyone else (seeing the whole district, as
    supervisors and district leaders do, is not running an office)."""
    if org_access.is_office_admin(user):
        units = Unit.objects.all()
    else:
        units = Unit.objects.subtrees(org_access.scope_roots(user))
    return units.active().exclude(kind__in=["community", "compound", "grid", "external"])


@login_required
def ledger_edit(request, pk: int | None = None):
    ledger = access.get_ledger_for_user(request.user, pk, manage=True) if pk else None
    owners = _ledger_owners(request.user)
    if ledger is None and not owners.exists():
        raise PermissionDenied(_("You can only open ledgers for your own office."))
    if ledger is not None:  # its office stays a choice for whoever may change its settings
        owners = Unit.objects.filter(Q(pk__in=owners.values("pk")) | Q(pk=ledger.owner_unit_id))
    form = LedgerForm(request.POST or None, instance=Ledger.objects.get(pk=pk) if pk else None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "light_policy": form.light_policy()}
        try:
            if ledger is None:
                ledger = ledger_services.ledger_create(actor=request.user, **data)
            else:
                ledger_services.ledger_update(actor=request.user, ledger=ledger, data=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ledger saved."))
            return redirect("ledger:ledger_list")
    title = _("Settings of %(name)s") % {"name": ledger.name} if ledger else _("Open a ledger")
    return form_page(request, form, title=title, back_url=reverse("ledger:ledger_list"))


@login_required
def ledger_carry_over(request, pk: int):
    """年末结转: what will be carried (every open item, its tree kept), then one confirmed action."""
    ledger = access.get_ledger_for_user(request.user, pk, manage=True)
    plan = yearend.carry_over_plan(ledger)
    year = ledger.year + 1
    form = CarryOverForm(request.POST or None, initial={"year": year, "deadline": dt.date(year, 12, 31)})
    if request.method == "POST" and form.is_valid():
        try:
            carried = yearend.ledger_carry_over(
                actor=request.user,
                ledger=ledger,
                year=form.cleaned_data["year"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(count)s unfinished items carried over.") % {"count": len(carried)})
            successor = carried[0].ledger_id if carried else ledger.pk
            return redirect(reverse("ledger:item_list") + f"?ledger={successor}")
    context = {
        "ledger": ledger,
        "plan": plan,
        "under_review": ledger.items.filter(state=ItemState.SUBMITTED).select_related("lead_unit").order_by("seq"),
        "form": form,
    }
    return render(request, "ledger/carry_over.html", context, status=400 if form.is_bound else 200)
