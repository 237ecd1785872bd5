"""The open-data catalogue: the datasets, each with its fields, licence, update frequency and last
update, and its downloads. Public: no sign-in."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from duban.opendata.datasets import DATASETS, LICENCE
from duban.opendata.downloads import download

FORMATS = ("csv", "json", "xlsx")


def catalogue(request):
    rows = [{"dataset": d, "count": d.count(), "updated": d.updated()} for d in DATASETS.values()]
    return render(request, "opendata/catalogue.html", {"rows": rows, "licence": LICENCE})


def _dataset(slug: str):
    if slug not in DATASETS:
        raise Http404
    return DATASETS[slug]


def dataset_detail(request, slug: str):
    dataset = _dataset(slug)
    context = {"dataset": dataset, "count": dataset.count(), "updated": dataset.updated(), "licence": LICENCE,
               "formats": FORMATS}  # fmt: skip
    return render(request, "opendata/dataset_detail.html", context)


def dataset_download(request, slug: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    return download(_dataset(slug), fmt)
