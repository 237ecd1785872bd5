"""Filters shared by the lists a figure elsewhere links to (the cockpit's tiles, a bulletin)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.orgs.models import Person, Unit


class UnitsFilterForm(forms.Form):
    """The units a figure elsewhere (the cockpit) links a list with: a unit and the units under it,
    the unit itself only, or the units in a leader's charge. The figure counts with the same form,
    so it and the list agree. What unit of a record it reads (requesting unit, street…) is the
    list's to say: `units()` gives the units kept."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all(), required=False)
    direct = forms.BooleanField(label=_("The unit itself only, not the units under it"), required=False)
    portfolio = forms.ModelChoiceField(label=_("Units in the charge of"), queryset=Person.objects.none(),
                                       required=False)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].queryset = Person.objects.leaders()

    def units(self):
        """The units kept (a queryset), or None when the form narrows nothing."""
        if not self.is_valid():
            return Unit.objects.none()
        data, units = self.cleaned_data, None
        if data["unit"] is not None:
            units = Unit.objects.filter(pk=data["unit"].pk) if data["direct"] else Unit.objects.subtree(data["unit"])
        if data["portfolio"] is not None:
            within = data["portfolio"].units_in_charge()
            units = within if units is None else units.filter(pk__in=within)
        return units

    def shown(self) -> list[tuple[str, str]]:
        """The filters set, as (label, value) to show above the list."""
        if not self.is_valid():
            return []
        data, found = self.cleaned_data, []
        if data["unit"] is not None:
            found.append((str(self.fields["unit"].label), data["unit"].name))
            if data["direct"]:
                found.append((str(self.fields["direct"].label), ""))
        if data["portfolio"] is not None:
            found.append((str(self.fields["portfolio"].label), data["portfolio"].name))
        return found

    def kept(self) -> list[tuple[str, str]]:
        """The (name, value) pairs set, for the list's own filter form to keep."""
        return [(name, str(self.data[name])) for name in self.fields if self.data.get(name)]


class LinkedUnitsMixin:
    """For a list's filter form with the hidden `direct` and `portfolio` a figure elsewhere links it
    with: names them above the list while set."""

    def linked_filters(self) -> list[tuple[str, str]]:
        """The hidden filters set, as (label, value) to show above the list."""
        if not self.is_bound or not self.is_valid():
            return []
        shown = []
        if self.cleaned_data["direct"]:
            shown.append((str(self.fields["direct"].label), ""))
        if self.cleaned_data["portfolio"]:
            shown.append((str(self.fields["portfolio"].label), self.cleaned_data["portfolio"].name))
        return shown
