from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.forms import DatePicker
from duban.orgs.models import Person, Unit
from duban.orgs.pickers import PersonPicker, UnitPicker
from duban.payments.choices import CentreRole, SupplyForm
from duban.payments.models import CentreSettings, DocumentType, Fund, PaymentRequest, RequestType
from duban.payments.services.requests import clean_account, clean_amount

ACCEPT = ".pdf,.ofd,.jpg,.jpeg,.png"
AT_CENTRE = "centre"  # the list's state filter: any step at the centre


class RequestForm(forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("Requesting unit"), queryset=Unit.objects.none())
    # an amount is checked by the service (a positive sum with at most two decimals), in words
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20)

    class Meta:
        model = PaymentRequest
        fields = ["unit", "request_type", "project", "fund", "amount", "payee_name", "payee_account", "payee_bank",
                  "contract_ref", "invoice_ref", "channel"]  # fmt: skip
        widgets = {"channel": forms.RadioSelect}
        help_texts = {
            "channel": _("The green channel is for livelihood funds and units on the green list: paid the same or "
                         "the next working day, and secondary documents may follow on a commitment letter."),
            "payee_account": _("Digits only; spaces are left out."),
        }  # fmt: skip

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["request_type"].queryset = RequestType.objects.filter(is_active=True)
        self.fields["fund"].queryset = Fund.objects.filter(unit__in=Unit.objects.subtrees(units)).order_by("number")
        self.fields["fund"].label_from_instance = _fund_label
        if self.instance.pk:
            del self.fields["unit"]

    def _checked(self, name: str, check):
        try:
            return check(self.cleaned_data[name])
        except ValidationError as error:
            raise ValidationError(error.message_dict[name]) from None

    def clean_amount(self):
        return self._checked("amount", clean_amount)

    def clean_payee_account(self):
        return self._checked("payee_account", clean_account)


def _fund_label(fund: Fund) -> str:
    return str(_("%(fund)s · green channel") % {"fund": fund}) if fund.green else str(fund)


class DocumentsForm(forms.Form):
    """One file field per document of the checklist."""

    def __init__(self, *args, document_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.document_types = {}
        for document_type in document_types:
            name = f"doc_{document_type.pk}"
            widget = forms.ClearableFileInput(attrs={"accept": ACCEPT})
            self.fields[name] = forms.FileField(label=document_type.name, required=False, widget=widget)
            self.document_types[name] = document_type

    def uploads(self) -> list[tuple[DocumentType, object]]:
        return [(self.document_types[name], f) for name, f in self.cleaned_data.items() if f]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DeferForm(forms.Form):
    """预审: the date and form of supply of each missing document."""

    def __init__(self, *args, missing=(), due_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.missing = list(missing)
        for document_type in self.missing:
            self.fields[f"due_{document_type.pk}"] = forms.DateField(
                label=_("%(document)s: to be supplied by") % {"document": document_type.name}, widget=DatePicker(),
                initial=due_on,
            )  # fmt: skip
            self.fields[f"form_{document_type.pk}"] = forms.ChoiceField(
                label=_("%(document)s: form of supply") % {"document": document_type.name}, choices=SupplyForm.choices
            )

    def gaps(self) -> list[dict]:
        return [
            {"document_type": t, "due_on": self.cleaned_data[f"due_{t.pk}"],
             "supply_form": self.cleaned_data[f"form_{t.pk}"]}
            for t in self.missing
        ]  # fmt: skip


class CommitForm(forms.Form):
    sealed = forms.BooleanField(
        label=_("I sign this commitment letter for the unit, under the unit's seal"), required=False
    )


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Payment date"), widget=DatePicker())
    voucher = forms.CharField(label=_("Voucher number"), max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class SupplyUploadForm(forms.Form):
    file = forms.FileField(label=_("The supplied document"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


class CentreSettingsForm(forms.ModelForm):
    class Meta:
        model = CentreSettings
        fields = ["centre", "green_working_days", "normal_working_days", "suspend_after_working_days"]
        widgets = {"centre": UnitPicker()}


class FundForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = ["number", "name", "unit", "year", "amount", "livelihood", "green"]
        widgets = {"unit": UnitPicker()}


class GreenUnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all(), widget=UnitPicker())


class PostForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=None, widget=PersonPicker())
    role = forms.ChoiceField(label=_("Post"), choices=CentreRole.choices)

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.all()
