"""A dataset as CSV (UTF-8 with a byte-order mark, so Excel reads the Chinese), JSON or .xlsx,
streamed row by row."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from duban.core.exports import Column, xlsx_response
from duban.core.text import download_name
from duban.opendata.datasets import Dataset


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, text: str) -> str:
        return text


def _csv(dataset: Dataset) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([field.name for field in dataset.fields])
    for row in dataset.rows():
        yield writer.writerow(["" if value is None else value for value in row])


def _json(dataset: Dataset) -> Iterator[str]:
    names = [field.name for field in dataset.fields]
    yield '{"dataset": ' + json.dumps(dataset.slug) + ', "rows": ['
    first = True
    for row in dataset.rows():
        yield ("" if first else ",") + "\n" + json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
        first = False
    yield "\n]}\n"


def _name(dataset: Dataset, suffix: str) -> str:
    return download_name(f"{dataset.slug}-{timezone.localdate():%Y%m%d}.{suffix}")


def download(dataset: Dataset, fmt: str):
    if fmt == "csv":
        response = StreamingHttpResponse(_csv(dataset), content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        response = StreamingHttpResponse(_json(dataset), content_type="application/json; charset=utf-8")
    else:
        headers = [Column(str(field.label)) if field.kind in ("integer", "number") else str(field.label)
                   for field in dataset.fields]  # fmt: skip
        return xlsx_response(_name(dataset, "xlsx"), str(dataset.title)[:31], headers, dataset.rows())
    response["Content-Disposition"] = f'attachment; filename="{_name(dataset, fmt)}"'
    return response
