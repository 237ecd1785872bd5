"""The supervised funds (the dashboard, an account with its releases) and the quarterly mediation statistics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.exports import Column, amount, xlsx_sheets_response
from duban.core.paginator import CappedPaginator
from duban.core.text import download_name
from duban.core.views import form_page, submitted, whole_number, year_param
from duban.renewal import access, services, stats
from duban.renewal.choices import (
    AWAITING_APPROVAL,
    RELEASE_MOVES,
    ClaimType,
    ReleaseState,
    RuleKind,
)
from duban.renewal.forms import (
    AWAITING,
    AccountForm,
    DepositForm,
    ReachForm,
    ReasonForm,
    ReleaseForm,
    TransferForm,
)
from duban.renewal.models import ZERO, Reach, Release, released_in
from duban.renewal.views.common import PAGE_SIZE, in_units, stepped, timeline, without


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


@login_required
def releases(request):
    """Every release the user may see, newest first, with the total of those listed: by state (or any
    awaiting approval), by the year transferred, and by the project's street (the filters the
    cockpit's figures link with)."""
    access.require_use(request.user)
    found = Release.objects.filter(account__in=access.accounts_for(request.user))
    state = request.GET.get("state", "")
    if state == AWAITING:
        found = found.filter(state__in=AWAITING_APPROVAL)
    elif state in ReleaseState.values:
        found = found.filter(state=state)
    linked, kept = [], []
    if (year := whole_number(request.GET.get("year"))) and 2000 <= year <= 2100:
        found = found.filter(released_in(year))
        linked.append((_("Transferred in"), str(year)))
        kept.append(("year", str(year)))
    found = in_units(request, found, "account__project__street", linked, kept)
    total = found.aggregate(s=Sum("amount"))["s"] or ZERO
    found = found.select_related("account__project__street", "rule").order_by("-applied_at", "-pk")
    context = {
        "page": CappedPaginator(found, PAGE_SIZE).get_page(request.GET.get("page")), "total": total,
        "state": state, "states": [(AWAITING, _("Awaiting approval")), *ReleaseState.choices],
        "linked": linked, "kept": kept, "unlinked": without(request.GET, [name for name, _value in kept]),
    }  # fmt: skip
    return render(request, "renewal/releases.html", context)


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
        "events": timeline(account.project.events.filter(Q(release__account=account) | Q(
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

    return stepped(request, RELEASE_MOVES, code, _release_forms(request, release, posted=code), write,
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
