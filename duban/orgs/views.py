from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.forms import add_service_errors
from duban.core.history import history_entries
from duban.core.paginator import CappedPaginator
from duban.core.views import form_page, pk_or_404
from duban.orgs import access, services
from duban.orgs.choices import CHANGE_LABELS, PositionRole, RecordState, UnitKind
from duban.orgs.forms import (
    PersonForm,
    PortfolioForm,
    PositionForm,
    RetireForm,
    UnitCreateForm,
    UnitForm,
    UnitMoveForm,
)
from duban.orgs.models import LeaderPortfolio, Person, Unit

TREE_GROUPS = [
    (UnitKind.STREET, gettext_lazy("Streets")),
    (UnitKind.COMMISSION, gettext_lazy("Party commissions and offices")),
    (UnitKind.DEPARTMENT, gettext_lazy("District departments")),
    (UnitKind.BRANCH, gettext_lazy("Municipal branches in the district")),
]


def _render_history(request, obj, back_url: str):
    entries = history_entries(obj)
    for entry in entries:
        entry.label = CHANGE_LABELS.get(entry.reason, entry.reason)
    return render(request, "orgs/history.html", {"object": obj, "entries": entries, "back_url": back_url})


#
# Units
#


@login_required
def unit_tree(request):
    access.require_official(request.user)
    show_retired = request.GET.get("retired") == "1"
    query = request.GET.get("q", "").strip()
    units = Unit.objects.all() if show_retired else Unit.objects.active()
    if query:
        matches = units.filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code=query))
        context = {"matches": matches.select_related("parent")[:50], "query": query}
        template = "orgs/_search_results.html" if request.htmx else "orgs/unit_tree.html"
        return render(request, template, context)
    children = defaultdict(list)
    for unit in units.order_by("depth", "sort_order", "id"):
        children[unit.parent_id].append(unit)
    roots = children[None]
    district = next((u for u in roots if u.kind == UnitKind.DISTRICT), None)
    groups = []
    if district is not None:
        for kind, label in TREE_GROUPS:
            members = [u for u in children[district.pk] if u.kind == kind]
            if members:
                groups.append({"label": label, "units": members})
    context = {
        "district": district,
        "groups": groups,
        "externals": [u for u in roots if u.kind == UnitKind.EXTERNAL],
        "children": children,
        "show_retired": show_retired,
        "can_create_root": access.is_office_admin(request.user),
    }
    return render(request, "orgs/unit_tree.html", context)


@login_required
def unit_detail(request, pk: int):
    unit = access.get_unit_for_user(request.user, pk)
    positions = list(unit.positions.current().select_related("person").order_by("role", "started_on", "id"))
    by_role = {role: [p for p in positions if p.role == role] for role in PositionRole.values}
    context = {
        "unit": unit,
        "ancestors": Unit.objects.ancestors_of(unit).exclude(pk=unit.pk),
        "head": (by_role[PositionRole.HEAD] or [None])[0],
        "deputies": by_role[PositionRole.DEPUTY],
        "staff": by_role[PositionRole.STAFF],
        "liaisons": by_role[PositionRole.LIAISON],
        "leaders": LeaderPortfolio.objects.covering(unit).select_related("leader"),
        "active_children": unit.children.active(),
        "retired_children": unit.children.filter(state=RecordState.RETIRED),
        "past_positions": unit.positions.exclude(ended_on__isnull=True).select_related("person")[:20],
        "can_manage": access.can_manage_unit(request.user, unit),
        "can_restructure": access.can_restructure_unit(request.user, unit),
        "contact_visible": {p.person_id for p in positions if access.can_see_contact(request.user, p.person)},
    }
    return render(request, "orgs/unit_detail.html", context)


@login_required
def unit_create(request):
    access.require_official(request.user)
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id:
        parent = access.get_unit_for_user(request.user, pk_or_404(parent_id), manage=True)
    else:
        access.require_office_admin(request.user)  # a unit at the top of the tree
        parent = None
    form = UnitCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Unit “%(name)s” was created.") % {"name": unit.name})
            return redirect("orgs:unit_detail", pk=unit.pk)
    back = reverse("orgs:unit_detail", args=[parent.pk]) if parent else reverse("orgs:unit_tree")
    title = _("New unit under %(parent)s") % {"parent": parent.name} if parent else _("New top-level unit")
    return form_page(request, form, title=title, back_url=back, submit_label=_("Create"))


@login_required
def unit_edit(request, pk: int):
    unit = access.get_unit_for_user(request.user, pk, manage=True)
    form = UnitForm(request.POST or None, instance=Unit.objects.get(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=unit, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:unit_detail", pk=unit.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": unit.name},
        back_url=reverse("orgs:unit_detail", args=[unit.pk]),
    )


@login_required
def unit_move(request, pk: int):
    unit = access.get_unit_for_user(request.user, pk, restructure=True)
    parents = access.scoped_units(request.user).active().exclude(path__startswith=unit.path)
    form = UnitMoveForm(request.POST or None, parents=parents, initial={"parent": unit.parent_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_move(actor=request.user, unit=unit, new_parent=form.cleaned_data["parent"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Unit moved."))
            return redirect("orgs:unit_detail", pk=unit.pk)
    return form_page(
        request,
        form,
        title=_("Move %(name)s") % {"name": unit.name},
        back_url=reverse("orgs:unit_detail", args=[unit.pk]),
        submit_label=_("Move"),
        intro=_("The unit keeps its people, history and the units below it."),
    )


@login_required
def unit_retire(request, pk: int):
    unit = access.get_unit_for_user(request.user, pk, restructure=True)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_retire(actor=request.user, unit=unit, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Unit retired. Its history stays readable."))
            return redirect("orgs:unit_detail", pk=unit.pk)
    return form_page(
        request,
        form,
        title=_("Retire %(name)s") % {"name": unit.name},
        back_url=reverse("orgs:unit_detail", args=[unit.pk]),
        submit_label=_("Retire"),
        intro=_(
            "A retired unit is never deleted: its history and the units below it stay readable, and its "
            "current posts end today. Units still active below it must be moved or retired first."
        ),
    )


@login_required
@require_POST
def unit_restore(request, pk: int):
    unit = access.get_unit_for_user(request.user, pk, restructure=True)
    try:
        services.unit_restore(actor=request.user, unit=unit)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Unit restored."))
    return redirect("orgs:unit_detail", pk=unit.pk)


@login_required
def unit_history(request, pk: int):
    unit = access.get_unit_for_user(request.user, pk)
    return _render_history(request, unit, reverse("orgs:unit_detail", args=[unit.pk]))


#
# Positions
#


@login_required
def position_add(request, pk: int):
    unit = access.get_unit_for_user(request.user, pk, manage=True)
    form = PositionForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.position_assign(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Appointed."))
            return redirect("orgs:unit_detail", pk=unit.pk)
    return form_page(
        request,
        form,
        title=_("Post a person to %(name)s") % {"name": unit.name},
        back_url=reverse("orgs:unit_detail", args=[unit.pk]),
        submit_label=_("Appoint"),
    )


@login_required
@require_POST
def position_end(request, pk: int):
    position = access.get_position_for_user(request.user, pk)
    try:
        services.position_end(actor=request.user, position=position)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Position ended."))
    return redirect("orgs:unit_detail", pk=position.unit_id)


#
# People
#


@login_required
def person_list(request):
    access.require_official(request.user)
    query = request.GET.get("q", "").strip()
    show_retired = request.GET.get("retired") == "1"
    people = Person.objects.all() if show_retired else Person.objects.active()
    if query:
        people = people.filter(Q(name__icontains=query) | Q(positions__unit__name__icontains=query)).distinct()
    people = people.prefetch_related("positions__unit").order_by("name", "id")
    context = {
        "page": CappedPaginator(people, 50).get_page(request.GET.get("page")),
        "query": query,
        "show_retired": show_retired,
        "can_create": access.is_office_admin(request.user),
    }
    template = "orgs/_people_table.html" if request.htmx else "orgs/person_list.html"
    return render(request, template, context)


@login_required
def person_create(request):
    access.require_office_admin(request.user)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Person “%(name)s” was added.") % {"name": person.name})
            return redirect("orgs:person_detail", pk=person.pk)
    return form_page(
        request, form, title=_("Add a person"), back_url=reverse("orgs:person_list"), submit_label=_("Add")
    )


@login_required
def person_detail(request, pk: int):
    person = access.get_person_for_user(request.user, pk)
    context = {
        "person": person,
        "positions": person.positions.select_related("unit").order_by("ended_on", "-started_on"),
        "portfolios": person.portfolios.prefetch_related("domains", "units"),
        "contact_visible": access.can_see_contact(request.user, person),
        "can_manage": access.can_manage_person(request.user, person),
        "can_retire": access.is_office_admin(request.user),
    }
    return render(request, "orgs/person_detail.html", context)


@login_required
def person_edit(request, pk: int):
    person = access.get_person_for_user(request.user, pk, manage=True)
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:person_detail", pk=person.pk)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": person.name},
        back_url=reverse("orgs:person_detail", args=[person.pk]),
    )


@login_required
@require_POST
def person_retire(request, pk: int):
    person = access.get_person_for_user(request.user, pk)
    access.require_office_admin(request.user)
    try:
        services.person_retire(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Person retired; their positions have ended."))
    return redirect("orgs:person_detail", pk=person.pk)


@login_required
@require_POST
def person_restore(request, pk: int):
    person = access.get_person_for_user(request.user, pk)
    access.require_office_admin(request.user)
    try:
        services.person_restore(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Person restored."))
    return redirect("orgs:person_detail", pk=person.pk)


@login_required
def person_history(request, pk: int):
    person = access.get_person_for_user(request.user, pk)
    return _render_history(request, person, reverse("orgs:person_detail", args=[person.pk]))


#
# Leader portfolios
#


@login_required
def portfolio_list(request):
    access.require_official(request.user)
    show_ended = request.GET.get("ended") == "1"
    portfolios = LeaderPortfolio.objects.all() if show_ended else LeaderPortfolio.objects.current()
    context = {
        "portfolios": portfolios.select_related("leader").prefetch_related("domains", "units"),
        "show_ended": show_ended,
        "can_manage": access.can_manage_portfolios(request.user),
    }
    return render(request, "orgs/portfolio_list.html", context)


def _portfolio_save(request, form, portfolio):
    data = form.cleaned_data
    try:
        if portfolio is None:
            return services.portfolio_create(
                actor=request.user,
                leader=data["leader"],
                title=data["title"],
                rank=data["rank"],
                domains=data["domains"],
                units=data["units"],
                sort_order=data["sort_order"],
            )
        return services.portfolio_update(
            actor=request.user,
            portfolio=portfolio,
            title=data["title"],
            rank=data["rank"],
            domains=data["domains"],
            units=data["units"],
            sort_order=data["sort_order"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@login_required
def portfolio_edit(request, pk: int | None = None):
    if pk is None:
        if not access.can_manage_portfolios(request.user):
            raise PermissionDenied(access.ADMINS_ONLY)
        portfolio = None
    else:
        portfolio = access.get_portfolio_for_user(request.user, pk, manage=True)
    form = PortfolioForm(request.POST or None, instance=LeaderPortfolio.objects.get(pk=pk) if pk else None)
    if request.method == "POST" and form.is_valid():
        saved = _portfolio_save(request, form, portfolio)
        if saved is not None:
            messages.success(request, _("Portfolio saved."))
            return redirect("orgs:portfolio_list")
    title = _("Edit portfolio of %(name)s") % {"name": portfolio.leader.name} if portfolio else _("New portfolio")
    return form_page(request, form, title=title, back_url=reverse("orgs:portfolio_list"))


@login_required
@require_POST
def portfolio_end(request, pk: int):
    portfolio = access.get_portfolio_for_user(request.user, pk, manage=True)
    try:
        services.portfolio_end(actor=request.user, portfolio=portfolio)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Portfolio ended."))
    return redirect("orgs:portfolio_list")


@login_required
def portfolio_history(request, pk: int):
    portfolio = access.get_portfolio_for_user(request.user, pk)
    return _render_history(request, portfolio, reverse("orgs:portfolio_list"))
