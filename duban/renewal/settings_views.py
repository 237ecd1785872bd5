"""The bureau's settings page: the mediation procedure's time limits, the consent threshold, the
district's approval threshold for releases, and who holds which post."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.forms import add_service_errors
from duban.renewal import access, services
from duban.renewal.forms import PostForm, SettingsForm
from duban.renewal.models import BureauPost, RenewalSettings


@login_required
def settings_page(request):
    if not access.administers(request.user):
        raise PermissionDenied(_("Only the bureau head and the office administrators do this."))
    settings_form = SettingsForm(instance=RenewalSettings.current())
    post_form = PostForm()
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        form = SettingsForm(request.POST, instance=RenewalSettings.current()) if kind == "settings" else PostForm(
            request.POST)  # fmt: skip
        if form.is_valid():
            try:
                if kind == "settings":
                    services.settings_save(actor=request.user, **form.cleaned_data)
                else:
                    services.post_add(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("renewal:settings")
        status = 400
        settings_form, post_form = (form, post_form) if kind == "settings" else (settings_form, form)
    context = {"settings_form": settings_form, "post_form": post_form,
               "posts": BureauPost.objects.select_related("person").order_by("role", "person__name")}  # fmt: skip
    return render(request, "renewal/settings.html", context, status=status)


@login_required
@require_POST
def post_remove(request, pk: int):
    services.post_remove(actor=request.user, post=get_object_or_404(BureauPost, pk=pk))
    messages.success(request, _("Removed."))
    return redirect("renewal:settings")
