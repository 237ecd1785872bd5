"""Input the API's schema refuses (pydantic's errors), said in the user's language: one message
per field, under the field's name, and a `detail` naming the fields."""

from __future__ import annotations

from django.utils.translation import gettext as _

LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field(loc: tuple | list) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in LOCATIONS:
        # ("body", "payload", "title"): the parameter's own name says nothing to the caller
        parts = parts[2:] if parts[0] == "body" and len(parts) > 2 else parts[1:]
    return ".".join(parts) or "__all__"


def _limit(ctx: dict, *names: str):
    return next((ctx[name] for name in names if name in ctx), "")


def schema_error_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind.startswith("date") and "datetime" not in kind:
        return _("Enter a date as YYYY-MM-DD.")
    if kind.startswith("datetime"):
        return _("Enter a date and time as YYYY-MM-DDTHH:MM:SS+08:00.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Must be at least %(limit)s.") % {"limit": _limit(ctx, "ge", "gt")}
    if kind in {"less_than_equal", "less_than"}:
        return _("Must be at most %(limit)s.") % {"limit": _limit(ctx, "le", "lt")}
    if kind == "string_too_short":
        return _("Must not be empty.")
    if kind == "string_too_long":
        return _("Must be at most %(count)s characters.") % {"count": ctx.get("max_length", "")}
    if kind in {"too_long", "too_short"}:
        return _("Too many or too few entries.")
    if kind in {"enum", "literal_error"}:
        return _("Must be one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"json_invalid", "json_type"}:
        return _("The body is not valid JSON.")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return _("Not the expected kind of value.")
    return str(error.get("msg", "")) or _("Not valid.")


def schema_error_body(errors: list[dict]) -> dict:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field(error.get("loc", ())), []).append(schema_error_message(error))
    names = ", ".join(name for name in fields if name != "__all__")
    detail = _("Check these fields: %(fields)s.") % {"fields": names} if names else _("The input is not valid.")
    return {"detail": detail, "errors": fields}
