"""Django's error handlers (400, 403, 404, 500), answering in the form the caller reads: a page for
people, JSON for the API, and a context's own format under the paths it registers (Open311's
error list). A request whose body cannot be read fails before any view runs, so only these
handlers can answer it in the right form.

A context registers a format with an `error_answers()` method on its AppConfig, returning
{path prefix: answer(request, status, message) -> HttpResponse}.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from duban.core import busy

logger = logging.getLogger(__name__)

Answer = Callable[[HttpRequest, int, str], HttpResponse]


@cache
def _formats() -> tuple[tuple[str, Answer], ...]:
    found: dict[str, Answer] = {}
    for config in apps.get_app_configs():
        if hasattr(config, "error_answers"):
            found.update(config.error_answers())
    return tuple(sorted(found.items(), key=lambda entry: -len(entry[0])))


def _own_format(request: HttpRequest) -> Answer | None:
    return next((answer for prefix, answer in _formats() if request.path.startswith(prefix)), None)


def json_answer(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})


def unreadable_reason(exception: BaseException | None) -> str:
    """What was wrong with a request Django could not read, in the user's language."""
    if isinstance(exception, RequestDataTooBig):
        size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return _("The request is larger than %(size)s MB; nothing was saved.") % {"size": f"{size:g}"}
    if isinstance(exception, TooManyFieldsSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return _("The request has more than %(count)s fields; nothing was saved.") % {"count": f"{count:,}"}
    if isinstance(exception, TooManyFilesSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return _("The request has more than %(count)s files; nothing was saved.") % {"count": f"{count:,}"}
    if isinstance(exception, MultiPartParserError):
        return _("The request's multipart body could not be read (cut short, or without a boundary).")
    if isinstance(exception, BadRequest) and str(exception):
        return str(exception)
    return _("The request could not be read.")


def _answer(request: HttpRequest, status: int, message: str, page: Callable[[], HttpResponse]) -> HttpResponse:
    own = _own_format(request)
    if own is not None:
        return own(request, status, message)
    if busy.wants_json(request):
        return json_answer(request, status, message)
    return page()


def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    message = unreadable_reason(exception)
    return _answer(request, 400, message, lambda: render(request, "400.html", {"message": message}, status=400))


def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    message = " ".join(str(arg) for arg in getattr(exception, "args", ()) if arg)
    return _answer(
        request,
        403,
        message or _("You are not allowed to do this"),
        lambda: defaults.permission_denied(request, exception),
    )


def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return _answer(
        request, 404, _("Not found, or not yours to see."), lambda: defaults.page_not_found(request, exception)
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """A busy database met outside a view (in a middleware: the session, the sign-in log) is a 503
    (duban.core.busy); anything else is a 500, in the caller's form."""
    error = sys.exc_info()[1]
    if busy.is_busy(error):
        logger.warning("Database busy on %s %s: %s", request.method, request.path, error)
        return busy.busy_response(request)
    message = _("The server failed to answer. The failure is logged for the administrators.")
    return _answer(request, 500, message, lambda: defaults.server_error(request))
