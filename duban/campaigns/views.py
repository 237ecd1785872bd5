"""Staff pages of special campaigns: set-up, the report queue, a report's page with its actions,
the inspectors' phone form, the map of areas and Open311 keys."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.campaigns import access, queue
from duban.campaigns.choices import (
    EVENT_LABELS,
    OPEN_REPORT_STATES,
    REPORT_ACTIONS,
    ROUTING_ACTIONS,
    ReportSource,
    ReportState,
)
from duban.campaigns.downloads import REPORTS
from duban.campaigns.forms import (
    AreaShapeForm,
    CampaignForm,
    CampaignNewForm,
    CategoryForm,
    ChiefForm,
    ClientForm,
    ReportForm,
    RuleForm,
    ZoneForm,
)
from duban.campaigns.models import AreaShape, Campaign, Category, Chief, Open311Client, Report, RoutingRule, StrictZone
from duban.campaigns.routing import map_settings
from duban.campaigns.services import setup
from duban.campaigns.services.reports import report_transition, reports_transition_many
from duban.campaigns.services.rerouting import report_reroute
from duban.campaigns.services.submitting import nearby_open
from duban.core.forms import add_service_errors
from duban.core.paginator import searched_page
from duban.core.views import form_page, pk_or_404, whole_number
from duban.downloads.services import export_response
from duban.ledger import access as ledger_access
from duban.orgs import access as org_access
from duban.orgs.choices import AccountType, UnitKind
from duban.orgs.models import Unit
from duban.orgs.pickers import unit_select


def _campaign(request, pk: int, *, manage: bool = False) -> Campaign:
    org_access.require_official(request.user)
    campaign = get_object_or_404(Campaign.objects.select_related("ledger__owner_unit"), pk=pk)
    if manage:
        access.require_manager(request.user, campaign)
    return campaign


@login_required
def campaign_list(request):
    org_access.require_official(request.user)
    campaigns = Campaign.objects.select_related("ledger__owner_unit").annotate(
        received=Count("reports"),
        waiting=Count("reports", filter=Q(reports__state=ReportState.SUBMITTED)),
        open=Count("reports", filter=Q(reports__state__in=sorted(OPEN_REPORT_STATES))),
    )
    context = {
        "campaigns": campaigns,
        "may_create": org_access.is_office_admin(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/campaign_list.html", context)


@login_required
def campaign_new(request):
    access.require_manager(request.user)
    owners = Unit.objects.active().filter(kind__in=["department", "commission", "district"])
    form = CampaignNewForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner_unit")
        try:
            campaign = setup.campaign_create(actor=request.user, owner_unit=owner, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Campaign created; add its categories and routing rules."))
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    counts = dict(campaign.reports.values_list("state").annotate(n=Count("*")).order_by())
    context = {
        "campaign": campaign,
        "manages": access.manages(request.user, campaign),
        "state_counts": [(value, label, counts.get(value, 0)) for value, label in ReportState.choices],
        "categories": campaign.categories.all(),
        "zones": campaign.zones.all(),
        "chiefs": campaign.chiefs.select_related("person", "area"),
        "rules": campaign.rules.select_related("category", "area", "unit", "chief__person").order_by("area__path"),
    }
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def campaign_edit(request, pk: int):
    campaign = _campaign(request, pk, manage=True)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            setup.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
    return form_page(
        request, form, title=_("Edit the campaign"), back_url=reverse("campaigns:campaign_detail", args=[pk])
    )


def _setup_page(request, campaign: Campaign, form, save, title: str):
    """A set-up form (category, zone, chief, rule): saved through its service, errors shown."""
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            save(**fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("campaigns:campaign_detail", pk=campaign.pk)
    return form_page(request, form, title=title, back_url=reverse("campaigns:campaign_detail", args=[campaign.pk]))


def _setup_object(request, model, pk: int | None, campaign_pk: int | None):
    if pk is None:
        return _campaign(request, campaign_pk, manage=True), None
    instance = get_object_or_404(model, pk=pk)
    return _campaign(request, instance.campaign_id, manage=True), instance


@login_required
def category_edit(request, campaign_pk: int | None = None, pk: int | None = None):
    campaign, category = _setup_object(request, Category, pk, campaign_pk)
    form = CategoryForm(request.POST or None, instance=category or Category(campaign=campaign))

    def save(**fields):
        return setup.category_save(actor=request.user, campaign=campaign, category=category, **fields)

    return _setup_page(request, campaign, form, save, _("Category"))


@login_required
def zone_edit(request, campaign_pk: int | None = None, pk: int | None = None):
    campaign, zone = _setup_object(request, StrictZone, pk, campaign_pk)
    form = ZoneForm(request.POST or None, instance=zone or StrictZone(campaign=campaign))

    def save(**fields):
        return setup.zone_save(actor=request.user, campaign=campaign, zone=zone, **fields)

    return _setup_page(request, campaign, form, save, _("Strict zone"))


@login_required
def chief_edit(request, campaign_pk: int | None = None, pk: int | None = None):
    campaign, chief = _setup_object(request, Chief, pk, campaign_pk)
    form = ChiefForm(request.POST or None, instance=chief or Chief(campaign=campaign))

    def save(**fields):
        return setup.chief_save(actor=request.user, campaign=campaign, chief=chief, **fields)

    return _setup_page(request, campaign, form, save, _("Chief"))


@login_required
def rule_edit(request, campaign_pk: int | None = None, pk: int | None = None):
    campaign, rule = _setup_object(request, RoutingRule, pk, campaign_pk)
    form = RuleForm(request.POST or None, instance=rule or RoutingRule(campaign=campaign), campaign=campaign)

    def save(**fields):
        return setup.rule_save(actor=request.user, campaign=campaign, rule=rule, **fields)

    return _setup_page(request, campaign, form, save, _("Routing rule"))


@login_required
@require_POST
def rule_delete(request, pk: int):
    rule = get_object_or_404(RoutingRule, pk=pk)
    _campaign(request, rule.campaign_id, manage=True)
    setup.rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Rule deleted."))
    return redirect("campaigns:campaign_detail", pk=rule.campaign_id)


#
# Reports
#


@login_required
def report_queue(request, pk: int):
    """The campaign's reports, filtered; the office accepts routed ones in bulk; any filtered list
    downloads as .xlsx."""
    campaign = _campaign(request, pk)
    manages = access.manages(request.user, campaign)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied(access.NOT_MANAGER)
        return _accept_many(request, campaign)
    if request.GET.get("format") == "xlsx":
        return export_response(request, REPORTS, _with_campaign(request.GET, campaign))
    rows, walk = queue.listed(campaign.reports.select_related("category", "street", "routed_unit"), request.GET,
                              timezone.localdate())  # fmt: skip
    page = searched_page(rows, 50, request.GET.get("q") or "", walk, request.GET.get("page"))
    context = {
        "campaign": campaign,
        "page": page,
        "manages": manages,
        "states": ReportState.choices,
        "categories": campaign.categories.all(),
        "street_picker": unit_select(
            "street",
            Unit.objects.active().filter(kind=UnitKind.STREET),
            whole_number(request.GET.get("street")),
            empty_label=_("All"),
            id="queue-street",
        ),
        "query": request.GET,
        "linked": queue.linked_filters(request.GET),
        "kept": [(name, request.GET[name]) for name in queue.LINKED if request.GET.get(name)],
        "unlinked": _without(request.GET, ("page", *queue.LINKED)),
    }
    return render(request, "campaigns/report_queue.html", context)


def _with_campaign(query, campaign: Campaign):
    kept = query.copy()
    kept["campaign"] = str(campaign.pk)
    return kept


def _without(query, names) -> str:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


def _accept_many(request, campaign: Campaign):
    """Accept the selected reports in one batch: all are checked first, so a refusal changes nothing."""
    ids = [number for value in request.POST.getlist("report") if (number := whole_number(value)) is not None]
    chosen = list(campaign.reports.filter(pk__in=ids))
    try:
        accepted = reports_transition_many(actor=request.user, reports=chosen, action="accept")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if accepted:
            messages.success(request, _("%(n)s reports accepted and dispatched.") % {"n": len(accepted)})
    return redirect(f"{reverse('campaigns:report_queue', args=[campaign.pk])}?state=submitted")


def _detail_context(request, report: Report, **extra) -> dict:
    user = request.user
    manages = access.manages(user, report.campaign)
    unit = access.acts_for_unit(user, report)
    verifier = access.can_verify(user, report) and not access.is_reporter(user, report)
    may = {"office": manages, "unit": unit, "verifier": verifier}
    moves = [action for action in REPORT_ACTIONS.available(report.state) if may[action.actor]]
    actions = [action for action in moves if action.code not in ROUTING_ACTIONS]
    sees_contact = access.sees_contact(user, report)
    events = list(report.events.select_related("actor"))
    for event in events:
        event.label = EVENT_LABELS.get(event.code, event.code)
        if not sees_contact and event.actor is not None and event.actor.account_type == AccountType.RESIDENT:
            event.actor = None  # who reported or follows is the reporter's contact detail too
    events = [e for e in reversed(events) if sees_contact or e.code != "campaigns.report.followed"]
    return {
        "report": report,
        "photos": report.photos.all(),
        "events": events,
        "actions": actions,
        "manages": manages,
        "sees_contact": sees_contact,
        "item_visible": report.item is not None
        and ledger_access.visible_items(user).filter(pk=report.item.pk).exists(),
        "may_reroute": any(action.code in ROUTING_ACTIONS for action in moves),
        "reroute_unit": unit_select(
            "unit",
            Unit.objects.active().exclude(kind__in=["compound", "grid", "external"]),
            whole_number(extra.get("posted", {}).get("unit")),
            required=True,
            id="reroute-unit",
        ),
        "chiefs": report.campaign.chiefs.select_related("person", "area"),
        "nearby": nearby_open(report.category, report.lat, report.lng, exclude=report.pk)
        if manages and report.state in {ReportState.SUBMITTED, ReportState.ACCEPTED}
        else [],
        "map": map_settings(point=(report.lat, report.lng)),
        "posted": {},
        "errors": [],
        **extra,
    }


@login_required
def report_detail(request, pk: int):
    """A report as staff see it, with the actions the user may take."""
    report = access.get_report_for_staff(request.user, pk)
    if request.method != "POST":
        return render(request, "campaigns/report_detail.html", _detail_context(request, report))
    action = request.POST.get("action", "")
    post = request.POST
    try:
        if action == "reroute":
            unit = Unit.objects.filter(pk=pk_or_404(post.get("unit"))).first()
            chief_pk = whole_number(post.get("chief"))
            chief = report.campaign.chiefs.filter(pk=chief_pk).first() if chief_pk is not None else None
            if unit is None:
                raise ValidationError({"unit": _("Choose the unit.")})
            report_reroute(
                actor=request.user,
                report=report,
                unit=unit,
                chief=chief,
                note=post.get("note", ""),
                public_reply=post.get("public_reply", ""),
            )
        elif action in REPORT_ACTIONS and action not in ROUTING_ACTIONS:
            duplicate_of = None
            if action == "duplicate":
                original = (post.get("duplicate_of") or "").strip().lstrip("#")
                original_pk = whole_number(original)
                duplicate_of = Report.objects.filter(pk=original_pk).first() if original_pk is not None else None
            report_transition(
                actor=request.user,
                report=report,
                action=action,
                note=post.get("note", ""),
                public_reply=post.get("public_reply", ""),
                photos=request.FILES.getlist("photos"),
                duplicate_of=duplicate_of,
                transferred_to=post.get("transferred_to", ""),
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        context = _detail_context(request, report, posted={**post.dict(), "open": action}, errors=error.messages)
        return render(request, "campaigns/report_detail.html", context, status=400)
    messages.success(request, _("The report is updated."))
    return redirect("campaigns:report_detail", pk=report.pk)


@login_required
def inspect(request):
    """The inspectors' phone form: report what they find on patrol; it is dispatched at once when a
    rule routes it."""
    org_access.require_official(request.user)
    form = ReportForm(request.POST or None, request.FILES or None, with_contact=False)
    if request.method == "POST" and form.is_valid():
        try:
            report = form.submit(actor=request.user, source=ReportSource.INSPECTOR, accept=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Report #%(n)s recorded: %(state)s.") % {"n": report.pk, "state": report.get_state_display()},
            )
            return redirect("campaigns:inspect")
    return render(
        request, "campaigns/inspect.html", {"form": form, "map": map_settings()}, status=400 if form.errors else 200
    )


#
# The map of areas and Open311 clients (office admins)
#


@login_required
def areas(request):
    access.require_manager(request.user)
    units = Unit.objects.active().filter(kind__in=setup.AREA_KINDS).order_by("path")
    shapes = {shape.unit_id: shape for shape in AreaShape.objects.all()}
    rows = [{"unit": unit, "shape": shapes.get(unit.pk), "indent": "　" * unit.depth} for unit in units]
    return render(request, "campaigns/areas.html", {"rows": rows, "map": map_settings()})


@login_required
def area_edit(request, unit_pk: int):
    access.require_manager(request.user)
    unit = get_object_or_404(Unit.objects.active().filter(kind__in=setup.AREA_KINDS), pk=unit_pk)
    shape = AreaShape.objects.filter(unit=unit).first()
    initial = (
        {"center_lat": shape.center_lat, "center_lng": shape.center_lng, "outline": shape.outline} if shape else {}
    )
    form = AreaShapeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup.area_shape_set(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(unit)s is on the map.") % {"unit": unit.name})
            return redirect("campaigns:areas")
    return form_page(
        request, form, title=_("Where is %(unit)s?") % {"unit": unit.name}, back_url=reverse("campaigns:areas")
    )


@login_required
def clients(request):
    access.require_manager(request.user)
    form = ClientForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _client, new_key = setup.client_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ClientForm()
    context = {"clients": Open311Client.objects.all(), "form": form, "new_key": new_key}
    return render(request, "campaigns/clients.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def client_toggle(request, pk: int):
    access.require_manager(request.user)
    client = get_object_or_404(Open311Client, pk=pk)
    setup.client_set_active(actor=request.user, client=client, active=not client.is_active)
    return redirect("campaigns:clients")
