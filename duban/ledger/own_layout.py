"""The ledger in the office's own layout: the columns of the file it last imported, in its order,
filled from the items, with each item's external id (or its number) so that the office can keep
working in Excel and import the file again: changed rows update, new rows are added, nothing is
duplicated (`imports.check_workbook` matches a row by external id, then by number)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import OuterRef, Subquery
from django.utils import translation

from duban.ledger import mapping, owners
from duban.ledger.choices import FINISHED_STATES, BasisKind, RectificationType, Urgency
from duban.ledger.models import ImportMapping, Item, Ledger, ProgressReport

ID_HEADER = "事项编号"  # a header `mapping` reads as the external id
LABELLED = {"basis_kind": BasisKind, "urgency": Urgency, "rectification_type": RectificationType}


def layout_of(ledger: Ledger) -> ImportMapping | None:
    kept = ImportMapping.objects.filter(ledger=ledger).first()
    return kept if kept is not None and kept.headers else None


def _value(item: Item, field: str, header: str, subject_values: dict):
    if field in mapping.SUBJECT_FIELDS:
        value = subject_values.get(field, "")
        if field == "amount" and value != "" and "万元" in header:
            return value / 10_000
        return value
    if field == "external_id":
        return item.external_id or item.number
    if field == "lead_unit":
        return item.lead_unit.name
    if field == "co_units":
        return "、".join(share.unit.name for share in item.co_units.all())
    if field in LABELLED:
        value = getattr(item, field)
        return str(LABELLED[field](value).label) if value else ""
    if field == "done":
        return "是" if item.state in FINISHED_STATES else "否"
    if field == "progress_text":
        return item.latest_progress or ""
    if field == mapping.EXTRA:
        return next((entry["value"] for entry in item.extra if entry["label"] == header.strip()), "")
    value = getattr(item, field)
    return "" if value is None else value


CHUNK = 2000


def _chunks(iterable) -> Iterator[list]:
    """Lists of CHUNK items, so each list's subjects are read in one query."""
    chunk = []
    for entry in iterable:
        chunk.append(entry)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def own_layout_rows(ledger: Ledger, kept: ImportMapping) -> tuple[list[str], Iterator[list]]:
    """(headers, rows) of the ledger's items in the office's layout, read in chunks."""
    headers = list(kept.headers)
    fields = [kept.fields.get(mapping.clean_header(header), mapping.EXTRA) for header in headers]
    if "external_id" not in fields:  # an office's 序号 is no id: the file gains one, or a re-import duplicates
        headers, fields = [ID_HEADER, *headers], ["external_id", *fields]
    latest = ProgressReport.objects.filter(item=OuterRef("pk")).order_by("-reported_on", "-pk").values("text")[:1]
    items = (
        ledger.items.select_related("lead_unit")
        .prefetch_related("co_units__unit")
        .annotate(latest_progress=Subquery(latest))
        .order_by("seq")
    )

    def rows():
        with translation.override("zh-hans"):  # the office's file is in Chinese, as it imports
            for chunk in _chunks(items.iterator(chunk_size=CHUNK)):
                subjects = owners.imported_subject_values(ledger.kind, chunk)
                for item in chunk:
                    values = subjects.get(item.pk, {})
                    yield [_value(item, field, header, values) for field, header in zip(fields, headers, strict=True)]

    return headers, rows()
