"""The item list and its export, a unit's inbox and the supervisor's queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.paginator import CappedPaginator, searched_page
from duban.downloads.services import export_response
from duban.ledger import access
from duban.ledger.choices import ExtensionState, ItemState
from duban.ledger.downloads import ITEMS, filtered_items
from duban.ledger.forms import LINKED_FILTERS
from duban.ledger.models import ExtensionRequest, Item, Notice, Notification
from duban.ledger.views.common import _office_ledgers
from duban.orgs import access as org_access
from duban.orgs.models import Unit

PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 30
INBOX_PAGE_SIZE = 20


# What a row of the list shows (and `Item.overdue_days` reads).
LIST_COLUMNS = [
    "number", "title", "effective_deadline", "progress", "state", "light", "late_days",
    "lead_unit__name", "leader__name",
]  # fmt: skip


@login_required
def item_list(request):
    org_access.require_official(request.user)
    today = timezone.localdate()
    form, items = filtered_items(request.user, request.GET, today)
    items = items.select_related("lead_unit", "leader").only(*LIST_COLUMNS)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = searched_page(items, PAGE_SIZE, query, form.walk, request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    unsorted = filters.copy()
    unsorted.pop("sort", None)
    unlinked = filters.copy()
    for name in LINKED_FILTERS:
        unlinked.pop(name, None)
    context = {
        "form": form,
        "page": page,
        "today": today,
        # The export link and the pages carry exactly the filter the list was drawn with; after an
        # htmx filter the export link is swapped in again with the table (out of band).
        "filters": filters.urlencode(),
        "unsorted": unsorted.urlencode(),
        "linked": form.linked_filters(),
        "unlinked": unlinked.urlencode(),
        "sort": request.GET.get("sort", "number"),
        "swapped": bool(request.htmx),
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
    to_report = mine.filter(state__in=[ItemState.ACKNOWLEDGED, ItemState.IN_PROGRESS, ItemState.RETURNED])
    notices = Notice.objects.unanswered().filter(item__in=mine.open()).select_related("item")

    def paged(items, param: str, order=("effective_deadline", "id")):  # each card pages on its own parameter
        return CappedPaginator(items.order_by(*order), INBOX_PAGE_SIZE).get_page(request.GET.get(param))

    context = {
        "to_acknowledge": paged(mine.filter(state=ItemState.ASSIGNED), "ack"),
        "to_report": paged(to_report, "report"),
        "due_soon": paged(mine.open().filter(effective_deadline__gte=today, effective_deadline__lte=soon), "soon"),
        "overdue": paged(mine.overdue(today), "overdue"),
        "open_notices": paged(notices, "notices", order=("due_date", "id")),
        "notifications": Notification.objects.filter(user=request.user).select_related("item")[:30],
        "today": today,
    }
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "ledger/inbox.html", context)


@login_required
def notifications(request):
    """A person's notices, for those without a unit's to-do list (leaders, outside bodies)."""
    if not access.may_read_notifications(request.user):
        raise PermissionDenied(_("Notifications are for the district's officials and the bodies working with them."))
    found = Notification.objects.filter(user=request.user).select_related("item")
    page = CappedPaginator(found, INBOX_PAGE_SIZE * 2).get_page(request.GET.get("page"))
    response = render(request, "ledger/notifications.html", {"page": page})
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return response


@login_required
def queue(request):
    """The supervisor's queue: to review, to close, extension requests."""
    org_access.require_official(request.user)
    user = request.user
    visible = access.visible_items(user)
    waiting = ("effective_deadline", "seq")  # the most pressing first
    reviewable = access.reviewable(user, visible.filter(state=ItemState.SUBMITTED)).order_by(*waiting)
    closable = access.closable(user, visible.filter(state=ItemState.DONE)).order_by(*waiting)
    pending = (
        ExtensionRequest.objects.filter(state=ExtensionState.PENDING, item__in=access.reviewable(user, visible))
        .select_related("item", "item__lead_unit", "item__ledger")
        .order_by("created_at", "id")
    )
    context = {
        "reviewable": CappedPaginator(reviewable, QUEUE_PAGE_SIZE).get_page(request.GET.get("review")),
        "closable": CappedPaginator(closable, QUEUE_PAGE_SIZE).get_page(request.GET.get("close")),
        "pending": CappedPaginator(pending, QUEUE_PAGE_SIZE).get_page(request.GET.get("extensions")),
    }
    return render(request, "ledger/queue.html", context)


@login_required
def item_export(request):
    """The filtered list as .xlsx: at once, or written in the background when it is long."""
    return export_response(request, ITEMS)
