"""The open datasets as a read-only JSON API, paged; public (no sign-in)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Path, Query, Router, Schema

from duban.core.api import PUBLIC_READ_ERRORS
from duban.opendata.datasets import DATASETS, LICENCE

router = Router(tags=["open data"])
MAX_PAGE_SIZE = 1000


class FieldOut(Schema):
    name: str
    label: str
    kind: str


class DatasetOut(Schema):
    slug: str
    title: str
    description: str
    frequency: str
    licence: str
    rows: int
    updated: dt.datetime | None
    fields: list[FieldOut]


class RowsOut(Schema):
    slug: str
    page: int
    page_size: int
    count: int
    rows: list[dict]


def _out(dataset) -> dict:
    return {"slug": dataset.slug, "title": str(dataset.title), "description": str(dataset.description),
            "frequency": str(dataset.frequency), "licence": str(LICENCE), "rows": dataset.count(),
            "updated": dataset.updated(),
            "fields": [{"name": f.name, "label": str(f.label), "kind": f.kind} for f in dataset.fields]}  # fmt: skip


def _get(slug: str):
    from django.http import Http404

    if slug not in DATASETS:
        raise Http404
    return DATASETS[slug]


@router.get("/datasets", response={200: list[DatasetOut], **PUBLIC_READ_ERRORS}, auth=None)
def datasets(request):
    """The catalogue: every dataset with its fields, licence, update frequency and last update."""
    return [_out(dataset) for dataset in DATASETS.values()]


@router.get("/datasets/{slug}", response={200: DatasetOut, **PUBLIC_READ_ERRORS}, auth=None)
def dataset(request, slug: Annotated[str, Path(max_length=60)]):
    return _out(_get(slug))


@router.get("/datasets/{slug}/rows", response={200: RowsOut, **PUBLIC_READ_ERRORS}, auth=None)
def dataset_rows(
    request,
    slug: Annotated[str, Path(max_length=60)],
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
):
    """One page of a dataset's rows, each an object keyed by the dataset's field names."""
    found = _get(slug)
    names = [field.name for field in found.fields]
    start = (page - 1) * page_size
    rows = [dict(zip(names, row, strict=True)) for row in found.rows(start, start + page_size)]
    return {"slug": found.slug, "page": page, "page_size": page_size, "count": found.count(), "rows": rows}
