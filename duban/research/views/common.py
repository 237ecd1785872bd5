"""What the research pages share."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from duban.core.forms import add_service_errors


def _fail(form, error) -> None:
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
    else:
        form.add_error(None, str(error))


def _without(query, names) -> str:
    """The query string without `names` (a list with its linked filters removed)."""
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _linked(request, form) -> dict:
    """What a list shows of the filters a figure elsewhere (the cockpit) linked it with."""
    names = form.linked_names()
    return {"linked": form.shown(), "linked_params": [(name, request.GET[name]) for name in names],
            "unlinked": _without(request.GET, [*names, "page"])}  # fmt: skip
