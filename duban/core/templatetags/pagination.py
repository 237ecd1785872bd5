"""`{% pager page %}`: the one pager under every long list.

It says how many rows there are (exactly up to `CappedPaginator.cap`, "10,000+" beyond, where
counting would cost more than the page), and its links keep every filter of the query string
(repeated keys too) while changing only the page.
"""

from __future__ import annotations

from django import template

register = template.Library()


def _total(paginator) -> str:
    """How many rows, grouped by thousands in every language (zh-Hans formats leave 22294 ungrouped);
    "10,000+" past the cap."""
    if getattr(paginator, "is_capped", False):
        return f"{paginator.floor:,}+"
    return f"{paginator.count:,}"


@register.simple_tag
def page_total(page) -> str:
    """`{% page_total page %}`: the list's count as the pager says it, for a heading."""
    return _total(page.paginator)


@register.inclusion_tag("pager.html", takes_context=True)
def pager(context, page, param: str = "page", show_count: bool = True):
    """`param` names the page in the query string, so two lists on one page turn their pages apart."""
    query = context["request"].GET.copy()
    query.pop(param, None)
    filters = query.urlencode()
    paginator = page.paginator
    return {
        "page": page,
        "prefix": f"?{filters}&{param}=" if filters else f"?{param}=",
        "capped": getattr(paginator, "is_capped", False),
        "total": _total(paginator) if show_count else "",
        "floor": f"{paginator.floor:,}" if getattr(paginator, "is_capped", False) else "",
        "show_count": show_count,
    }
