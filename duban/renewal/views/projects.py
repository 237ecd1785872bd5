"""The renewal projects: the list, a project with its households and signing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.paginator import CappedPaginator
from duban.core.views import form_page, submitted
from duban.renewal import access, services
from duban.renewal.choices import (
    STAGE_ORDER,
    CaseState,
    ProjectKind,
    ProjectStage,
)
from duban.renewal.forms import (
    HouseholdsForm,
    ProjectForm,
    SignForm,
)
from duban.renewal.views.common import PAGE_SIZE, timeline


@login_required
def home(request):
    access.require_use(request.user)
    found = access.projects_for(request.user).select_related("street").annotate(
        open_cases=Count("cases", filter=Q(cases__state__in=[CaseState.APPLIED, CaseState.MEDIATING]))
    ).order_by("street__sort_order", "name")  # fmt: skip
    filters = {key: request.GET.get(key, "") for key in ("stage", "kind", "q")}
    if filters["stage"] in ProjectStage.values:
        found = found.filter(stage=filters["stage"])
    if filters["kind"] in ProjectKind.values:
        found = found.filter(kind=filters["kind"])
    if q := filters["q"].strip():
        found = found.filter(Q(name__icontains=q) | Q(developer__icontains=q) | Q(street__name__icontains=q))
    context = {
        "page": CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters, "stages": ProjectStage.choices, "kinds": ProjectKind.choices,
        "officer": access.sees_contacts(request.user),
    }  # fmt: skip
    return render(request, "renewal/home.html", context)


@login_required
def project_new(request):
    access.require_officer(request.user)
    form = ProjectForm(request.POST or None)
    if request.method == "POST":
        done = submitted(
            request,
            form,
            lambda data: services.project_register(actor=request.user, **data),
            _("Project registered."),
            lambda project: reverse("renewal:project_detail", args=[project.pk]),
        )
        if done is not None:
            return done
    return form_page(request, form, title=_("Register a renewal project"), back_url=reverse("renewal:home"))


def _project_page(request, project, *, households_form=None, sign_form=None, status=200):
    officer = access.sees_contacts(request.user)
    households = project.households.order_by("label", "pk")
    signed, total = project.consent()
    context = {
        "project": project, "officer": officer, "signed": signed, "total": total,
        "households": CappedPaginator(households, 100).get_page(request.GET.get("page")),
        "history": services.consent_history(project),
        "next_stage": ProjectStage(STAGE_ORDER[STAGE_ORDER.index(project.stage) + 1]).label
        if project.stage != STAGE_ORDER[-1] else "",
        "cases": project.cases.order_by("-applied_at"),
        "households_form": households_form or (HouseholdsForm() if officer else None),
        "sign_form": sign_form or (SignForm(project=project) if officer else None),
        "events": timeline(project.events.filter(case=None, release=None)),
    }  # fmt: skip
    return render(request, "renewal/project_detail.html", context, status=status)


@login_required
def project_detail(request, pk: int):
    return _project_page(request, access.get_project_for_user(request.user, pk))


@login_required
@require_POST
def project_advance(request, pk: int):
    project = access.get_project_for_user(request.user, pk)
    try:
        services.project_advance(actor=request.user, project=project)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        project.refresh_from_db()
        messages.success(request, _("The project is now at “%(stage)s”.") % {"stage": project.get_stage_display()})
    return redirect("renewal:project_detail", pk=project.pk)


@login_required
@require_POST
def households_add(request, pk: int):
    project = access.get_project_for_user(request.user, pk)
    access.require_officer(request.user)
    form = HouseholdsForm(request.POST)

    def write(data):
        return services.households_add(actor=request.user, project=project, rows=form.households())

    message = lambda made: _("%(n)s households added.") % {"n": len(made)}  # noqa: E731
    done = reverse("renewal:project_detail", args=[project.pk])
    return submitted(request, form, write, message, done) or _project_page(
        request, project, households_form=form, status=400
    )


@login_required
@require_POST
def households_sign(request, pk: int):
    project = access.get_project_for_user(request.user, pk)
    access.require_officer(request.user)
    form = SignForm(request.POST, project=project)

    def write(data):
        households = list(data["households"])
        return services.households_sign(actor=request.user, project=project, households=households,
                                        signed_on=data["signed_on"])  # fmt: skip

    message = lambda n: _("%(n)s relocation agreements recorded.") % {"n": n}  # noqa: E731
    done = reverse("renewal:project_detail", args=[project.pk])
    return submitted(request, form, write, message, done) or _project_page(request, project, sign_form=form, status=400)
