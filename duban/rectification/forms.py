from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import DatePicker
from duban.ledger.choices import LedgerKind, RectificationType
from duban.ledger.models import Ledger
from duban.orgs.filters import LinkedUnitsMixin
from duban.orgs.models import Person, Unit
from duban.orgs.pickers import UnitPicker
from duban.rectification.choices import FindingStatus
from duban.rectification.models import AuditFinding, AuditProject, CoveragePlan

DATE = DatePicker()


class ProjectForm(forms.ModelForm):
    class Meta:
        model = AuditProject
        fields = ["year", "name", "audit_type", "audited_unit", "report_number", "report_date"]
        widgets = {"report_date": DATE, "audited_unit": UnitPicker}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audited_unit"].queryset = Unit.objects.active()


class FindingForm(forms.ModelForm):
    class Meta:
        model = AuditFinding
        fields = ["title", "finding_type", "amount_involved", "requirement", "responsible_unit", "description"]
        widgets = {
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 2}),
            "responsible_unit": UnitPicker,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = Unit.objects.active()
        self.fields["responsible_unit"].required = False
        self.fields["responsible_unit"].help_text = _("Leave empty for the audited unit.")


class OpenItemsForm(forms.Form):
    ledger = forms.ModelChoiceField(label=_("Ledger"), queryset=Ledger.objects.none())
    title = forms.CharField(
        label=_("Measure"), max_length=200, required=False, help_text=_("Leave empty for the finding itself.")
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=Unit.objects.none(), required=False, widget=UnitPicker
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    rectification_type = forms.ChoiceField(label=_("Rectification type"), choices=RectificationType.choices)

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].queryset = Ledger.objects.filter(kind=LedgerKind.AUDIT, year__in=[year, year + 1])
        self.fields["lead_unit"].queryset = Unit.objects.active()


class ResultForm(forms.Form):
    amount_recovered = forms.DecimalField(
        label=_("Amount recovered (yuan)"), min_value=0, max_digits=14, decimal_places=2
    )


class PromptLettersForm(forms.Form):
    lights = forms.MultipleChoiceField(
        label=_("Items showing"),
        choices=[("yellow", _("Yellow")), ("red", _("Red")), ("green", _("Green"))],
        initial=["yellow", "red"],
        widget=forms.CheckboxSelectMultiple,
    )


class CoveragePlanForm(forms.ModelForm):
    class Meta:
        model = CoveragePlan
        fields = ["name", "first_year", "last_year"]


class CoverageForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=UnitPicker)
    years = forms.TypedMultipleChoiceField(
        label=_("Years"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().exclude(
            kind__in=["community", "compound", "grid", "external"]
        )
        self.fields["years"].choices = [(year, year) for year in years]


class FindingFilterForm(LinkedUnitsMixin, forms.Form):
    """The audit year page's filters. `unit`, `direct` and `portfolio` read as on the ledger's item
    list (a unit and everything under it; the unit's own only; the units in a leader's charge), so
    the cockpit's figures link here with the query they link the item list with."""

    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any status")), *FindingStatus.choices],
                               required=False)  # fmt: skip
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none(), required=False,
                                  widget=UnitPicker)  # fmt: skip
    # Filters a figure elsewhere (the cockpit) links with; shown above the findings while set.
    direct = forms.BooleanField(label=_("The unit's own findings only, not those of the units under it"),
                                required=False, widget=forms.HiddenInput)  # fmt: skip
    portfolio = forms.ModelChoiceField(label=_("Units in the charge of"), queryset=Person.objects.none(),
                                       required=False, widget=forms.HiddenInput)  # fmt: skip

    LINKED = ("direct", "portfolio")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().exclude(kind__in=["grid", "compound"])
        self.fields["portfolio"].queryset = Person.objects.leaders()

    @property
    def filtering(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)

    def in_scope(self, findings):
        """The findings of the units the filters name (every status); none when a filter is not understood."""
        if not self.is_bound:
            return findings
        if not self.is_valid():
            return findings.none()
        data = self.cleaned_data
        if data["unit"] and data["direct"]:
            findings = findings.filter(responsible_unit=data["unit"])
        elif data["unit"]:
            findings = findings.filter(responsible_unit__in=Unit.objects.subtree(data["unit"]))
        if data["portfolio"]:
            units = Unit.objects.subtrees(Unit.objects.filter(portfolios__in=data["portfolio"].portfolios.current()))
            findings = findings.filter(responsible_unit__in=units)
        return findings

    def apply(self, findings, today):
        """The findings the filters select, each with its `status`."""
        findings = self.in_scope(findings).with_status(today)
        if self.is_bound and self.is_valid() and self.cleaned_data["status"]:
            findings = findings.filter(status=self.cleaned_data["status"])
        return findings
