"""The Open311 GeoReport v2 endpoint at /open311/v2/: discovery, services, service definitions,
posting and reading requests, and tokens, each in JSON and XML. One jurisdiction; the API key is
needed only to post. A reporter's contact details never appear in a response."""

from __future__ import annotations

import datetime as dt
import time
import xml.etree.ElementTree as ET  # noqa: S405 - used to write XML, never to parse it

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.utils import OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from duban.campaigns import routing
from duban.campaigns.choices import OPEN_REPORT_STATES, CoordinateSystem, PhotoKind, ReportSource, ReportState
from duban.campaigns.models import Category, Open311Client, Report
from duban.campaigns.services.common import public_url
from duban.campaigns.services.setup import hash_key
from duban.campaigns.services.submitting import SYSTEMS, report_submit
from duban.core import busy, throttle
from duban.core.prepared import prepared_cursor
from duban.core.text import xml_safe
from duban.core.views import whole_number

SPEC = "http://wiki.open311.org/GeoReport_v2"
MAX_DAYS = 90
MAX_RESULTS = 1000
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Open311 attributes every service takes; `coordinate_system` flags GCJ-02 input from Chinese map SDKs.
ATTRIBUTES = [
    {
        "variable": True,
        "code": "coordinate_system",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "",
        "order": 1,
        "values": [(CoordinateSystem.WGS84, "WGS-84"), (CoordinateSystem.GCJ02, "GCJ-02")],
    },
]


# Dates outside these years are no report's (and 0001-03-01 minus the 90-day window is no date);
# a page beyond MAX_PAGE is past any list (and its offset past what a database counts).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
MAX_PAGE = 100_000


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def jurisdiction() -> str:
    return getattr(settings, "DUBAN_OPEN311_JURISDICTION", "luohu.gov.cn")


#
# Rendering
#


def _xml_value(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, list):
        child = name[:-1] if name.endswith("s") else "item"
        for entry in value:
            _xml_fill(ET.SubElement(element, child), entry) if isinstance(entry, dict) else _xml_text(
                ET.SubElement(element, child), entry
            )
    elif isinstance(value, dict):
        _xml_fill(element, value)
    else:
        _xml_text(element, value)


def _xml_text(element: ET.Element, value) -> None:
    if value is None:
        return
    # ElementTree writes any character: one XML forbids would leave clients an unreadable document.
    element.text = ("true" if value else "false") if isinstance(value, bool) else xml_safe(str(value))


def _xml_fill(element: ET.Element, data: dict) -> None:
    for name, value in data.items():
        _xml_value(element, name, value)


def as_json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, safe=False, content_type=CONTENT_TYPES["json"], json_dumps_params={"ensure_ascii": False}
    )


def render(fmt: str, data, *, root: str, item: str, status: int = 200) -> HttpResponse:
    """JSON as the spec's bare arrays (or an object for discovery); XML as <root><item>…</item></root>."""
    if fmt == "json":
        return as_json(data, status)
    top = ET.Element(root)
    for entry in data if isinstance(data, list) else [data]:
        _xml_fill(ET.SubElement(top, item) if item else top, entry)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES["xml"])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, [{"code": status, "description": description}], root="errors", item="error", status=status)


def error_answer(request, status: int, description: str) -> HttpResponse:
    """Any error under /open311/ (duban.core.handlers), in the format the path asks for."""
    return error("xml" if request.path.endswith(".xml") else "json", status, description)


def _stamp(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def endpoint(view):
    """Answer every refusal in the spec's error format, in the format asked for (a database too
    busy to answer in time too: 503 with Retry-After)."""

    def wrapped(request, fmt: str, **kwargs):
        try:
            juris = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
            if juris and juris != jurisdiction():
                raise Open311Error(404, _("Unknown jurisdiction_id."))
            return view(request, fmt, **kwargs)
        except Open311Error as refusal:
            return error(fmt, refusal.status, refusal.description)
        except OperationalError as failure:
            if not busy.is_busy(failure):
                raise
            response = error(fmt, 503, busy.busy_message())
            response["Retry-After"] = str(busy.RETRY_AFTER_SECONDS)
            return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(require_http_methods(["GET", "POST"] if view.__name__ == "requests_" else ["GET"])(wrapped))


#
# Discovery and services
#


@endpoint
def discovery(request, fmt: str):
    base = request.build_absolute_uri("/open311/v2/")
    data = {
        "changeset": "2026-11-23T00:00:00+08:00",
        "contact": getattr(settings, "DUBAN_OPEN311_CONTACT", "") or _("The district's campaign office"),
        "key_service": _("Keys are issued by the district's campaign office."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": "2026-11-23T00:00:00+08:00",
                "type": "production",
                "formats": [CONTENT_TYPES["json"].split(";")[0], CONTENT_TYPES["xml"].split(";")[0]],
            }
        ],
    }
    if fmt == "json":
        return as_json(data)
    top = ET.Element("discovery")
    for name in ("changeset", "contact", "key_service"):
        ET.SubElement(top, name).text = data[name]
    endpoints = ET.SubElement(top, "endpoints")
    for entry in data["endpoints"]:
        element = ET.SubElement(endpoints, "endpoint")
        for name in ("specification", "url", "changeset", "type"):
            ET.SubElement(element, name).text = entry[name]
        formats = ET.SubElement(element, "formats")
        for mime in entry["formats"]:
            ET.SubElement(formats, "format").text = mime
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, content_type=CONTENT_TYPES["xml"])


@endpoint
def services(request, fmt: str):
    rows = [
        {
            "service_code": category.service_code,
            "service_name": category.name,
            "description": category.description,
            "metadata": True,
            "type": "realtime",
            "keywords": category.keywords,
            "group": category.campaign.name,
        }
        for category in Category.objects.taking_reports()
    ]
    return render(fmt, rows, root="services", item="service")


@endpoint
def service_definition(request, fmt: str, code: str):
    category = routing.category_for_service(code, routing.current_version(), timezone.localdate())
    if category is None:
        raise Open311Error(404, _("Unknown service_code."))
    attributes = [
        {
            **{k: v for k, v in attribute.items() if k != "values"},
            "description": _("Coordinate system of lat/long: wgs84 (GPS, the default) or gcj02 (AMap, Tencent)."),
            "values": [{"key": key, "name": name} for key, name in attribute["values"]],
        }
        for attribute in ATTRIBUTES
    ]
    data = {"service_code": category.service_code, "attributes": attributes}
    if fmt == "json":
        return as_json(data)
    return render(fmt, [data], root="service_definition", item="")


#
# Requests
#


# A client's key and the set-up's version, as last read by this process: (read at, client id,
# requests per minute, version) by key hash. Reused for a second, so a steady stream of posts reads
# them once a second rather than once a post; a key revoked or a rule changed in another process
# takes effect within that second (at once in this one: see `routing.forget`).
_KEYS: dict[str, tuple[float, int, int, str]] = {}
KEY_SECONDS = 1.0


def _client_for(request) -> tuple[Open311Client, str]:
    """The active client holding the request's key, and the set-up's version stamp (for the
    routing held in memory): one query for both, at most once a second per key."""
    key = request.POST.get("api_key") or request.GET.get("api_key")
    if not key:
        raise Open311Error(403, _("An api_key is required to post a request."))
    key_hash = hash_key(key)
    now = time.monotonic()
    known = _KEYS.get(key_hash)
    if known is None or now - known[0] > KEY_SECONDS or not routing.read_since(known[0]):
        with prepared_cursor() as cursor:
            cursor.execute(
                f"SELECT {routing.VERSION_SQL}, c.id, c.requests_per_minute, "  # noqa: S608 - fixed names
                "c.last_used_at IS NULL OR c.last_used_at < %s FROM (SELECT 1) AS one "
                "LEFT JOIN campaigns_open311client c ON c.key_hash = %s AND c.is_active",
                [timezone.now() - dt.timedelta(minutes=1), key_hash],
            )
            version, pk, per_minute, stale = cursor.fetchone()
        if pk is None:
            _KEYS.pop(key_hash, None)
            raise Open311Error(403, _("The api_key is not valid."))
        if stale:  # the last use, to the minute: one write a minute, not one per post
            Open311Client.objects.filter(pk=pk).update(last_used_at=timezone.now())
        known = _KEYS[key_hash] = (now, pk, per_minute, version)
    _read_at, pk, per_minute, version = known
    if not throttle.allow(f"open311:{pk}", per_minute, 60):
        raise Open311Error(429, _("Too many requests from this client; try again in a minute."))
    return Open311Client(pk=pk, requests_per_minute=per_minute), version


def _attributes(post) -> dict[str, str]:
    values = {}
    for name, value in post.items():
        if name.startswith("attribute[") and name.endswith("]"):
            values[name[len("attribute[") : -1].rstrip("][")] = value
    return values


def _post(request, fmt: str) -> HttpResponse:
    client, version = _client_for(request)
    post = request.POST
    code = (post.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = routing.category_for_service(code, version, timezone.localdate())
    if category is None:
        raise Open311Error(404, _("Unknown service_code."))
    if post.get("address_id") and not (post.get("lat") or post.get("address_string")):
        raise Open311Error(400, _("address_id is not supported here; send lat and long or address_string."))
    if bool(post.get("lat")) != bool(post.get("long")):
        raise Open311Error(400, _("Send both lat and long."))
    attributes = _attributes(post)
    system = attributes.get("coordinate_system") or CoordinateSystem.WGS84
    if system not in SYSTEMS:
        raise Open311Error(400, _("attribute[coordinate_system] must be wgs84 or gcj02."))
    name = " ".join(part for part in (post.get("last_name", ""), post.get("first_name", "")) if part.strip())
    try:
        report = report_submit(
            actor=None,
            campaign=category.campaign,
            table=routing.RoutingTable.of(category.campaign, version),
            category=category,
            description=post.get("description", ""),
            source=ReportSource.OPEN311,
            lat=post.get("lat") or None,
            lng=post.get("long") or None,
            address=post.get("address_string", ""),
            coordinate_system=system,
            contact_name=name,
            contact_phone=post.get("phone", ""),
            contact_email=post.get("email", ""),
            client=client,
            device_id=post.get("device_id", ""),
            account_id=post.get("account_id", ""),
            media_url=post.get("media_url", ""),
        )
    except ValidationError as refusal:
        raise Open311Error(400, " ".join(_messages(refusal))) from None
    notice = _("Received; the campaign office will accept and dispatch it.")
    row = {"service_request_id": str(report.pk), "service_notice": notice}
    if report.account_id:
        row["account_id"] = report.account_id
    return render(fmt, [row], root="service_requests", item="request", status=201)


# The report's fields by the names an Open311 client posted them under.
POSTED_AS = {
    "lng": "long",
    "location": "lat/long",
    "address": "address_string",
    "contact_name": "last_name",
    "contact_phone": "phone",
    "contact_email": "email",
}


def _messages(refusal: ValidationError) -> list[str]:
    """The refusal's messages, each after the name of the field it is about, as the client sent it."""
    if not hasattr(refusal, "message_dict"):
        return list(refusal.messages)
    return [
        message if name == NON_FIELD_ERRORS else f"{POSTED_AS.get(name, name)}: {message}"
        for name, messages in refusal.message_dict.items()
        for message in messages
    ]


def _parse_moment(value: str, name: str) -> dt.datetime:
    try:  # well-formed but impossible dates (2024-02-30) raise ValueError
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = dt.datetime.combine(day, dt.time.min) if day is not None else None
    except ValueError:
        moment = None
    if moment is None or not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise Open311Error(400, _("%(name)s is not a valid date and time.") % {"name": name})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _request_rows(request, reports) -> list[dict]:
    rows = []
    for report in reports:
        photo = next((p for p in report.photos.all() if p.kind == PhotoKind.BEFORE), None)
        media = request.build_absolute_uri(f"{public_url(report)}photos/{photo.pk}/") if photo else report.media_url
        rows.append(
            {
                "service_request_id": str(report.pk),
                "status": report.open311_status,
                "status_notes": _status_notes(report),
                "service_name": report.category.name,
                "service_code": report.category.service_code,
                "description": report.description,
                "agency_responsible": report.routed_unit.name if report.routed_unit_id else "",
                "service_notice": "",
                "requested_datetime": _stamp(report.created_at),
                "updated_datetime": _stamp(
                    report.closed_at if not report.is_open and report.closed_at else report.updated_at
                ),
                "expected_datetime": _stamp(timezone.make_aware(dt.datetime.combine(report.expected_on, dt.time(18))))
                if report.expected_on
                else None,
                "address": report.address or report.area.name,
                "address_id": "",
                "zipcode": "",
                "lat": report.lat,
                "long": report.lng,
                "media_url": media,
            }
        )
    return rows


def _status_notes(report: Report) -> str:
    label = ReportState(report.state).label
    if report.state == ReportState.DUPLICATE and report.duplicate_of_id:
        return _("%(state)s: see request %(n)s") % {"state": label, "n": report.duplicate_of_id}
    if report.state == ReportState.TRANSFERRED:
        return _("%(state)s to %(to)s") % {"state": label, "to": report.transferred_to}
    return f"{label}: {report.status_note}" if report.status_note else str(label)


def _reports():
    """The reports Open311 shows: the public ones, as on the portal (never a rejected report)."""
    return Report.objects.public().select_related("category", "routed_unit", "area").prefetch_related("photos")


def _list(request, fmt: str) -> HttpResponse:
    query = request.GET
    reports = _reports()
    ids = [part.strip() for part in (query.get("service_request_id") or "").split(",") if part.strip()]
    if ids:
        numbers = [whole_number(part) for part in ids[:MAX_RESULTS]]
        if None in numbers:
            raise Open311Error(400, _("service_request_id must be a comma-separated list of ids."))
        reports = reports.filter(pk__in=numbers)
    else:
        codes = [part.strip() for part in (query.get("service_code") or "").split(",") if part.strip()]
        if codes:
            reports = reports.filter(category__service_code__in=codes)
        end = _parse_moment(query["end_date"], "end_date") if query.get("end_date") else timezone.now()
        start = (
            _parse_moment(query["start_date"], "start_date")
            if query.get("start_date")
            else end - dt.timedelta(days=MAX_DAYS)
        )
        if start > end:
            raise Open311Error(400, _("start_date is after end_date."))
        if end - start > dt.timedelta(days=MAX_DAYS):
            raise Open311Error(400, _("start_date and end_date may be at most 90 days apart."))
        reports = reports.filter(created_at__gte=start, created_at__lte=end)
        statuses = {part.strip() for part in (query.get("status") or "").split(",") if part.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status must be open, closed or both."))
        if statuses == {"open"}:
            reports = reports.filter(state__in=sorted(OPEN_REPORT_STATES))
        elif statuses == {"closed"}:
            reports = reports.exclude(state__in=sorted(OPEN_REPORT_STATES))
    page_size = _positive(query.get("page_size"), "page_size", default=MAX_RESULTS)
    page = _positive(query.get("page"), "page", default=1)
    page_size = min(page_size, MAX_RESULTS)
    window = reports.order_by("-created_at", "-id")[(page - 1) * page_size : page * page_size]
    return render(fmt, _request_rows(request, window), root="service_requests", item="request")


def _positive(value: str | None, name: str, *, default: int, maximum: int = MAX_PAGE) -> int:
    if value in (None, ""):
        return default
    number = whole_number(value)
    if number is None or number < 1:
        raise Open311Error(400, _("%(name)s must be a positive whole number.") % {"name": name})
    if number > maximum:
        raise Open311Error(400, _("%(name)s must be at most %(n)s.") % {"name": name, "n": maximum})
    return number


@endpoint
def requests_(request, fmt: str):
    if request.method == "POST":
        return _post(request, fmt)
    return _list(request, fmt)


@endpoint
def request_detail(request, fmt: str, pk: str):
    number = whole_number(pk)
    report = _reports().filter(pk=number).first() if number is not None else None
    if report is None:
        raise Open311Error(404, _("Unknown service_request_id."))
    return render(fmt, _request_rows(request, [report]), root="service_requests", item="request")


@endpoint
def token(request, fmt: str, value: str):
    report = Report.objects.filter(token=value).only("id", "token").first()
    if report is None:
        raise Open311Error(404, _("Unknown token."))
    row = {"service_request_id": str(report.pk), "token": report.token}
    return render(fmt, [row], root="service_requests", item="request")
