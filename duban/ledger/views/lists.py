"""The item list and its export, a unit's inbox and the supervisor's queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from duban.core.exports import xlsx_response
from duban.core.paginator import CappedPaginator
from duban.ledger import access, documents
from duban.ledger.choices import ExtensionState, ItemState
from duban.ledger.forms import ItemFilterForm
from duban.ledger.models import ExtensionRequest, Item, Notice, Notification
from duban.ledger.views.common import _office_ledgers
from duban.orgs import access as org_access
from duban.orgs.models import Unit

PAGE_SIZE = 50


# What a row of the list shows (and `Item.overdue_days` reads).
LIST_COLUMNS = [
    "number", "title", "effective_deadline", "progress", "state", "light", "late_days",
    "lead_unit__name", "leader__name",
]  # fmt: skip


def _filtered_items(request, today):
    """The filter form bound to the query string and the visible items it selects."""
    form = ItemFilterForm(
        request.GET or None,
        ledgers=access.visible_ledgers(request.user).distinct(),
        units=Unit.objects.active().exclude(kind__in=["grid", "compound"]),
    )
    visible = access.visible_items(request.user)
    return form, form.apply(visible, today) if form.is_bound else visible.order_by("ledger_id", "seq")


@login_required
def item_list(request):
    org_access.require_official(request.user)
    today = timezone.localdate()
    form, items = _filtered_items(request, today)
    items = items.select_related("lead_unit", "leader").only(*LIST_COLUMNS)
    page = CappedPaginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    unsorted = request.GET.copy()
    for key in ("sort", "page"):
        unsorted.pop(key, None)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "query": request.GET.urlencode(),
        "unsorted": unsorted.urlencode(),
        "sort": request.GET.get("sort", "number"),
        "can_register": _office_ledgers(request.user).exists(),  # import and register, as the services check
    }
    template = "ledger/_item_table.html" if request.htmx else "ledger/item_list.html"
    return render(request, template, context)


@login_required
def inbox(request):
    """A unit's to-do list: to acknowledge, to report, due soon, overdue; and the person's inbox."""
    org_access.require_official(request.user)
    today = timezone.localdate()
    roots = org_access.scope_roots(request.user)
    mine = Item.objects.filter(lead_unit__in=Unit.objects.subtrees(roots)).select_related("ledger", "lead_unit")
    soon = today + timezone.timedelta(days=10)
    context = {
        "to_acknowledge": mine.filter(state=ItemState.ASSIGNED),
        "to_report": mine.filter(state__in=[ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED]),
        "due_soon": mine.open().filter(effective_deadline__gte=today, effective_deadline__lte=soon),
        "overdue": mine.overdue(today),
        "open_notices": Notice.objects.unanswered()
        .filter(item__in=mine.open())
        .select_related("item")
        .order_by("due_date"),
        "notifications": Notification.objects.filter(user=request.user).select_related("item")[:30],
        "today": today,
    }
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "ledger/inbox.html", context)


@login_required
def queue(request):
    """The supervisor's queue: to review, to close, extension requests."""
    org_access.require_official(request.user)
    visible = access.visible_items(request.user).select_related("ledger", "lead_unit")
    reviewable = [item for item in visible.filter(state=ItemState.SUBMITTED) if access.can_review(request.user, item)]
    closable = [item for item in visible.filter(state=ItemState.DONE) if access.can_close(request.user, item)]
    pending = [
        request_
        for request_ in ExtensionRequest.objects.filter(state=ExtensionState.PENDING, item__in=visible).select_related(
            "item", "item__lead_unit", "item__ledger"
        )
        if access.can_review(request.user, request_.item)
    ]
    return render(request, "ledger/queue.html", {"reviewable": reviewable, "closable": closable, "pending": pending})


@login_required
def item_export(request):
    """The filtered list as .xlsx, streamed."""
    org_access.require_official(request.user)
    today = timezone.localdate()
    _form, items = _filtered_items(request, today)
    filename = f"督办台账-{today:%Y%m%d}.xlsx"
    return xlsx_response(filename, "台账", documents.ITEM_HEADERS, documents.item_rows(items, today))
