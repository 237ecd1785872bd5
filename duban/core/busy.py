"""A database too busy to answer in time is a 503 with Retry-After, never a 500.

On SQLite one request writes at a time; the others wait up to the `timeout` set in settings and,
past it, get "database is locked". On PostgreSQL the same comes as a deadlock, a lock timeout or
a serialization failure. Either way nothing was written and the same request may simply be sent
again: the page (or JSON, for the API) says so in the user's language."""

from __future__ import annotations

import logging

from django.db.utils import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
_SQLITE_BUSY = ("database is locked", "database table is locked", "database schema is locked")
# deadlock detected, lock not available, serialization failure
_POSTGRES_BUSY = {"40P01", "55P03", "40001"}


def is_busy(error: BaseException | None) -> bool:
    """Whether `error` says the database was too busy (locked), rather than anything else wrong."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _POSTGRES_BUSY:
        return True
    text = str(error).lower()
    return any(phrase in text for phrase in _SQLITE_BUSY)


def busy_message() -> str:
    return _("The site is busy. Nothing was saved; please try again in a few seconds.")


def wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith(("/api/", "/open311/")) or ("json" in accept and "html" not in accept)


def busy_response(request) -> HttpResponse:
    if wants_json(request):
        response = JsonResponse({"detail": busy_message()}, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        try:
            response = render(request, "503.html", {"retry_after": RETRY_AFTER_SECONDS}, status=503)
        except Exception:  # the page needs the database too; say it plainly then
            response = HttpResponse(busy_message(), content_type="text/plain; charset=utf-8", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class BusyDatabaseMiddleware:
    """Answers a view's "database is locked" (or PostgreSQL's deadlock) with 503 and Retry-After."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
        return busy_response(request)
