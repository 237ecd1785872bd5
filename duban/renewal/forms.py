from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.forms import AmountField, DatePicker, MultipleFileField, MultipleFileInput
from duban.orgs.choices import UnitKind
from duban.orgs.models import Person, Unit
from duban.orgs.pickers import PersonPicker
from duban.renewal.choices import (
    BureauRole,
    CaseOrigin,
    ClaimType,
    EndReason,
    HouseholdKind,
    Milestone,
    PartySide,
    Performance,
    ProjectKind,
    Purpose,
    Referral,
)
from duban.renewal.models import RenewalSettings

ACCEPT = ".pdf,.ofd,.jpg,.jpeg,.png"
AWAITING = "awaiting"  # the releases list's state filter: awaiting the bureau head or the district
PARTY_ROWS = 4


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Project"), max_length=120)
    street = forms.ModelChoiceField(label=_("Street"), queryset=Unit.objects.filter(kind=UnitKind.STREET))
    community = forms.CharField(label=_("Community"), max_length=60, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProjectKind.choices)
    developer = forms.CharField(label=_("Developer"), max_length=120)
    area = forms.DecimalField(label=_("Land area (m²)"), required=False, min_value=0.01, max_digits=12,
                              decimal_places=2)  # fmt: skip


class HouseholdsForm(forms.Form):
    rows = forms.CharField(
        label=_("Households"), widget=forms.Textarea(attrs={"rows": 6}), max_length=400_000,
        help_text=_("One household a line: property, owner or tenant, name, phone, floor area (m²), separated by "
                    "commas or tabs (copied from Excel). For example: 3栋502, owner, 陈某某, 13800000000, 86.5"),
    )  # fmt: skip

    KINDS = {"owner": HouseholdKind.OWNER, "业主": HouseholdKind.OWNER, "tenant": HouseholdKind.TENANT,
             "租户": HouseholdKind.TENANT, "承租人": HouseholdKind.TENANT}  # fmt: skip

    def households(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["rows"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("\t", ",").replace("，", ",").split(",")]
            parts += [""] * (5 - len(parts))
            rows.append({"label": parts[0], "kind": self.KINDS.get(parts[1].lower(), parts[1] or "owner"),
                         "name": parts[2], "phone": parts[3], "area": parts[4]})  # fmt: skip
        return rows


class SignForm(forms.Form):
    households = forms.ModelMultipleChoiceField(label=_("Households that signed"), queryset=None,
                                                widget=forms.CheckboxSelectMultiple)  # fmt: skip
    signed_on = forms.DateField(label=_("Signed on"), widget=DatePicker)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].queryset = project.households.filter(signed_on__isnull=True)


class CaseForm(forms.Form):
    origin = forms.ChoiceField(label=_("Started"), choices=CaseOrigin.choices, widget=forms.RadioSelect)
    claim_type = forms.ChoiceField(label=_("Claim type"), choices=ClaimType.choices)
    claim = forms.CharField(label=_("Claim"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        households = project.households.order_by("label", "pk")
        for n in range(PARTY_ROWS):
            required = n < 2
            self.fields[f"p{n}_side"] = forms.ChoiceField(
                label=_("Side"), required=required,
                choices=[("", "—"), *PartySide.choices],
                initial=PartySide.DEVELOPER if n == 0 else (PartySide.RELOCATED if n == 1 else ""),
            )  # fmt: skip
            self.fields[f"p{n}_household"] = forms.ModelChoiceField(
                label=_("Household (owners and tenants)"), queryset=households, required=False
            )
            self.fields[f"p{n}_name"] = forms.CharField(
                label=_("Name"), max_length=120, required=False,
                help_text=_("The developer's name, or leave it empty to take the household's."),
            )  # fmt: skip
            self.fields[f"p{n}_phone"] = forms.CharField(label=_("Phone"), max_length=20, required=False)
            self.fields[f"p{n}_consented_on"] = forms.DateField(label=_("Agreed to mediation on"), required=False,
                                                                widget=DatePicker)  # fmt: skip
        if project.pk:
            self.fields[f"p{0}_name"].initial = project.developer

    def party_rows(self) -> list[list]:
        return [[self[f"p{n}_{name}"] for name in ("side", "household", "name", "phone", "consented_on")]
                for n in range(PARTY_ROWS)]  # fmt: skip

    def parties(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {"side": data[f"p{n}_side"], "household": data[f"p{n}_household"], "name": data[f"p{n}_name"],
             "phone": data[f"p{n}_phone"], "consented_on": data[f"p{n}_consented_on"]}
            for n in range(PARTY_ROWS)
            if data.get(f"p{n}_side") or data.get(f"p{n}_name") or data.get(f"p{n}_household")
        ]  # fmt: skip


class ConsentForm(forms.Form):
    consented_on = forms.DateField(label=_("Agreed to mediation on"),
                                   widget=DatePicker(attrs={"aria-label": _("Agreed to mediation on")}))  # fmt: skip


class MediatorsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        from duban.renewal.services import mediators_pool

        super().__init__(queryset=mediators_pool(), widget=forms.CheckboxSelectMultiple,
                         help_text=_("At least two."), **kwargs)  # fmt: skip


class AcceptForm(forms.Form):
    mediators = MediatorsField(label=_("Mediators"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SettleForm(forms.Form):
    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(case.parties.all())
        for party in self.parties:
            self.fields[f"signed_{party.pk}"] = forms.DateField(
                label=_("%(name)s signed on") % {"name": party.name}, widget=DatePicker, initial=timezone.localdate
            )

    def signed(self) -> dict:
        return {p.pk: self.cleaned_data[f"signed_{p.pk}"] for p in self.parties}


class TerminateForm(forms.Form):
    end_reason = forms.ChoiceField(label=_("Why it ends"), choices=EndReason.choices, widget=forms.RadioSelect)
    referral = forms.ChoiceField(label=_("Where the parties may go next"), choices=Referral.choices,
                                 widget=forms.RadioSelect)  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [(r, Referral(r).label) for r in referrals]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=pgettext_lazy("mediation session", "Held on"), widget=DatePicker)
    place = forms.CharField(label=_("Place"), max_length=120)
    mediators = MediatorsField(label=_("Mediators"))
    attendees = forms.CharField(label=_("Attendees"), max_length=500)
    minutes = forms.CharField(
        label=pgettext_lazy("mediation session", "Minutes"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = MultipleFileField(label=_("Documents"), widget=MultipleFileInput(attrs={"accept": ACCEPT}),
                            help_text=_("PDF, OFD or a scan (JPEG, PNG), at most 20 MB each."))  # fmt: skip


class AgreementForm(forms.Form):
    facts = forms.CharField(label=_("Facts"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    terms = forms.CharField(label=_("Terms agreed"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DatePicker)
    performance = forms.ChoiceField(label=_("Performance"), choices=Performance.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AccountForm(forms.Form):
    bank = forms.CharField(label=_("Bank"), max_length=120)
    number = forms.CharField(label=_("Account number"), max_length=34)
    opened_on = forms.DateField(label=_("Opened on"), widget=DatePicker)
    basis = forms.CharField(
        label=pgettext_lazy("release rule", "Basis"),
        max_length=200,
        initial="《罗湖区人民政府关于助企纾困 优化资金监管 推动城市更新提质增效的暂行措施》",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Purpose.choices:
            self.fields[f"need_{value}"] = AmountField(label=_("Required: %(purpose)s (yuan)") % {"purpose": label},
                                                       required=False)  # fmt: skip
        for value, label, initial in zip(Milestone.values, Milestone.labels, (30, 70, 100), strict=True):
            self.fields[f"cap_{value}"] = forms.DecimalField(
                label=_("Up to this share at %(milestone)s (%%)") % {"milestone": label}, min_value=0.01,
                max_value=100, decimal_places=2, initial=initial,
            )  # fmt: skip
        self.fields["cap_guarantee"] = forms.DecimalField(
            label=_("Early against a bank guarantee, up to (%)"), required=False, min_value=0.01, max_value=100,
            decimal_places=2, initial=20,
            help_text=_("Leave empty when the account allows no early release."),
        )  # fmt: skip

    def requirements(self) -> dict:
        return {value: self.cleaned_data[f"need_{value}"] for value in Purpose.values}

    def rules(self) -> list[dict]:
        data, basis = self.cleaned_data, self.cleaned_data["basis"]
        rules = [{"kind": "milestone", "milestone": m, "cap_percent": data[f"cap_{m}"], "basis": basis}
                 for m in Milestone.values]  # fmt: skip
        if data.get("cap_guarantee"):
            rules.append({"kind": "guarantee", "cap_percent": data["cap_guarantee"], "basis": basis})
        return rules


class DepositForm(forms.Form):
    amount = AmountField(label=_("Amount (yuan)"))
    deposited_on = forms.DateField(label=_("Deposited on"), widget=DatePicker)
    reference = forms.CharField(label=_("Bank reference"), max_length=60)


class ReachForm(forms.Form):
    milestone = forms.ChoiceField(label=_("Milestone"), choices=Milestone.choices)
    reached_on = forms.DateField(label=_("Reached on"), widget=DatePicker)
    evidence = forms.FileField(label=_("Evidence"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                               help_text=_("PDF, OFD or a scan (JPEG, PNG), at most 20 MB each."))  # fmt: skip


class ReleaseForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("Under the rule"), queryset=None)
    amount = AmountField(label=_("Amount (yuan)"))
    guarantee_bank = forms.CharField(label=_("Guaranteeing bank"), max_length=120, required=False)
    guarantee_number = forms.CharField(label=_("Guarantee number"), max_length=60, required=False)
    guarantee_amount = AmountField(label=_("Guarantee amount (yuan)"), required=False)
    guarantee_expires_on = forms.DateField(label=_("Guarantee valid until"), required=False, widget=DatePicker)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = account.rules.all()

    def guarantee(self) -> dict:
        data = self.cleaned_data
        return {"bank": data["guarantee_bank"], "number": data["guarantee_number"], "amount": data["guarantee_amount"],
                "expires_on": data["guarantee_expires_on"]}  # fmt: skip


class TransferForm(forms.Form):
    released_on = forms.DateField(label=_("Transferred on"), widget=DatePicker)
    voucher = forms.CharField(label=_("Bank voucher"), max_length=60)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = RenewalSettings
        fields = ["bureau", "mediation_working_days", "extension_working_days", "extensions_allowed",
                  "consent_threshold", "district_threshold"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bureau"].required = True
        self.fields["bureau"].queryset = Unit.objects.exclude(kind=UnitKind.EXTERNAL)


class PostForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.active(),
                                    widget=PersonPicker)  # fmt: skip
    role = forms.ChoiceField(label=_("Post"), choices=BureauRole.choices)
