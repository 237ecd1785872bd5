"""The platform administrator's pages: cars, drivers, the units' monthly quotas, the tariffs and who
approves and dispatches. Every change goes through `services.setting_save`, with its history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.forms import add_service_errors
from duban.core.views import form_page
from duban.fleet import access, services
from duban.fleet.forms import DriverForm, QuotaForm, TariffForm, VehicleForm
from duban.fleet.models import Driver, FleetRole, Quota, Tariff, Vehicle
from duban.orgs.pickers import PersonPicker, UnitPicker


class RoleForm(forms.ModelForm):
    class Meta:
        model = FleetRole
        fields = ["person", "role", "unit"]
        widgets = {"person": PersonPicker, "unit": UnitPicker}
        help_texts = {"unit": gettext_lazy("For a unit approver: the unit whose requests they approve.")}


# kind in the URL → (model, form, the event written, what the page calls one)
KINDS = {
    "car": (Vehicle, VehicleForm, "fleet.vehicle.saved", gettext_lazy("car")),
    "driver": (Driver, DriverForm, "fleet.driver.saved", gettext_lazy("driver")),
    "quota": (Quota, QuotaForm, "fleet.quota.saved", gettext_lazy("monthly quota")),
    "tariff": (Tariff, TariffForm, "fleet.tariff.saved", gettext_lazy("tariff")),
    "role": (FleetRole, RoleForm, "fleet.role.saved", gettext_lazy("platform role")),
}


@login_required
def settings_page(request):
    access.require_platform_admin(request.user)
    context = {
        "drivers": Driver.objects.select_related("person").order_by("person__name"),
        "quotas": Quota.objects.select_related("unit").order_by("unit__sort_order", "unit__name"),
        "tariffs": Tariff.objects.order_by("vehicle_type"),
        "roles": FleetRole.objects.select_related("person", "unit").order_by("role", "person__name"),
        "tab": "settings",
    }
    return render(request, "fleet/settings.html", context)


@login_required
def setting_edit(request, kind: str, pk: int | None = None):
    access.require_platform_admin(request.user)
    if kind not in KINDS:
        raise Http404
    model, form_class, event, noun = KINDS[kind]
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance)
    back = reverse("fleet:vehicle_list") if kind == "car" else reverse("fleet:settings")
    if request.method == "POST" and form.is_valid():
        try:
            services.setting_save(actor=request.user, instance=instance or model(), reason=event, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(back)
    title = (_("Edit the %(noun)s") if instance else _("Add a %(noun)s")) % {"noun": noun}
    return form_page(request, form, title=title, back_url=back)


@login_required
@require_POST
def role_remove(request, pk: int):
    access.require_platform_admin(request.user)
    services.role_remove(actor=request.user, role=get_object_or_404(FleetRole, pk=pk))
    messages.success(request, _("Removed."))
    return redirect("fleet:settings")
