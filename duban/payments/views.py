"""The green channel's pages: the requests with what waits for each person, a request with its
checklist, its missing documents and its steps, the 容缺受理通知书, and the statistics."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.exports import Column, amount, count, xlsx_sheets_response
from duban.core.forms import add_service_errors
from duban.core.paginator import CappedPaginator
from duban.core.text import download_name
from duban.core.views import whole_number, year_param
from duban.orgs import access as org_access
from duban.orgs.filters import UnitsFilterForm
from duban.orgs.models import Unit
from duban.payments import access, services, stats
from duban.payments.choices import EVENT_LABELS, GAP_MOVES, REQUEST_MOVES, Channel, GapState, RequestState
from duban.payments.documents import notice_docx
from duban.payments.forms import (
    AT_CENTRE,
    CommitForm,
    DeferForm,
    DocumentsForm,
    PayForm,
    ReasonForm,
    RequestForm,
    SupplyUploadForm,
)
from duban.payments.models import Gap, PaymentRequest, RequestDocument, at_centre, paid_in, with_overdue_gaps

PAGE_SIZE = 50
GAP_COUNTS = [
    ("on_time", gettext_lazy("Supplied on time")), ("late", gettext_lazy("Supplied late")),
    ("pending", gettext_lazy("To be supplied")), ("overdue", gettext_lazy("Overdue")),
    ("waived", gettext_lazy("Waived")),
]  # fmt: skip
# what each of the centre's posts acts on next
QUEUES = [("clerk", RequestState.SUBMITTED), ("reviewer", RequestState.ACCEPTED),
          ("approver", RequestState.REVIEWED), ("cashier", RequestState.APPROVED)]  # fmt: skip


@login_required
def home(request):
    access.require_use(request.user)
    user = request.user
    found = access.requests_for(user).select_related("unit", "fund")
    filters = {key: request.GET.get(key, "") for key in ("state", "channel", "q")}
    if filters["state"] == AT_CENTRE:
        found = found.filter(at_centre())
    elif filters["state"] in RequestState.values:
        found = found.filter(state=filters["state"])
    if filters["channel"] in Channel.values:
        found = found.filter(channel=filters["channel"])
    if request.GET.get("to_confirm"):
        filters["to_confirm"] = "1"
        found = found.filter(gaps__state=GapState.SUPPLIED, gaps__confirmed_at__isnull=True).distinct()
    if q := filters["q"].strip():
        found = found.filter(Q(number__icontains=q) | Q(project__icontains=q) | Q(payee_name__icontains=q))
    found, linked, kept = _linked_filters(request, found)
    waiting = access.requests_for(user).order_by().values("state").annotate(n=Count("pk"))
    counts = {row["state"]: row["n"] for row in waiting}
    queues = [(RequestState(state).label, state, counts.get(state, 0)) for role, state in QUEUES
              if access.holds(user, role)]  # fmt: skip
    if access.holds(user, "clerk"):
        to_confirm = Gap.objects.filter(state=GapState.SUPPLIED, confirmed_at__isnull=True).count()
    else:
        to_confirm = 0
    heads_units = [u for u in org_access.scope_roots(user) if org_access.heads(user, u)]
    to_commit = (
        PaymentRequest.objects.filter(state=RequestState.COMMITMENT, unit__in=Unit.objects.subtrees(heads_units))
        .select_related("unit") if heads_units else []
    )  # fmt: skip
    gaps_due = (
        Gap.objects.open().filter(committed=True, request__in=access.requests_for(user))
        .select_related("request", "document_type").order_by("due_on")[:20]
        if access.may_request(user) else []
    )  # fmt: skip
    context = {
        "page": CappedPaginator(found.order_by("-pk"), PAGE_SIZE).get_page(request.GET.get("page")),
        "filters": filters,
        "linked": linked,
        "kept": kept,
        "unlinked": _without(request.GET, [name for name, _value in kept]),
        "states": [(AT_CENTRE, gettext_lazy("Any step at the centre")), *RequestState.choices],
        "channels": Channel.choices,
        "queues": queues,
        "to_confirm": to_confirm,
        "to_commit": to_commit,
        "gaps_due": gaps_due,
        "may_request": access.may_request(user),
    }
    return render(request, "payments/home.html", context)


def _linked_filters(request, found):
    """The filters a figure elsewhere (the cockpit) links the list with: the year paid, requests with
    documents to follow overdue, and the requesting units. Returns the requests, the filters set as
    (label, value) to show above the list, and the (name, value) pairs the filter form keeps."""
    linked, kept = [], []
    if (paid := whole_number(request.GET.get("paid"))) and 2000 <= paid <= 2100:
        found = found.filter(paid_in(paid))
        linked.append((_("Paid in"), str(paid)))
        kept.append(("paid", str(paid)))
    if request.GET.get("gaps") == "overdue":
        found = found.filter(with_overdue_gaps())
        linked.append((_("Documents to follow overdue"), ""))
        kept.append(("gaps", "overdue"))
    units = UnitsFilterForm(request.GET)
    if (narrowed := units.units()) is not None:
        found = found.filter(unit__in=narrowed)
        linked.extend(units.shown())
        kept.extend(units.kept())
    return found, linked, kept


def _without(query, names: list[str]) -> str:
    rest = query.copy()
    for name in [*names, "page"]:
        rest.pop(name, None)
    return rest.urlencode()


@login_required
def request_new(request):
    access.require_use(request.user)
    if not access.may_request(request.user):
        raise Http404
    units = org_access.scope_roots(request.user)
    form = RequestForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            found = services.request_prepare(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Request prepared: %(number)s. Attach its documents, then submit it.")
                             % {"number": found.number})  # fmt: skip
            return redirect("payments:request_detail", pk=found.pk)
    return render(request, "payments/request_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def request_edit(request, pk: int):
    found = access.get_request_for_user(request.user, pk)
    if not access.acts_for(request.user, found.unit):
        raise PermissionDenied(_("Only the requesting unit changes its request."))
    units = org_access.scope_roots(request.user)
    form = RequestForm(request.POST or None, instance=found, units=units,
                       initial={"amount": found.amount})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(actor=request.user, request=found, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("payments:request_detail", pk=found.pk)
    return render(request, "payments/request_form.html", {"form": form, "found": found},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def request_detail(request, pk: int):
    return _page(request, access.get_request_for_user(request.user, pk))


def _step_forms(request, found: PaymentRequest, posted: str = "") -> dict:
    """The form of each step the user may take now; only the posted one is bound to what was sent."""
    forms = {}
    for move in REQUEST_MOVES.available(found.state):
        if not services.may_step(request.user, found, move):
            continue
        data = request.POST if move.code == posted else None
        if move.code == "defer":
            missing = services.missing_documents(found)
            if not missing or any(t.key for t in missing) or found.channel != Channel.GREEN:
                continue
            forms[move.code] = DeferForm(data, missing=missing, due_on=found.due_on, prefix="defer")
        elif move.code == "accept" and services.missing_documents(found):
            continue
        elif move.code == "commit":
            forms[move.code] = CommitForm(data, prefix="commit")
        elif move.code == "pay":
            forms[move.code] = PayForm(data, prefix="pay")
        elif move.needs_reason:
            forms[move.code] = ReasonForm(data, prefix=move.code)
        else:
            forms[move.code] = None
    return forms


def _checklist(found: PaymentRequest) -> list[dict]:
    documents = list(found.documents.select_related("document_type").order_by("pk"))
    # the newest listing of each document: while the commitment letter waits, the one just made
    gaps = {g.document_type_id: g for g in found.gaps.order_by("pk")}
    rows = []
    for t in found.request_type.documents.order_by("sort_order", "pk"):
        files = [d for d in documents if d.document_type_id == t.pk]
        gap = gaps.get(t.pk)
        if gap is not None and gap.state == GapState.WAIVED and files:
            gap = None  # waived with a returned request; the corrected request carries the document
        rows.append({"type": t, "files": files, "gap": gap})
    return rows


def _gap_actions(request, found: PaymentRequest, posted: tuple[int, str] | None = None) -> list[dict]:
    rows = []
    for gap in found.gaps.filter(committed=True).select_related("document_type", "confirmed_by").order_by("pk"):
        gap.request = found
        actions = []
        for move in GAP_MOVES.available(gap.state):
            if move.actor == "system" or not services.may_gap_step(request.user, gap, move):
                continue
            if move.code in ("confirm", "reject") and gap.confirmed_at is not None:
                continue
            if move.code == "confirm" and services.gap_supplier(gap) == request.user.pk:
                continue  # someone other than whoever supplied it confirms it
            data = (request.POST, request.FILES) if posted == (gap.pk, move.code) else (None, None)
            if move.code == "supply":
                form = SupplyUploadForm(*data, prefix=f"gap{gap.pk}")
            elif move.needs_reason:
                form = ReasonForm(data[0], prefix=f"gap{gap.pk}-{move.code}")
            else:
                form = None
            actions.append({"move": move, "form": form})
        rows.append({"gap": gap, "actions": actions, "item": services.item_of(gap)})
    return rows


def _page(request, found: PaymentRequest, forms: dict | None = None, gap_rows=None, upload_form=None, status=200):
    forms = forms if forms is not None else _step_forms(request, found)
    editable = found.state in (RequestState.DRAFT, RequestState.RETURNED) and access.acts_for(request.user, found.unit)
    document_types = list(found.request_type.documents.order_by("sort_order", "pk"))
    context = {
        "found": found,
        "steps": [{"move": REQUEST_MOVES[code], "form": form} for code, form in forms.items()],
        "checklist": _checklist(found),
        "gaps": gap_rows if gap_rows is not None else _gap_actions(request, found),
        "editable": editable,
        "upload_form": upload_form or (DocumentsForm(document_types=document_types) if editable else None),
        "missing": services.missing_documents(found) if found.state == RequestState.SUBMITTED else [],
        "green_refusal": services.green_refusal(found.unit, found.fund) if found.channel == Channel.GREEN
        and found.state in (RequestState.DRAFT, RequestState.RETURNED) else "",
        "events": [{"event": e, "label": EVENT_LABELS.get(e.code, e.code)}
                   for e in found.events.select_related("actor", "gap__document_type").order_by("at", "pk")],
    }  # fmt: skip
    return render(request, "payments/request_detail.html", context, status=status)


@login_required
@require_POST
def request_step(request, pk: int, code: str):
    found = access.get_request_for_user(request.user, pk)
    if code not in REQUEST_MOVES:
        raise Http404
    forms = _step_forms(request, found, posted=code)
    form = forms.get(code)
    data: dict = {}
    if form is not None:
        if not form.is_valid():
            return _page(request, found, forms, status=400)
        data = {"gaps": form.gaps()} if isinstance(form, DeferForm) else dict(form.cleaned_data)
    reason = data.pop("reason", "") or ""
    try:
        services.request_step(actor=request.user, request=found, code=code, reason=reason, **data)
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
            return _page(request, found, forms, status=400)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": REQUEST_MOVES[code].label})
    return redirect("payments:request_detail", pk=found.pk)


@login_required
@require_POST
def documents_add(request, pk: int):
    found = access.get_request_for_user(request.user, pk)
    form = DocumentsForm(request.POST, request.FILES, document_types=found.request_type.documents.all())
    if form.is_valid():
        uploads = form.uploads()
        if not uploads:
            form.add_error(None, _("Choose at least one file."))
        else:
            try:
                services.documents_add(actor=request.user, request=found, uploads=uploads)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(n)s documents added.") % {"n": len(uploads)})
                return redirect("payments:request_detail", pk=found.pk)
    return _page(request, found, upload_form=form, status=400)


@login_required
@require_POST
def gap_step(request, pk: int, code: str):
    gap = get_object_or_404(Gap, pk=pk)
    found = access.get_request_for_user(request.user, gap.request_id)
    if code not in GAP_MOVES:
        raise Http404
    rows = _gap_actions(request, found, posted=(gap.pk, code))
    action = next((a for row in rows if row["gap"].pk == gap.pk for a in row["actions"] if a["move"].code == code),
                  None)  # fmt: skip
    if action is None:
        messages.error(request, _("This step is not open to you now."))
        return redirect("payments:request_detail", pk=found.pk)
    form = action["form"]
    data = {}
    if form is not None:
        if not form.is_valid():
            return _page(request, found, gap_rows=rows, status=400)
        data = dict(form.cleaned_data)
    try:
        services.gap_step(actor=request.user, gap=gap, code=code, reason=data.get("reason", ""),
                          upload=data.get("file"))  # fmt: skip
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        if form is not None:
            form.add_error(None, text)
            return _page(request, found, gap_rows=rows, status=400)
        messages.error(request, text)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": GAP_MOVES[code].label})
    return redirect("payments:request_detail", pk=found.pk)


@login_required
def document(request, pk: int):
    found = get_object_or_404(RequestDocument, pk=pk)
    access.get_request_for_user(request.user, found.request_id)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=download_name(found.name))


@login_required
def notice(request, pk: int):
    found = access.get_request_for_user(request.user, pk)
    if not found.notice_number:
        raise Http404
    return FileResponse(io.BytesIO(notice_docx(found)), as_attachment=True,
                        filename=download_name(f"容缺受理通知书-{found.number}.docx"))  # fmt: skip


@login_required
def statistics(request):
    """For the centre and the supervising offices: how much faster the green channel pays."""
    access.require_overseer(request.user)
    year = year_param(request)
    rep = stats.report(year)
    if request.GET.get("format") == "xlsx":
        return _statistics_xlsx(rep)
    context = {"rep": rep, "year": year, "chart": stats.chart(rep),
               "speeds": [rep.speeds[Channel.GREEN], rep.speeds[Channel.NORMAL]]}  # fmt: skip
    return render(request, "payments/statistics.html", context)


def _statistics_xlsx(rep):
    green, normal = str(Channel.GREEN.label), str(Channel.NORMAL.label)
    months = [
        [m.month.strftime("%Y-%m"), m.counts[Channel.GREEN], m.amounts[Channel.GREEN], m.counts[Channel.NORMAL],
         m.amounts[Channel.NORMAL]]
        for m in rep.months
    ]  # fmt: skip
    speed_rows = [
        [s.label, s.paid, s.amount, s.median_days, s.p90_days, s.on_time_percent]
        for s in (rep.speeds[Channel.GREEN], rep.speeds[Channel.NORMAL])
    ]
    gap_rows = [[str(label), rep.gaps[key]] for key, label in GAP_COUNTS]
    sheets = [
        (_("By month"), [_("Month"), count(green), amount(green), count(normal), amount(normal)], months),
        (_("Speed"), [_("Channel"), count(_("Paid")), amount(_("Amount paid")), Column(_("Median days to pay")),
                      Column(_("90th percentile days")), Column(_("Paid by the deadline (%)"))], speed_rows),
        (_("Missing documents"), [_("How they came in"), count(_("Number of documents"))], gap_rows),
        (_("Suspensions"), [_("Unit"), _("Suspended at"), _("Reason"), _("Restored at"), _("Restored because")],
         [[s.unit.name, timezone.localtime(s.started_at).strftime("%Y-%m-%d"), s.reason,
           timezone.localtime(s.ended_at).strftime("%Y-%m-%d") if s.ended_at else "", s.get_ended_how_display()]
          for s in rep.suspensions]),
    ]  # fmt: skip
    return xlsx_sheets_response(f"{_('Green channel statistics')} {rep.year}.xlsx", sheets)
