"""The public side of special campaigns: report a problem, see it on the map, follow it, confirm
the fix (or say it is not fixed), and see all one's reports. No page shows a reporter's contact."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from duban.campaigns import access, stats
from duban.campaigns.choices import EVENT_LABELS, OPEN_REPORT_STATES, CoordinateSystem, ReportSource, ReportState
from duban.campaigns.forms import ReportForm
from duban.campaigns.models import Campaign, Category, Follower, Report
from duban.campaigns.routing import map_settings, place_names, to_map
from duban.campaigns.services.reports import report_transition
from duban.campaigns.services.submitting import nearby_open, report_follow, resolve_location
from duban.core import throttle
from duban.core.exports import xlsx_sheets_response
from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.views import pk_or_404, whole_number
from duban.ledger.models import Notification

MAP_POINTS = 3000
_UNESCAPED = {"ensure_ascii": False}
RECENT_DAYS = 30


def _filters(request):
    """The campaign and category chosen in the query string (ignored when unknown)."""

    def chosen(model, name: str):
        number = whole_number(request.GET.get(name))
        return model.objects.filter(pk=number).first() if number is not None else None

    return chosen(Campaign, "campaign"), chosen(Category, "category")


def _filtered(request):
    campaign, category = _filters(request)
    reports = Report.objects.public()
    if campaign:
        reports = reports.filter(campaign=campaign)
    if category:
        reports = reports.filter(category=category)
    return reports, campaign, category


def problems(request):
    """Problems reported in the campaigns: a map of open and recently fixed ones and the latest list."""
    reports, campaign, category = _filtered(request)
    state = request.GET.get("state", "")
    listed = reports
    if state == "open":
        listed = listed.filter(state__in=sorted(OPEN_REPORT_STATES))
    elif state == "closed":
        listed = listed.filter(state=ReportState.CLOSED)
    page = CappedPaginator(listed.select_related("category", "street").order_by("-created_at", "-id"), 30).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "campaigns": Campaign.objects.all(),
        "categories": Category.objects.filter(campaign=campaign) if campaign else Category.objects.none(),
        "campaign": campaign,
        "category": category,
        "state": state,
        "map": map_settings(),
        "points_url": reverse("portal:problem_points") + (f"?{request.GET.urlencode()}" if request.GET else ""),
    }
    return render(request, "portal/problems/list.html", context)


def problem_points(request):
    """GeoJSON of open problems and those closed in the last 30 days, for the map (in its coordinates)."""
    reports, _campaign, _category = _filtered(request)
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    rows = (
        reports.filter(Q(state__in=sorted(OPEN_REPORT_STATES)) | Q(state=ReportState.CLOSED, closed_at__gte=since))
        .order_by("-created_at")
        .values_list("pk", "lat", "lng", "state", "category__name")[:MAP_POINTS]
    )
    labels = dict(ReportState.choices)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": to_map(lat, lng)[::-1]},
            "properties": {
                "id": pk,
                "state": state,
                "open": state in OPEN_REPORT_STATES,
                "label": f"#{pk} {name} · {labels[state]}",
                "url": reverse("portal:problem_detail", args=[pk]),
            },
        }
        for pk, lat, lng, state, name in rows
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features}, json_dumps_params=_UNESCAPED)


def problem_new(request):
    """Report a problem: category, description, place on the map (or an address), photos.
    Signed-in residents follow their report; anyone else may report too, a few times an hour."""
    signed_in = request.user.is_authenticated
    form = ReportForm(request.POST or None, request.FILES or None, with_contact=not signed_in)
    if request.method == "POST":
        limit = settings.DUBAN_ANONYMOUS_REPORTS_PER_HOUR
        if not signed_in and not throttle.allow(f"report:{throttle.client_address(request)}", limit, 3600):
            form.add_error(None, _("Too many reports from this connection; please try again in an hour."))
        elif form.is_valid():
            try:
                phone = request.user.phone or "" if signed_in else ""
                report = form.submit(actor=request.user, source=ReportSource.PORTAL, contact_phone=phone)
            except ValidationError as refusal:
                add_service_errors(form, refusal)
            else:
                messages.success(
                    request, _("Thank you: report #%(n)s is received. Its status is shown here.") % {"n": report.pk}
                )
                return redirect("portal:problem_detail", pk=report.pk)
    context = {"form": form, "map": map_settings()}
    return render(request, "portal/problems/new.html", context, status=400 if form.errors else 200)


def problem_nearby(request):
    """Open reports of the chosen category near the chosen point (the duplicate suggestions)."""
    category = Category.objects.select_related("campaign").filter(pk=pk_or_404(request.GET.get("category"))).first()
    try:
        lat, lng = resolve_location(
            lat=request.GET.get("lat"),
            lng=request.GET.get("lng"),
            coordinate_system=request.GET.get("coordinate_system", CoordinateSystem.WGS84),
        )
    except ValidationError:  # no point yet, or not a usable one: nothing to suggest
        lat = lng = None
    found = nearby_open(category, lat, lng) if category and lat is not None else []
    return render(request, "portal/problems/_nearby.html", {"found": found, "category": category})


def problem_place(request):
    """The street and community of a point on the map, to fill the address: `lat`, `lng` in the
    `coordinate_system` given (the map's, or WGS-84 from the device's location), and the point in
    the map's coordinates (`at`) to place the marker."""
    try:
        lat, lng = resolve_location(
            lat=request.GET.get("lat"),
            lng=request.GET.get("lng"),
            coordinate_system=request.GET.get("coordinate_system", CoordinateSystem.WGS84),
        )
        place = place_names(lat, lng)
    except ValidationError as refusal:
        return JsonResponse(
            {"error": " ".join(refusal.messages)}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    return JsonResponse({**place, "at": to_map(lat, lng)}, json_dumps_params={"ensure_ascii": False})


def _timeline(report: Report) -> list[dict]:
    """What happened, as the public sees it: each change with the office's public reply, never the
    staff's internal note."""
    rows = []
    for event in report.events.all():
        if event.code == "campaigns.report.followed":
            continue
        label = EVENT_LABELS.get(event.code, event.code)
        rows.append({"at": event.at, "label": label, "reply": event.public_note, "data": event.data})
    rows.reverse()
    return rows


def _reopenable(report: Report) -> bool:
    """As the service checks: fixed, or closed within the campaign's days for reopening."""
    if report.state == ReportState.FIXED:
        return True
    if report.state != ReportState.CLOSED:
        return False
    return report.closed_at is None or (timezone.now() - report.closed_at).days <= report.campaign.reopen_days


def problem_detail(request, pk: int):
    report = access.get_public_report(request.user, pk)
    user = request.user
    is_reporter = access.is_reporter(user, report)
    context = {
        "report": report,
        "photos": report.photos.all(),
        "timeline": _timeline(report),
        "following": user.is_authenticated and Follower.objects.filter(report=report, user=user).exists(),
        "is_reporter": is_reporter,
        "may_confirm": is_reporter and report.state == ReportState.FIXED,
        "may_reopen": is_reporter and _reopenable(report),
        "map": map_settings(point=(report.lat, report.lng)),
    }
    return render(request, "portal/problems/detail.html", context)


@require_POST
def problem_act(request, pk: int):
    """Follow or stop following; the reporter confirms the fix or says it is not fixed."""
    report = access.get_public_report(request.user, pk)
    action = request.POST.get("action", "")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('resident_login')}?next={reverse('portal:problem_detail', args=[pk])}")
    try:
        if action in {"follow", "unfollow"}:
            report_follow(actor=request.user, report=report, follow=action == "follow")
            messages.success(
                request, _("You follow this report.") if action == "follow" else _("You no longer follow it.")
            )
        elif action in {"verify", "not_fixed"}:
            report_transition(actor=request.user, report=report, action=action, note=request.POST.get("note", ""))
            messages.success(request, _("Thank you; the report is updated."))
        else:
            raise Http404
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    except PermissionDenied as refusal:
        messages.error(request, str(refusal) or _("You cannot do this on this report."))
    return redirect("portal:problem_detail", pk=pk)


def problem_photo(request, pk: int, photo_pk: int):
    report = access.get_public_report(request.user, pk)
    photo = report.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    # A rejected report's photos are for the reporter and officials only: no shared caches.
    shared = "public" if report.is_public else "private"
    response["Cache-Control"] = f"{shared}, max-age=86400"
    return response


@login_required(login_url="resident_login")
def my_problems(request):
    """Everything the user reported or follows, and what changed."""
    user = request.user
    mine = Report.objects.filter(reporter=user).select_related("category", "street").order_by("-created_at")
    followed = (
        Report.objects.filter(followers__user=user)
        .exclude(reporter=user)
        .select_related("category", "street")
        .order_by("-updated_at")
    )
    notes = list(Notification.objects.filter(user=user, kind="campaigns.report")[:30])
    Notification.objects.filter(user=user, kind="campaigns.report", read_at__isnull=True).update(read_at=timezone.now())
    context = {
        "mine": CappedPaginator(mine.order_by("-created_at", "-id"), 30).get_page(request.GET.get("page")),
        "followed": CappedPaginator(followed.order_by("-updated_at", "-id"), 30).get_page(request.GET.get("followed")),
        "notes": notes,
    }
    return render(request, "portal/problems/mine.html", context)


def _stats_campaign(request) -> Campaign | None:
    number = whole_number(request.GET.get("campaign"))
    return Campaign.objects.filter(pk=number).first() if number is not None else None


def problem_stats(request):
    """Solved problems by campaign, category, street and month, the on-time rate, and the exposure
    board (曝光台) of units with overdue problems."""
    campaign = _stats_campaign(request)
    context = {
        "figures": stats.figures(campaign),
        "campaigns": Campaign.objects.all(),
        "campaign": campaign,
        "min_ranked": stats.MIN_RANKED,
        "today": timezone.localdate(),
    }
    return render(request, "portal/problems/stats.html", context)


def problem_stats_xlsx(request):
    campaign = _stats_campaign(request)
    figures = stats.figures(campaign)
    table_headers = [
        pgettext("problem report", "Name"),
        _("Solved"),
        _("Solved on time"),
        _("On-time rate %"),
        pgettext("problem report", "Open"),
    ]

    def table(rows):
        return [[r["name"], r["solved"], r["on_time"], r["rate"], r["open"]] for r in rows]

    sheets = [
        (_("By category"), table_headers, table(figures.by_category)),
        (_("By street"), table_headers, table(figures.by_street)),
        (_("By responsible unit"), table_headers, table(figures.by_unit)),
        (
            _("By month"),
            [_("Month"), _("Solved")],
            [[r["month"].strftime("%Y-%m"), r["solved"]] for r in figures.by_month],
        ),
        (
            _("Exposure board"),
            [_("Unit"), _("Overdue problems"), _("Days past the oldest deadline")],
            [[r["unit"], r["overdue"], r["days"]] for r in figures.exposure],
        ),
    ]
    name = campaign.code if campaign else "all"
    return xlsx_sheets_response(f"problem-statistics-{name}.xlsx", sheets)
