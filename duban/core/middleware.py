"""Security headers that Django 5.2 does not set by itself; the language; refusals; text input fit
for files."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from duban.core import handlers
from duban.core.text import XML_FORBIDDEN, XML_FORBIDDEN_BUT_NUL

# No inline script anywhere: every script is a file under /static/. Map tiles come from a
# configurable host (later contexts) and are added to img-src there.
_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        extra_img = getattr(settings, "DUBAN_CSP_EXTRA_IMG_SRC", [])
        self.policy = _POLICY.replace(
            "img-src 'self' data: blob:", " ".join(["img-src 'self' data: blob:", *extra_img])
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        return response


class LanguageMiddleware:
    """Chinese unless the user chose otherwise with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English browser
    would see English first; Duban's default is zh-Hans for everyone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


refusals = logging.getLogger("duban.refusals")


def refusal_reason(exception: PermissionDenied) -> str:
    return " ".join(str(arg) for arg in exception.args if arg)


def log_refusal(request: HttpRequest, reason: str, response: HttpResponse) -> None:
    """One line per refusal (path, user, reason): a refusal is expected behaviour, not a crash."""
    user = getattr(request, "user", None)
    who = user.get_username() if getattr(user, "is_authenticated", False) else "anonymous"
    refusals.warning("403 %s %s user=%s reason=%s", request.method, request.path, who, reason or "-")
    response._has_been_logged = True  # Django would log it again, with a traceback


class RefusalMiddleware:
    """A refused page or action answers with the reason the service gave, logged on one line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        response = handlers.permission_denied(request, exception)
        log_refusal(request, refusal_reason(exception), response)
        return response


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _cleaned(data: QueryDict, forbidden) -> QueryDict:
    if not any(forbidden.search(text) for key, values in data.lists() for text in (key, *values)):
        return data
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(forbidden.sub("", key), [forbidden.sub("", value) for value in values])
    cleaned._mutable = False
    return cleaned


class TextInputMiddleware:
    """Query parameters and form fields (every page's forms, Open311's posts) without the
    characters XML 1.0 forbids, before any form or view reads them (duban.core.text): a pasted
    vertical tab or backspace is dropped, and a field it alone filled is then empty like any
    other. A posted NUL stays, for the form to refuse it by name; in a query it only ever broke
    the search. (The API's JSON goes through `duban.api.TextParser`.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.GET = _cleaned(request.GET, XML_FORBIDDEN)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            request.POST = _cleaned(_utf8_form(request), XML_FORBIDDEN_BUT_NUL)
        return self.get_response(request)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _utf8_form(request: HttpRequest) -> QueryDict:
    """The posted form, when it is UTF-8. Django would read another declared charset, and put
    U+FFFD for bytes its charset cannot hold: text that no longer says what was sent. Refused
    instead (a 400, in the caller's format: duban.core.handlers). A URL-encoded body is checked
    as sent (Django would fall back to Latin-1 for it); a posted U+FFFD is refused too, being
    Django's mark for a multipart field's undecodable bytes, or of text already broken on the way."""
    charset = request.content_params.get("charset", "utf-8").strip().lower()
    if charset.replace("-", "").replace("_", "") != "utf8":
        raise BadRequest(_("Send the form in UTF-8; it was sent as %(charset)s.") % {"charset": charset[:40]})
    data = request.POST
    raw_not_utf8 = request.content_type != "multipart/form-data" and not _is_utf8(request.body)
    if raw_not_utf8 or any("\ufffd" in text for key, values in data.lists() for text in (key, *values)):
        raise BadRequest(_("The form holds bytes that are not UTF-8 text; send it in UTF-8."))
    return data


class PrivateCacheMiddleware:
    """What a signed-in person sees, and every download, is kept by no cache on the way or on disk
    (a shared computer, a proxy): `Cache-Control: private, no-store`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        signed_in = getattr(getattr(request, "user", None), "is_authenticated", False)
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download:
            patch_cache_control(response, private=True, no_store=True)
        return response
