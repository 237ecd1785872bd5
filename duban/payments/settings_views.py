"""The centre's settings page: time limits, posts, funds and the green list, checklists, and the
units whose green channel is suspended (lifted here with a reason), with the credit record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.forms import add_service_errors
from duban.payments import access, services
from duban.payments.forms import CentreSettingsForm, FundForm, GreenUnitForm, PostForm, ReasonForm
from duban.payments.models import (
    CentrePost,
    CentreSettings,
    CreditRecord,
    DocumentType,
    Fund,
    GreenUnit,
    RequestType,
    Suspension,
)


def _context(request, **forms) -> dict:
    centre = CentreSettings.current()
    return {
        "centre": centre,
        "settings_form": forms.get("settings") or CentreSettingsForm(instance=centre),
        "fund_form": forms.get("fund") or FundForm(),
        "green_form": forms.get("green") or GreenUnitForm(),
        "post_form": forms.get("post") or PostForm(),
        "posts": CentrePost.objects.select_related("person").order_by("role", "pk"),
        "funds": Fund.objects.select_related("unit").order_by("-year", "number")[:200],
        "green_units": GreenUnit.objects.select_related("unit").order_by("unit__sort_order", "unit__name"),
        "document_types": DocumentType.objects.all(),
        "request_types": RequestType.objects.prefetch_related("documents"),
        "suspensions": Suspension.objects.active().select_related("unit"),
        "credits": CreditRecord.objects.select_related("unit", "gap__request", "gap__document_type")[:100],
        "admin": access.administers(request.user),
    }


@login_required
def settings_page(request):
    access.require_overseer(request.user)
    return render(request, "payments/settings.html", _context(request))


FORMS = {"settings": CentreSettingsForm, "fund": FundForm, "green": GreenUnitForm, "post": PostForm}


@login_required
@require_POST
def setting_save(request, kind: str):
    access.require_admin(request.user)
    if kind not in FORMS:
        return redirect("payments:settings")
    instance = CentreSettings.current() if kind == "settings" else None
    form = FORMS[kind](request.POST, instance=instance) if instance is not None else FORMS[kind](request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        model = {"settings": CentreSettings, "fund": Fund, "green": GreenUnit, "post": CentrePost}[kind]
        try:
            if kind == "green" and GreenUnit.objects.filter(unit=data["unit"]).exists():
                raise ValidationError({"unit": _("This unit is already on the green list.")})
            if kind == "post" and CentrePost.objects.filter(**data).exists():
                raise ValidationError({"role": _("This person already holds this post.")})
            services.setting_save(actor=request.user, instance=instance or model(),
                                  reason=f"payments.{kind}.saved", **data)  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("payments:settings")
    return render(request, "payments/settings.html", _context(request, **{kind: form}), status=400)


@login_required
@require_POST
def setting_remove(request, kind: str, pk: int):
    access.require_admin(request.user)
    model = {"green": GreenUnit, "post": CentrePost}.get(kind)
    if model is None:
        return redirect("payments:settings")
    services.setting_remove(actor=request.user, instance=get_object_or_404(model, pk=pk),
                            reason=f"payments.{kind}.removed")  # fmt: skip
    messages.success(request, _("Removed."))
    return redirect("payments:settings")


@login_required
@require_POST
def checklist_load(request):
    access.require_admin(request.user)
    added = services.standard_checklist(actor=request.user)
    messages.success(request, _("%(n)s document and request types added.") % {"n": added})
    return redirect("payments:settings")


@login_required
@require_POST
def suspension_lift(request, pk: int):
    access.require_admin(request.user)
    suspension = get_object_or_404(Suspension, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the suspension is lifted."))
        return redirect("payments:settings")
    try:
        services.suspension_lift(actor=request.user, suspension=suspension, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The green channel of %(unit)s is restored.") % {"unit": suspension.unit})
    return redirect("payments:settings")
