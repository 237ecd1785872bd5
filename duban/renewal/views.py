"""Urban renewal's pages: the projects with their households and signing, the mediation cases from
application to archive with their documents, the supervised funds with each account's releases, and
the quarterly statistics."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.exports import Column, amount, xlsx_sheets_response
from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.text import download_name
from duban.core.views import form_page, pk_or_404, submitted, year_param
from duban.core.workdays import calendar_knows_year
from duban.renewal import access, services, stats
from duban.renewal.choices import (
    CASE_MOVES,
    EVENT_LABELS,
    RELEASE_MOVES,
    STAGE_ORDER,
    CaseState,
    ClaimType,
    ProjectKind,
    ProjectStage,
    RuleKind,
)
from duban.renewal.documents import agreement_docx, notice_docx
from duban.renewal.forms import (
    AcceptForm,
    AccountForm,
    AgreementForm,
    CaseForm,
    ConsentForm,
    DepositForm,
    FollowUpForm,
    HouseholdsForm,
    ProjectForm,
    ReachForm,
    ReasonForm,
    ReleaseForm,
    SessionForm,
    SettleForm,
    SignForm,
    TerminateForm,
    TransferForm,
)
from duban.renewal.models import Party, Reach, RenewalSettings, SessionDocument

PAGE_SIZE = 50


def _done(request, label) -> None:
    messages.success(request, _("Done: %(step)s.") % {"step": label})


def _events(queryset) -> list[dict]:
    return [{"event": e, "label": EVENT_LABELS.get(e.code, e.code)}
            for e in queryset.select_related("actor").order_by("at", "pk")]  # fmt: skip


def _stepped(request, table, code: str, forms: dict, write, again, done: str):
    """A step posted from a record's page: the step's own form checked, then the service; a refusal
    is shown on the form (`again(forms)` renders the page with them) or, for a step without a form,
    as a message."""
    if code not in forms:
        messages.error(request, _("This step is not open to you now."))
        return redirect(done)
    form = forms[code]
    data: dict = {}
    if form is not None:
        if not form.is_valid():
            return again(forms)
        data = {"signed": form.signed()} if isinstance(form, SettleForm) else dict(form.cleaned_data)
    reason = data.pop("reason", "") or ""
    try:
        write(reason, data)
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
            return again(forms)
        messages.error(request, " ".join(error.messages))
    else:
        _done(request, table[code].label)
    return redirect(done)


# Projects


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
        "events": _events(project.events.filter(case=None, release=None)),
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


# Mediation


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
        found = found.filter(state=CaseState.MEDIATING, ends_on__lt=timezone.localdate())
    if q := filters["q"].strip():
        found = found.filter(Q(number__icontains=q) | Q(project__name__icontains=q) | Q(parties__name__icontains=q))
        found = found.distinct()
    officer = access.sees_contacts(request.user)
    context = {
        "page": CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters, "states": CaseState.choices, "claim_types": ClaimType.choices,
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
        "events": _events(case.events.all()),
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

    return _stepped(request, CASE_MOVES, code, _case_step_forms(request, case, posted=code), write,
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


# Supervised funds


@login_required
def funds(request):
    access.require_use(request.user)
    accounts = access.accounts_for(request.user)
    rows = stats.funds_rows(accounts)
    by_year = stats.released_by_year(accounts)
    totals = [sum(getattr(r, name) for r in rows) for name in ("required", "deposited", "released", "held", "pending")]
    chart = {"labels": [str(year) for year, _total in by_year],
             "series": [{"name": str(_("Released (10,000 yuan)")),
                         "values": [float(round(total / 10000, 2)) for _year, total in by_year]}]}  # fmt: skip
    context = {"rows": rows, "totals": totals, "by_stage": stats.funds_by_stage(rows), "chart": chart,
               "officer": access.sees_contacts(request.user)}  # fmt: skip
    if request.GET.get("format") == "xlsx":
        return _funds_xlsx(rows)
    return render(request, "renewal/funds.html", context)


def _funds_xlsx(rows):
    headers = [_("Project"), _("Street"), _("Stage"), amount(_("Required")), amount(_("Deposited")),
               amount(_("Released")), amount(_("Held")), amount(_("Awaiting release"))]  # fmt: skip
    data = [[r.account.project.name, r.account.project.street.name, r.account.project.get_stage_display(), r.required,
             r.deposited, r.released, r.held, r.pending] for r in rows]  # fmt: skip
    name = _("Supervised renewal funds")
    return xlsx_sheets_response(f"{name}.xlsx", [(_("Supervised funds"), headers, data)])


@login_required
def account_new(request, pk: int):
    project = access.get_project_for_user(request.user, pk)
    access.require_officer(request.user)
    form = AccountForm(request.POST or None)

    def write(data):
        return services.account_open(actor=request.user, project=project, bank=data["bank"], number=data["number"],
                                     opened_on=data["opened_on"], requirements=form.requirements(),
                                     rules=form.rules())  # fmt: skip

    if request.method == "POST":
        done = submitted(request, form, write, _("Supervision account opened."),
                          lambda account: reverse("renewal:account_detail", args=[account.pk]))  # fmt: skip
        if done is not None:
            return done
    return form_page(request, form, title=_("Open the supervision account"),
                     back_url=reverse("renewal:project_detail", args=[project.pk]))  # fmt: skip


def _release_forms(request, release, posted: str = "") -> dict:
    forms = {}
    for move in RELEASE_MOVES.available(release.state):
        if not services.may_release_step(request.user, release, move):
            continue
        if move.code == "approve" and services.over_threshold(release):
            continue
        if move.code == "refer" and not services.over_threshold(release):
            continue
        if move.code in ("approve", "refer", "endorse") and release.applied_by_id == request.user.pk:
            continue
        data = request.POST if move.code == posted else None
        if move.code == "transfer":
            forms[move.code] = TransferForm(data, prefix="transfer", initial={"released_on": timezone.localdate()})
        elif move.needs_reason:
            forms[move.code] = ReasonForm(data, prefix=f"r{release.pk}-{move.code}")
        else:
            forms[move.code] = None
    return forms


def _account_page(request, account, *, deposit_form=None, reach_form=None, release_form=None, posted=None,
                  status=200):  # fmt: skip
    officer = access.sees_contacts(request.user)
    releases = []
    for release in account.releases.select_related("rule", "approved_by", "endorsed_by").order_by("applied_at"):
        forms = posted[1] if posted and posted[0] == release.pk else _release_forms(request, release)
        releases.append(
            {"release": release, "steps": [{"move": RELEASE_MOVES[c], "form": f} for c, f in forms.items()]}
        )
    rules = list(account.rules.order_by("kind", "pk"))
    context = {
        "account": account, "project": account.project, "officer": officer,
        "row": stats.funds_rows(type(account).objects.filter(pk=account.pk))[0],
        "requirements": account.requirements.order_by("pk"),
        "rules": [{"rule": r, "room": services.room(account, r)} for r in rules],
        "deposits": account.deposits.order_by("deposited_on", "pk"),
        "reached": account.reached.order_by("reached_on"),
        "releases": releases,
        "deposit_form": deposit_form or (DepositForm(prefix="deposit") if officer else None),
        "reach_form": reach_form or (ReachForm() if officer else None),
        "release_form": release_form or (ReleaseForm(account=account) if officer else None),
        "has_guarantee_rule": any(r.kind == RuleKind.GUARANTEE for r in rules),
        "events": _events(account.project.events.filter(Q(release__account=account) | Q(
            code__startswith="renewal.account."))),
    }  # fmt: skip
    return render(request, "renewal/account_detail.html", context, status=status)


@login_required
def account_detail(request, pk: int):
    return _account_page(request, access.get_account_for_user(request.user, pk))


@login_required
@require_POST
def deposit_add(request, pk: int):
    account = access.get_account_for_user(request.user, pk)
    access.require_officer(request.user)
    form = DepositForm(request.POST, prefix="deposit")

    def write(data):
        return services.deposit_record(actor=request.user, account=account, **data)

    done = reverse("renewal:account_detail", args=[account.pk])
    return submitted(request, form, write, _("Deposit recorded."), done) or _account_page(
        request, account, deposit_form=form, status=400
    )


@login_required
@require_POST
def reach_add(request, pk: int):
    account = access.get_account_for_user(request.user, pk)
    access.require_officer(request.user)
    form = ReachForm(request.POST, request.FILES)

    def write(data):
        return services.milestone_reach(actor=request.user, account=account, **data)

    done = reverse("renewal:account_detail", args=[account.pk])
    return submitted(request, form, write, _("Milestone recorded."), done) or _account_page(
        request, account, reach_form=form, status=400
    )


@login_required
@require_POST
def release_add(request, pk: int):
    account = access.get_account_for_user(request.user, pk)
    access.require_officer(request.user)
    form = ReleaseForm(request.POST, account=account)

    def write(data):
        return services.release_apply(actor=request.user, account=account, rule=data["rule"], amount=data["amount"],
                                      guarantee=form.guarantee())  # fmt: skip

    def message(release):
        return _("Release %(number)s recorded: it now awaits approval.") % {"number": release.number}

    done = reverse("renewal:account_detail", args=[account.pk])
    return submitted(request, form, write, message, done) or _account_page(
        request, account, release_form=form, status=400
    )


@login_required
@require_POST
def release_step(request, pk: int, code: str):
    release = access.get_release_for_user(request.user, pk)
    if code not in RELEASE_MOVES:
        raise Http404

    def write(reason, data):
        services.release_step(actor=request.user, release=release, code=code, reason=reason, **data)

    return _stepped(request, RELEASE_MOVES, code, _release_forms(request, release, posted=code), write,
                    lambda forms: _account_page(request, release.account, posted=(release.pk, forms), status=400),
                    reverse("renewal:account_detail", args=[release.account_id]))  # fmt: skip


@login_required
def reach_evidence(request, pk: int):
    found = get_object_or_404(Reach, pk=pk)
    access.get_account_for_user(request.user, found.account_id)
    return FileResponse(found.evidence.open("rb"), as_attachment=True, filename=download_name(found.evidence_name))


# Statistics


@login_required
def statistics(request):
    """The quarterly mediation statistics for the legal-affairs office."""
    access.require_use(request.user)
    year = year_param(request)
    quarters = stats.mediation_year(year)
    if request.GET.get("format") == "xlsx":
        return _statistics_xlsx(year, quarters)
    chart = {"labels": [stats.quarter_label(q.number) for q in quarters[:4]],
             "series": [{"name": str(label), "values": [q.received[value] for q in quarters[:4]]}
                        for value, label in ClaimType.choices]}  # fmt: skip
    context = {"year": year, "quarters": quarters, "claim_types": ClaimType.choices, "chart": chart}
    return render(request, "renewal/statistics.html", context)


def _statistics_xlsx(year: int, quarters):
    # the year's row is computed like the quarters' (a share and a median do not add up)
    headers = [_("Quarter"), *[Column(label) for _value, label in ClaimType.choices],
               Column(_("Applications received")), Column(_("Settled by agreement")),
               Column(_("Ended without agreement")), Column(_("Settled share (%)")),
               Column(_("Median days"))]  # fmt: skip
    rows = [[q.label, *[n for _label, n in q.by_type()], q.total_received, q.settled, q.terminated, q.settled_percent,
             q.median_days] for q in quarters]  # fmt: skip
    title = _("Administrative mediation statistics")
    return xlsx_sheets_response(f"{title} {year}.xlsx", [(_("By quarter"), headers, rows)])
