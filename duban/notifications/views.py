"""A person's own page: how they want to be notified, and what was sent to them lately."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from duban.core.views import submitted
from duban.notifications import services
from duban.notifications.forms import PreferenceForm
from duban.notifications.models import Delivery

RECENT = 30


@login_required
def preferences(request):
    preference = services.preference_of(request.user)
    initial = {name: getattr(preference, name) for name in PreferenceForm.base_fields}
    form = PreferenceForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST":

        def save(data):
            return services.preference_save(actor=request.user, user=request.user, data=data)

        done = submitted(request, form, save, _("Saved: you will be notified as chosen."), "notifications:preferences")
        if done:
            return done
    recent = (
        Delivery.objects.filter(user=request.user).select_related("notification").prefetch_related("tries")[:RECENT]
    )
    context = {"form": form, "recent": recent}
    return render(request, "notifications/preferences.html", context, status=400 if form.errors else 200)
