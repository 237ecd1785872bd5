"""The JSON API root: OpenAPI at /api/openapi.json, interactive docs at /api/docs.

Authentication is the Django session (so unsafe methods need the CSRF token, as on the pages).
Errors answer the same way for every context, all as `duban.core.api.ErrorOut` and in the user's
language: 400 with field errors, 401, 403, 404, 409 for a state change the transition table refuses
(with `link` to the subject's page when an owned item's step is done there), 422 for input the
schema refuses, 503 when the database was busy; a failure is a JSON 500 (duban.core.handlers).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.parser import Parser
from ninja.security import django_auth

from duban.core.errors import TransitionError
from duban.core.middleware import log_refusal, refusal_reason
from duban.core.schema_errors import schema_error_body
from duban.core.text import xml_safe_data


class TextParser(Parser):
    """Bodies and parameters without the characters XML 1.0 forbids: JSON can carry a lone
    surrogate (`"\\ud800"`) or a control character that no download could hold (duban.core.text)."""

    def parse_body(self, request):
        return xml_safe_data(super().parse_body(request))

    def parse_querydict(self, data, list_fields, request):
        return xml_safe_data(super().parse_querydict(data, list_fields, request))


api = NinjaAPI(
    title="Duban API",
    version="1",
    description=(
        "Closed-loop supervision: ledgers, items, transitions, progress, extensions, notices; "
        "reforms, proposals, ratings, votes and expert scores."
    ),
    auth=django_auth,
    urls_namespace="api",
    parser=TextParser(),
)


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [m for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
    return {"__all__": list(error.messages)}


@api.exception_handler(TransitionError)
def transition_refused(request, exc: TransitionError):
    body = {"detail": " ".join(exc.messages)}
    if getattr(exc, "link", ""):  # an owned item's step, done on its subject's page (ledger.owners)
        body["link"] = request.build_absolute_uri(exc.link)
    return api.create_response(request, body, status=409)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    return api.create_response(request, {"detail": " ".join(exc.messages), "errors": _messages(exc)}, status=400)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    reason = refusal_reason(exc)
    response = api.create_response(request, {"detail": reason or _("You are not allowed to do this")}, status=403)
    log_refusal(request, reason, response)
    return response


@api.exception_handler(SchemaError)
def schema_refused(request, exc: SchemaError):
    return api.create_response(request, schema_error_body(exc.errors), status=422)


@api.exception_handler(AuthenticationError)
def not_signed_in(request, exc: AuthenticationError):
    return api.create_response(request, {"detail": _("Sign in first: this needs a signed-in user.")}, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 403 and "CSRF" in str(exc):
        detail = _("The CSRF token is missing or wrong: send the csrftoken cookie's value as the X-CSRFToken header.")
    else:
        detail = str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return api.create_response(request, {"detail": _("Not found, or not yours to see.")}, status=404)


api.add_router("/ledger", "duban.ledger.api.router")
api.add_router("/reforms", "duban.reforms.api.router")
api.add_router("/rules", "duban.rules.api.router")
api.add_router("/fleet", "duban.fleet.api.router")
api.add_router("/payments", "duban.payments.api.router")
api.add_router("/research", "duban.research.api.router")
api.add_router("/renewal", "duban.renewal.api.router")
api.add_router("/contracts", "duban.contracts.api.router")
api.add_router("/opendata", "duban.opendata.api.router")
