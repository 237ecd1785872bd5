from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from duban.core.forms import add_service_errors


def form_page(request, form, *, title: str, back_url: str, submit_label: str = "", intro: str = ""):
    """The one page every simple create/edit form uses; a bound form that reaches here is invalid (400)."""
    context = {
        "form": form,
        "title": title,
        "back_url": back_url,
        "submit_label": submit_label or _("Save"),
        "intro": intro,
    }
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)


def submitted(request, form, write, message, done):
    """Run `write(cleaned_data)` for a valid form, a service's refusal shown on the form: on success
    `message` (or `message(result)`) and the redirect to `done` (or `done(result)`), else None (the
    caller shows the form again)."""
    if form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message(result) if callable(message) else message)
            return redirect(done(result) if callable(done) else done)
    if form.is_bound:
        messages.error(request, _("Nothing was saved: see what to correct in the form below."))
    return None


def whole_number(value) -> int | None:
    """A whole number from user input, in ASCII digits and small enough for a database id; else None
    (`str.isdigit` also takes "²" and "٣", which `int` refuses or reads)."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def pk_or_404(value) -> int:
    """A primary key from user input (a form field, a query parameter); anything else is a 404."""
    number = whole_number(value)
    if number is None:
        raise Http404
    return number


def year_or_404(year: int) -> int:
    """A plan or appraisal year within what the district keeps."""
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def year_param(request) -> int:
    """The year a statistics page asks for (`?year=`), this year by default, kept within 2000–2100."""
    from django.utils import timezone

    year = whole_number(request.GET.get("year")) or timezone.localdate().year
    return min(max(year, 2000), 2100)


def favicon(request):
    """Browsers and bots ask for /favicon.ico whatever the page says: send them to the SVG icon."""
    response = HttpResponseRedirect(static("duban/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
