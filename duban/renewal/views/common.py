"""What urban renewal's pages share: posting a step, the timeline."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from duban.core.forms import add_service_errors
from duban.orgs.filters import UnitsFilterForm
from duban.renewal.choices import (
    EVENT_LABELS,
)
from duban.renewal.forms import (
    SettleForm,
)

PAGE_SIZE = 50


def in_units(request, found, field: str, linked: list, kept: list):
    """`found` narrowed to the streets (units) a figure elsewhere (the cockpit) links the list with;
    the filters set are added to `linked` (label, value) and `kept` (name, value)."""
    units = UnitsFilterForm(request.GET)
    if (within := units.units()) is not None:
        found = found.filter(**{f"{field}__in": within})
        linked.extend(units.shown())
        kept.extend(units.kept())
    return found


def without(query, names) -> str:
    """The query string without `names` (and the page): the link that removes those filters."""
    rest = query.copy()
    for name in [*names, "page"]:
        rest.pop(name, None)
    return rest.urlencode()


def _done(request, label) -> None:
    messages.success(request, _("Done: %(step)s.") % {"step": label})


def timeline(queryset) -> list[dict]:
    return [{"event": e, "label": EVENT_LABELS.get(e.code, e.code)}
            for e in queryset.select_related("actor").order_by("at", "pk")]  # fmt: skip


def stepped(request, table, code: str, forms: dict, write, again, done: str):
    """A step posted from a record's page: the step's own form checked, then the service; a refusal
    is shown on the form (`again(forms)` renders the page with them) or, for a step without a form,
    as a message."""
    if code not in forms:
        messages.error(request, _("This step is not open to you now."))
        return redirect(done)
    form = forms[code]
    data: dict = {}
    if form is not None:
        if not form.is_valid():
            return again(forms)
        data = {"signed": form.signed()} if isinstance(form, SettleForm) else dict(form.cleaned_data)
    reason = data.pop("reason", "") or ""
    try:
        write(reason, data)
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
            return again(forms)
        messages.error(request, " ".join(error.messages))
    else:
        _done(request, table[code].label)
    return redirect(done)
