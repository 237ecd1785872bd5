"""Sign-in for residents with a one-time code; officials use the password form at /accounts/login/."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from duban.core import throttle
from duban.core.forms import add_service_errors
from duban.orgs.forms import CodeForm, DestinationForm
from duban.orgs.verification import verification_confirm, verification_request

# Failed staff sign-ins one client address may make in a window, whatever the usernames (django-axes
# locks a username tried from one address; this stops one address trying many usernames).
ADDRESS_FAILURES = (900, 20)


class StaffLoginView(LoginView):
    """Django's password sign-in. Django puts the current site's name in `site_name` (without the
    sites framework, the host name); dropping it lets the page carry the platform's name."""

    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        window, limit = ADDRESS_FAILURES
        if throttle.hits(f"login-failures:{throttle.client_address(request)}", window) >= limit:
            return render(request, "registration/locked_out.html", {"from_this_connection": True}, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        window, limit = ADDRESS_FAILURES
        throttle.allow(f"login-failures:{throttle.client_address(self.request)}", limit, window)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.pop("site_name", None)
        context.pop("site", None)
        return context


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def resident_login(request):
    """Step 1 asks for a phone or email and sends a code; step 2 checks the code and signs in."""
    next_url = _safe_next(request)
    step = request.POST.get("step", "destination")
    posted = request.method == "POST"
    destination_form = DestinationForm(request.POST if posted and step == "destination" else None)
    code_form = None
    if posted and step == "destination" and destination_form.is_valid():
        try:
            verification_request(
                destination=destination_form.cleaned_data["destination"], client=throttle.client_address(request)
            )
        except ValidationError as error:
            add_service_errors(destination_form, error)
        else:
            messages.info(request, _("A verification code has been sent. It is valid for a few minutes."))
            code_form = CodeForm(initial={"destination": destination_form.cleaned_data["destination"]})
    elif posted and step == "code":
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            try:
                user = verification_confirm(
                    destination=code_form.cleaned_data["destination"], code=code_form.cleaned_data["code"]
                )
            except ValidationError as error:
                add_service_errors(code_form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("You are signed in."))
                return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    context = {"destination_form": destination_form, "code_form": code_form, "next": next_url}
    return render(request, "registration/resident_login.html", context)
