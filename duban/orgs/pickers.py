"""Pickers for units and people on every form, and the people search they ask.

The widgets render a plain <select> (or <select multiple>) that works without JavaScript; the
small `picker.js` turns it into a searchable combobox: units as the organisation tree (the
district, its streets with their communities and grids, then the commissions, departments and
branches apart, then external bodies) filtered as one types; people searched by name through
`person_search` (htmx). The form fields stay ModelChoiceField / ModelMultipleChoiceField, so
validation and the services are unchanged.
"""

from __future__ import annotations

import html
from collections import defaultdict

from django import forms
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from duban.orgs import access
from duban.orgs.choices import AccountType, UnitKind
from duban.orgs.models import LeaderPortfolio, Person, Position, User

RESULTS = 20

# The tree's groups below the district, as on the organisation page; external bodies last.
GROUPS = [
    (UnitKind.STREET, _("Streets")),
    (UnitKind.COMMISSION, _("Party commissions and offices")),
    (UnitKind.DEPARTMENT, _("District departments")),
    (UnitKind.BRANCH, _("Municipal branches in the district")),
    (UnitKind.EXTERNAL, _("External bodies")),
]
GROUP_OF_KIND = {
    UnitKind.COMMUNITY: UnitKind.STREET,
    UnitKind.COMPOUND: UnitKind.STREET,
    UnitKind.GRID: UnitKind.STREET,
}


def _chosen(value) -> set[str]:
    values = value if isinstance(value, (list, tuple)) else [value]
    return {str(getattr(v, "pk", v)) for v in values if v not in (None, "")}


def _attrs(attrs: dict) -> str:
    parts = []
    for key, value in attrs.items():
        if value is True:
            parts.append(f" {html.escape(key)}")
        elif value not in (False, None):
            parts.append(f' {html.escape(key)}="{html.escape(str(value))}"')
    return "".join(parts)


def unit_tree_rows(queryset) -> list[tuple[str | None, list[tuple]]]:
    """The units of `queryset` as (group label, [(pk, name, short name, depth, parent pk)]) in tree
    order; a unit whose parent is not offered hangs below its nearest offered ancestor."""
    rows = list(queryset.order_by().values_list("pk", "name", "short_name", "kind", "path", "sort_order"))
    offered = {row[0] for row in rows}
    parent_of, children = {}, defaultdict(list)
    for pk, _name, _short, _kind, path, _order in rows:
        above = [int(part) for part in path.strip("/").split("/")[:-1] if part]
        parent_of[pk] = next((a for a in reversed(above) if a in offered), None)
        children[parent_of[pk]].append(pk)
    by_pk = {row[0]: row for row in rows}
    for siblings in children.values():
        siblings.sort(key=lambda pk: (by_pk[pk][5], pk))

    def walk(pk: int, depth: int, out: list) -> None:
        # A group's first level hangs from its heading, not from the district above the groups.
        pk_, name, short, *_rest = by_pk[pk]
        out.append((pk_, name, short, depth, parent_of[pk] if depth else None))
        for child in children[pk]:
            walk(child, depth + 1, out)

    top: list[tuple] = []
    grouped: dict[str, list[int]] = defaultdict(list)
    for root in children[None]:
        kind = by_pk[root][3]
        if kind == UnitKind.DISTRICT:
            top.append((root, by_pk[root][1], by_pk[root][2], 0, None))
            for child in children[root]:
                child_kind = by_pk[child][3]
                grouped[GROUP_OF_KIND.get(child_kind, child_kind)].append(child)
        else:
            grouped[GROUP_OF_KIND.get(kind, kind)].append(root)
    result: list[tuple[str | None, list[tuple]]] = [(None, top)] if top else []
    for kind, label in GROUPS:
        out: list[tuple] = []
        for pk in grouped.pop(kind, []):
            walk(pk, 0, out)
        if out:
            result.append((str(label), out))
    return result


class _Picker(forms.Select):
    """A <select> (or <select multiple>) built in Python, marked for `picker.js`."""

    kind = ""

    def __init__(self, attrs=None, *, multiple: bool = False):
        super().__init__(attrs)
        self.allow_multiple_selected = multiple

    def value_omitted_from_data(self, data, files, name):
        # An unsent <select multiple> means nothing chosen, as for SelectMultiple.
        return False if self.allow_multiple_selected else super().value_omitted_from_data(data, files, name)

    def picker_attrs(self) -> dict:
        return {
            "data-picker": self.kind,
            "data-placeholder": str(_("Type part of a name")),
            "data-no-match": str(_("Nothing matches.")),
            "data-remove-label": str(pgettext("remove a chosen unit or person", "Remove")),
            "data-chosen-label": str(_("Chosen")),
        }

    def options_html(self, chosen: set[str]) -> str:
        raise NotImplementedError

    def empty_option(self, chosen: set[str]) -> str:
        field = getattr(self.choices, "field", None)
        if self.allow_multiple_selected or field is None or field.empty_label is None:
            return ""
        return f'<option value=""{"" if chosen else " selected"}>{html.escape(str(field.empty_label))}</option>'

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**self.build_attrs(self.attrs, attrs), **self.picker_attrs()}
        if self.allow_multiple_selected:
            attrs["multiple"] = True
            attrs.setdefault("size", 8)
        chosen = _chosen(value)
        options = self.empty_option(chosen) + self.options_html(chosen)
        return mark_safe(f'<select name="{html.escape(name)}"{_attrs(attrs)}>{options}</select>')  # noqa: S308


class UnitPicker(_Picker):
    """One unit (or several: `UnitsPicker`) chosen from the organisation tree."""

    kind = "units"

    def options_html(self, chosen: set[str]) -> str:
        quote = html.escape
        parts = []
        for label, rows in unit_tree_rows(self.choices.queryset):
            options = "".join(
                f'<option value="{pk}" data-depth="{depth}" data-parent="{parent or ""}"'
                f' data-name="{quote(name)}" data-search="{quote(f"{name} {short}".lower())}"'
                f"{' selected' if str(pk) in chosen else ''}>{'　' * depth}{quote(name)}</option>"
                for pk, name, short, depth, parent in rows
            )
            parts.append(options if label is None else f'<optgroup label="{quote(label)}">{options}</optgroup>')
        return "".join(parts)


def unit_select(name: str, queryset, value=None, *, empty_label: str = "—", required: bool = False, **attrs) -> str:
    """A unit picker for a form written in a template rather than a Django form."""
    field = forms.ModelChoiceField(queryset=queryset, empty_label=empty_label, required=required, widget=UnitPicker)
    if required:
        attrs.update({"required": True, "aria-required": "true"})
    return field.widget.render(name, value, attrs=attrs)


class UnitsPicker(UnitPicker):
    """Several units, as chips one adds and removes (协办单位)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, multiple=True)


class PersonPicker(_Picker):
    """A person (or several: `PeoplePicker`) searched by name. `scope` is where `person_search`
    looks and must match the field's queryset: "people" (active people), "leaders" (district
    leaders with a current portfolio) or "accounts" (sign-in accounts other than residents)."""

    kind = "people"

    def __init__(self, attrs=None, *, scope: str = "people", multiple: bool = False):
        super().__init__(attrs, multiple=multiple)
        self.scope = scope

    def picker_attrs(self) -> dict:
        return {**super().picker_attrs(), "data-search-url": f"{reverse('orgs:person_search')}?scope={self.scope}"}

    def options_html(self, chosen: set[str]) -> str:
        queryset = self.choices.queryset.order_by()
        if self.scope == "accounts":
            pairs = [
                (pk, shown or username)
                for pk, shown, username in queryset.values_list("pk", "display_name", "username")
            ]
        else:
            pairs = list(queryset.values_list("pk", "name"))
        pairs.sort(key=lambda pair: (str(pair[1]), pair[0]))
        return "".join(
            f'<option value="{pk}"{" selected" if str(pk) in chosen else ""}>{html.escape(str(label))}</option>'
            for pk, label in pairs
        )


class PeoplePicker(PersonPicker):
    def __init__(self, attrs=None, *, scope: str = "people"):
        super().__init__(attrs, scope=scope, multiple=True)


#
# The search endpoint
#


def _people(scope: str, query: str):
    if scope == "leaders":
        people = Person.objects.leaders()
    else:
        people = Person.objects.active()
    if query:
        people = people.filter(name__icontains=query)
    return people.order_by("name", "id").prefetch_related(
        Prefetch("positions", Position.objects.current().select_related("unit"), to_attr="posts"),
        Prefetch("portfolios", LeaderPortfolio.objects.current(), to_attr="current_portfolios"),
    )[:RESULTS]


def _accounts(query: str):
    accounts = User.objects.filter(is_active=True).exclude(account_type=AccountType.RESIDENT)
    if query:
        accounts = accounts.filter(Q(display_name__icontains=query) | Q(username__icontains=query))
    return accounts.order_by("-is_expert", "username")[:RESULTS]


def _detail(person: Person) -> str:
    """What tells two people of the same name apart: their portfolio and posts."""
    return "；".join(
        [portfolio.title for portfolio in person.current_portfolios]
        + [f"{post.unit.name} {post.title}".strip() for post in person.posts]
    )


def person_search(request):
    """People by name for the pickers, as listbox options: the name with the person's portfolio
    and posts, never a phone number or an email. Officials only: anyone else is refused (and htmx
    swaps nothing in)."""
    access.require_official(request.user)
    query = request.GET.get("q", "").strip()[:50]
    if request.GET.get("scope") == "accounts":
        results = [{"pk": u.pk, "label": str(u), "detail": u.get_account_type_display()} for u in _accounts(query)]
    else:
        scope = "leaders" if request.GET.get("scope") == "leaders" else "people"
        results = [{"pk": p.pk, "label": p.name, "detail": _detail(p)} for p in _people(scope, query)]
    return render(request, "orgs/_person_options.html", {"results": results, "query": query})
