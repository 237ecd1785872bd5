from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import DatePicker
from duban.ledger.choices import LedgerKind, RectificationType
from duban.ledger.models import Ledger
from duban.orgs.models import Unit
from duban.orgs.pickers import UnitPicker
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
