"""The ledger's exports (duban.downloads): the filtered item list, and a ledger in the office's own
layout. Each reads the list again with the asker's rights from the query string it was drawn with."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from duban.core.forms import filter_summary
from duban.core.views import whole_number
from duban.downloads.kinds import Export, ExportKind, counter, titled
from duban.ledger import access, documents, own_layout
from duban.ledger.forms import ItemFilterForm
from duban.ledger.models import Ledger
from duban.orgs import access as org_access
from duban.orgs.models import Unit

ITEMS = "ledger.items"
OWN_LAYOUT = "ledger.own_layout"


def filtered_items(user, query, today):
    """The filter form bound to the query string and the visible items it selects."""
    form = ItemFilterForm(
        query or None,
        ledgers=access.visible_ledgers(user).distinct(),
        units=Unit.objects.active().exclude(kind__in=["grid", "compound"]),
    )
    visible = access.visible_items(user)
    return form, form.apply(visible, today) if form.is_bound else visible.order_by("ledger_id", "seq")


def items_export(user, query) -> Export:
    org_access.require_official(user)
    today = timezone.localdate()
    form, items = filtered_items(user, query, today)
    summary = filter_summary(form)
    sheet = ("台账", documents.ITEM_HEADERS, documents.item_rows(items, today))
    filename = "-".join(part for part in ("督办台账", summary[:40], f"{today:%Y%m%d}") if part) + ".xlsx"
    back = reverse("ledger:item_list") + (f"?{query.urlencode()}" if query else "")
    return Export(filename, titled("督办台账", summary), [sheet], counter(items), back)


def own_layout_export(user, query) -> Export:
    """The ledger as a workbook in the office's own layout (the columns of the file it last
    imported), to keep working in Excel and import again."""
    ledger = get_object_or_404(Ledger, pk=whole_number(query.get("ledger")) or 0)
    kept = own_layout.layout_of(ledger) if access.acts_for_office(user, ledger) else None
    if kept is None:
        raise Http404
    headers, rows = own_layout.own_layout_rows(ledger, kept)
    back = reverse("ledger:item_list") + f"?ledger={ledger.pk}"
    return Export(f"{ledger.name}.xlsx", ledger.name, [(ledger.name[:31], headers, rows)], counter(ledger.items.all()),
                  back)  # fmt: skip


KINDS = [ExportKind(ITEMS, items_export), ExportKind(OWN_LAYOUT, own_layout_export)]
