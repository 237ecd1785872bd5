"""Administrative mediation: the cases from application to archive, with their documents."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.paginator import searched_page
from duban.core.text import download_name
from duban.core.views import pk_or_404, submitted, whole_number
from duban.core.workdays import calendar_knows_year
from duban.renewal import access, services
from duban.renewal.choices import (
    CASE_MOVES,
    CaseState,
    ClaimType,
)
from duban.renewal.documents import agreement_docx, notice_docx
from duban.renewal.forms import (
    AcceptForm,
    AgreementForm,
    CaseForm,
    ConsentForm,
    FollowUpForm,
    ReasonForm,
    SessionForm,
    SettleForm,
    TerminateForm,
)
from duban.renewal.models import Party, RenewalSettings, SessionDocument, past_period, settled_in
from duban.renewal.views.common import PAGE_SIZE, in_units, stepped, timeline, without


@login_required
def cases(request):
    access.require_use(request.user)
    found = access.cases_for(request.user).select_related("project__street")
    filters = {key: request.GET.get(key, "") for key in ("state", "claim_type", "q")}
    if filters["state"] in CaseState.values:
        found = found.filter(state=filters["state"])
    if filters["claim_type"] in ClaimType.values:
        found = found.filter(claim_type=filters["claim_type"])
    if request.GET.get("overdue"):
        filters["overdue"] = "1"
        found = found.filter(past_period(timezone.localdate()))
    linked, kept = [], []  # the filters a figure elsewhere (the cockpit) links with
    if (year := whole_number(request.GET.get("settled"))) and 2000 <= year <= 2100:
        found = found.filter(settled_in(year))
        linked.append((_("Settled by agreement in"), str(year)))
        kept.append(("settled", str(year)))
    found = in_units(request, found, "project__street", linked, kept)
    # The search last, so that it sees every other filter.
    found, walk = found.listed(filters["q"].strip(), ("-applied_at", "-pk"), exact=("number",))
    officer = access.sees_contacts(request.user)
    context = {
        "page": searched_page(found, PAGE_SIZE, filters["q"], walk, request.GET.get("page")),
        "filters": filters, "states": CaseState.choices, "claim_types": ClaimType.choices,
        "linked": linked, "kept": kept, "unlinked": without(request.GET, [name for name, _value in kept]),
        "projects": access.projects_for(request.user).select_related("street").order_by("street__sort_order", "name")
        if officer else [],
    }  # fmt: skip
    return render(request, "renewal/cases.html", context)


@login_required
def case_start(request):
    """The project chosen on the cases page: its application form."""
    project = access.get_project_for_user(request.user, pk_or_404(request.GET.get("project")))
    return redirect("renewal:case_new", pk=project.pk)


@login_required
def case_new(request, pk: int):
    project = access.get_project_for_user(request.user, pk)
    access.require_officer(request.user)
    form = CaseForm(request.POST or None, project=project)

    def write(data):
        return services.case_apply(actor=request.user, project=project, origin=data["origin"],
                                   claim_type=data["claim_type"], claim=data["claim"],
                                   parties=form.parties())  # fmt: skip

    if request.method == "POST":
        message = lambda case: _("Mediation case %(number)s registered.") % {"number": case.number}  # noqa: E731
        done = submitted(request, form, write, message, lambda case: reverse("renewal:case_detail", args=[case.pk]))
        if done is not None:
            return done
    return render(request, "renewal/case_form.html", {"form": form, "project": project},
                  status=400 if form.errors else 200)  # fmt: skip


def _case_step_forms(request, case, posted: str = "") -> dict:
    forms = {}
    for move in CASE_MOVES.available(case.state):
        if not services.may_case_step(request.user, case, move):
            continue
        data = request.POST if move.code == posted else None
        if move.code == "accept":
            forms[move.code] = AcceptForm(data, prefix="accept")
        elif move.code == "settle":
            if not case.terms:
                continue
            forms[move.code] = SettleForm(data, case=case, prefix="settle")
        elif move.code == "extend":
            if case.extensions >= RenewalSettings.current().extensions_allowed or timezone.localdate() > case.ends_on:
                continue
            forms[move.code] = ReasonForm(data, prefix=move.code)
        elif move.code == "terminate":
            forms[move.code] = TerminateForm(data, referrals=services.referrals_open(case), prefix="terminate")
        elif move.needs_reason:
            forms[move.code] = ReasonForm(data, prefix=move.code)
        else:
            forms[move.code] = None
    return forms


def _case_page(request, case, forms=None, *, session_form=None, agreement_form=None, followup_form=None,
               status=200):  # fmt: skip
    officer = access.sees_contacts(request.user)
    mediating = case.state == CaseState.MEDIATING and officer
    forms = forms if forms is not None else _case_step_forms(request, case)
    context = {
        "case": case, "officer": officer,
        "parties": case.parties.select_related("household").order_by("pk"),
        "consent_forms": {p.pk: ConsentForm(prefix=f"party{p.pk}") for p in case.parties.all()}
        if officer and case.state == CaseState.APPLIED else {},
        "steps": [{"move": CASE_MOVES[code], "form": form} for code, form in forms.items()],
        "sessions": case.sessions.prefetch_related("mediators", "documents").order_by("held_on", "pk"),
        "session_form": session_form or (SessionForm(initial={"held_on": timezone.localdate()}) if mediating
                                         else None),
        "agreement_form": agreement_form or (AgreementForm(initial={"facts": case.facts, "terms": case.terms})
                                             if mediating else None),
        "followups": case.followups.select_related("visited_by").order_by("visited_on"),
        "followup_form": followup_form or (FollowUpForm() if officer and case.state == CaseState.SETTLED else None),
        "item": services.item_of(case) if access.oversees(request.user) else None,
        "unverified_calendar": case.ends_on is not None and not calendar_knows_year(case.ends_on.year),
        "events": timeline(case.events.all()),
    }  # fmt: skip
    return render(request, "renewal/case_detail.html", context, status=status)


@login_required
def case_detail(request, pk: int):
    return _case_page(request, access.get_case_for_user(request.user, pk))


@login_required
@require_POST
def case_step(request, pk: int, code: str):
    case = access.get_case_for_user(request.user, pk)
    if code not in CASE_MOVES:
        raise Http404

    def write(reason, data):
        services.case_step(actor=request.user, case=case, code=code, reason=reason, **data)

    return stepped(request, CASE_MOVES, code, _case_step_forms(request, case, posted=code), write,
                    lambda forms: _case_page(request, case, forms, status=400),
                    reverse("renewal:case_detail", args=[case.pk]))  # fmt: skip


@login_required
@require_POST
def party_consent(request, pk: int):
    party = get_object_or_404(Party, pk=pk)
    case = access.get_case_for_user(request.user, party.case_id)
    form = ConsentForm(request.POST, prefix=f"party{party.pk}")
    if not form.is_valid():
        messages.error(request, _("Give the date the party agreed."))
    else:
        try:
            services.party_consent(actor=request.user, party=party, consented_on=form.cleaned_data["consented_on"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("%(name)s agreed to mediation.") % {"name": party.name})
    return redirect("renewal:case_detail", pk=case.pk)


@login_required
@require_POST
def session_add(request, pk: int):
    case = access.get_case_for_user(request.user, pk)
    access.require_officer(request.user)
    form = SessionForm(request.POST, request.FILES)

    def write(data):
        return services.session_record(actor=request.user, case=case, uploads=data.pop("files"), **data)

    done = reverse("renewal:case_detail", args=[case.pk])
    return submitted(request, form, write, _("Session recorded."), done) or _case_page(
        request, case, session_form=form, status=400
    )


@login_required
@require_POST
def agreement_save(request, pk: int):
    case = access.get_case_for_user(request.user, pk)
    access.require_officer(request.user)
    form = AgreementForm(request.POST)

    def write(data):
        return services.agreement_draft(actor=request.user, case=case, **data)

    message = _("Agreement saved. Download it for the parties to sign.")
    done = reverse("renewal:case_detail", args=[case.pk])
    return submitted(request, form, write, message, done) or _case_page(request, case, agreement_form=form, status=400)


@login_required
@require_POST
def followup_add(request, pk: int):
    case = access.get_case_for_user(request.user, pk)
    access.require_officer(request.user)
    form = FollowUpForm(request.POST)

    def write(data):
        return services.followup_record(actor=request.user, case=case, **data)

    done = reverse("renewal:case_detail", args=[case.pk])
    return submitted(request, form, write, _("Follow-up visit recorded."), done) or _case_page(
        request, case, followup_form=form, status=400
    )


@login_required
def case_notice(request, pk: int):
    case = access.get_case_for_user(request.user, pk)
    if case.accepted_on is None:
        raise Http404
    return FileResponse(io.BytesIO(notice_docx(case)), as_attachment=True,
                        filename=download_name(f"行政调解受理通知书-{case.number}.docx"))  # fmt: skip


@login_required
def case_agreement(request, pk: int):
    case = access.get_case_for_user(request.user, pk)
    if not case.terms:
        raise Http404
    return FileResponse(io.BytesIO(agreement_docx(case)), as_attachment=True,
                        filename=download_name(f"行政调解协议书-{case.number}.docx"))  # fmt: skip


@login_required
def session_document(request, pk: int):
    found = get_object_or_404(SessionDocument.objects.select_related("session"), pk=pk)
    access.get_case_for_user(request.user, found.session.case_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=download_name(found.name))
