from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.forms import DatePicker
from duban.orgs.choices import PositionRole, UnitKind
from duban.orgs.models import Domain, LeaderPortfolio, Person, Unit
from duban.orgs.pickers import PersonPicker, UnitPicker, UnitsPicker


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "code",
            "sort_order",
            "address",
            "office_phone",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class UnitCreateForm(UnitForm):
    def __init__(self, *args, parent: Unit | None, **kwargs):
        super().__init__(*args, **kwargs)
        from duban.orgs.choices import ALLOWED_CHILD_KINDS

        allowed = ALLOWED_CHILD_KINDS.get(parent.kind if parent else None, set())
        self.fields["kind"].choices = [(value, label) for value, label in UnitKind.choices if value in allowed]


class UnitMoveForm(forms.Form):
    parent = forms.ModelChoiceField(label=_("New parent unit"), queryset=Unit.objects.none(), widget=UnitPicker)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents


class RetireForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "gender", "mobile", "email", "office_phone", "note"]


class PositionForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.active(), widget=PersonPicker)
    role = forms.ChoiceField(label=_("Role"), choices=PositionRole.choices)
    title = forms.CharField(label=pgettext_lazy("position", "Title"), max_length=60, required=False)
    started_on = forms.DateField(label=_("Started on"), widget=DatePicker())


class PortfolioForm(forms.ModelForm):
    domains = forms.ModelMultipleChoiceField(
        label=_("Domains"), queryset=Domain.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units in charge"),
        queryset=Unit.objects.active().exclude(kind__in=[UnitKind.COMMUNITY, UnitKind.COMPOUND, UnitKind.GRID]),
        required=False,
        widget=UnitsPicker,
    )

    class Meta:
        model = LeaderPortfolio
        fields = ["leader", "title", "rank", "sort_order", "domains", "units"]
        widgets = {"leader": PersonPicker}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = Person.objects.active()
        if self.instance.pk:
            self.fields["leader"].disabled = True


class DestinationForm(forms.Form):
    destination = forms.CharField(
        label=_("Mobile number or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class CodeForm(forms.Form):
    destination = forms.CharField(widget=forms.HiddenInput, max_length=254)
    code = forms.CharField(
        label=_("Verification code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
