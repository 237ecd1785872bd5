from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.forms import DatePicker
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.orgs.models import Person, Unit
from duban.rules.choices import (
    CHANGE_LABELS,
    CHANGES,
    ActionKind,
    OutreachKind,
    PlanScheme,
    ReviewDecision,
    RuleKind,
    RuleScope,
    RuleStatus,
)
from duban.rules.models import Rule, RuleCategory

DATE = DatePicker()
DOCUMENT_HELP = _("A Word (.docx) or PDF file of at most 20 MB; its text is kept for searching.")


def _unit_field(units) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(label=_("Unit"), queryset=units, empty_label=None)
    field.label_from_instance = lambda unit: unit.name
    return field


def _category_field(units) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=_("Category"), queryset=RuleCategory.objects.filter(unit__in=units).select_related("unit"),
        required=False,
    )  # fmt: skip
    field.label_from_instance = lambda category: f"{category.unit.name} · {category.name}"
    return field


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    parent = forms.ModelChoiceField(label=_("Parent category"), queryset=RuleCategory.objects.none(), required=False)
    sort_order = forms.IntegerField(label=_("Sort order"), min_value=0, max_value=10_000, initial=0)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _unit_field(units), **self.fields}
        self.fields["parent"] = _category_field(units)
        self.fields["parent"].label = _("Parent category")


class RuleForm(forms.Form):
    """A rule the unit already has, registered as it stands."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=RuleKind.choices)
    scope = forms.ChoiceField(label=_("Scope"), choices=RuleScope.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=60)
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE)
    expires_on = forms.DateField(
        label=_("Expires on"), widget=DATE, required=False,
        help_text=_("Leave empty: a normative document lapses five years after it takes effect."),
    )  # fmt: skip
    text = forms.CharField(
        label=_("Full text"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=_("Leave empty to take the text from the document."),
    )  # fmt: skip
    upload = forms.FileField(label=_("Document"), required=False, help_text=DOCUMENT_HELP)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"issuing_unit": _unit_field(units), "category": _category_field(units), **self.fields}
        self.fields["issuing_unit"].label = _("Issuing unit")


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    scheme = forms.ChoiceField(label=_("Scheme"), choices=PlanScheme.choices)
    ledger = forms.ModelChoiceField(label=_("Ledger"), queryset=Ledger.objects.filter(kind=LedgerKind.RULES))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _unit_field(units), **self.fields}


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    rule = forms.ModelChoiceField(
        label=_("Rule to change"), queryset=Rule.objects.none(), required=False,
        help_text=_("For supplementing, amending or repealing a rule in force."),
    )  # fmt: skip
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False,
        help_text=_("The new rule's title; for a change, its new title if it changes."),
    )  # fmt: skip
    rule_kind = forms.ChoiceField(
        label=_("Kind of rule"), choices=[("", "---------"), *RuleKind.choices], required=False
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=RuleScope.choices, required=False)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    summary = forms.CharField(label=_("What changes and why"), widget=forms.Textarea(attrs={"rows": 3}))
    cause = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = Rule.objects.filter(issuing_unit=plan.unit, status=RuleStatus.IN_FORCE)
        category = _category_field([plan.unit])
        category.label_from_instance = lambda c: c.name
        self.fields["category"] = category


class DeliberationForm(forms.Form):
    reason = forms.CharField(
        label=_("Legality review opinion"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
        help_text=_("Required after a legality review."),
    )  # fmt: skip


class IssueForm(forms.Form):
    reason = forms.CharField(label=_("Deliberating meeting"), max_length=200)
    document_number = forms.CharField(label=_("Document number"), max_length=60)
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    effective_on = forms.DateField(label=_("Effective on"), widget=DATE, required=False)
    text = forms.CharField(
        label=_("Full text"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=_("Leave empty to take the text from the document."),
    )  # fmt: skip
    upload = forms.FileField(label=_("Document"), required=False, help_text=DOCUMENT_HELP)
    replaced_by = forms.ModelChoiceField(
        label=_("Replaced by"), queryset=Rule.objects.none(), required=False,
        help_text=_("For a repeal: the rule that takes its place, if any."),
    )  # fmt: skip

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        if action.kind == ActionKind.REPEAL:
            for name in ("effective_on", "text", "upload"):
                del self.fields[name]
            self.fields["replaced_by"].queryset = Rule.objects.filter(status=RuleStatus.IN_FORCE).exclude(
                pk=action.rule_id
            )
        else:
            del self.fields["replaced_by"]
            self.fields["effective_on"].required = True


class CompilationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, initial="工作制度汇编")
    units = forms.ModelMultipleChoiceField(label=_("Units compiled"), queryset=Unit.objects.none())
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=RuleCategory.objects.none(), required=False,
        help_text=_("Leave empty for every category."),
    )  # fmt: skip
    statuses = forms.MultipleChoiceField(
        label=_("Statuses"), choices=RuleStatus.choices, initial=[RuleStatus.IN_FORCE],
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"unit": _unit_field(units), **self.fields}
        self.fields["unit"].label = _("Compiling unit")
        self.fields["units"].queryset = Unit.objects.filter(pk__in=Rule.objects.values("issuing_unit")).order_by(
            "sort_order", "pk"
        )
        self.fields["units"].label_from_instance = lambda unit: unit.name
        self.fields["categories"].queryset = RuleCategory.objects.select_related("unit")
        self.fields["categories"].label_from_instance = lambda c: f"{c.unit.name} · {c.name}"


class OutreachForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutreachKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=200)
    enterprises = forms.CharField(
        label=_("Enterprises reached"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line: the name, then the unified social credit code (as pasted from Excel)."),
    )  # fmt: skip
    practitioners = forms.IntegerField(label=_("Practitioners reached"), min_value=0, max_value=10_000_000, initial=0)
    practitioner_names = forms.CharField(
        label=_("Practitioners by name"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; when given, the count is the number of names."),
    )  # fmt: skip

    def clean_enterprises(self) -> list[tuple[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["enterprises"].splitlines(), start=1):
            parts = line.replace(",", " ").replace("，", " ").split()
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(
                    _("Line %(n)s: give the name and then the code.") % {"n": number}
                )  # fmt: skip
            rows.append((" ".join(parts[:-1]), parts[-1]))
        return rows


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Conclusion"), choices=ReviewDecision.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("Review opinion"), widget=forms.Textarea(attrs={"rows": 3}))


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(min_value=2000, max_value=2100, required=False, widget=forms.HiddenInput)


class RuleLinksForm(forms.Form):
    """Filters a figure elsewhere (the cockpit) links the registry with: rules made, revised or
    repealed in a year, under periodic review, of a unit and the units below it, or of the units in a
    leader's charge. Named above the list while set."""

    made = _year_field()
    revised = _year_field()
    repealed = _year_field()
    review = forms.ChoiceField(choices=[("open", "open")], required=False, widget=forms.HiddenInput)
    within = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False, widget=forms.HiddenInput)
    portfolio = forms.ModelChoiceField(queryset=Person.objects.leaders(), required=False, widget=forms.HiddenInput)

    def apply(self, rules):
        if not self.is_valid():
            return rules.none()
        data = self.cleaned_data
        for how in CHANGES:
            if data[how]:
                rules = rules.changed_in(data[how], how)
        if data["review"]:
            rules = rules.under_review()
        if data["within"]:
            rules = rules.filter(issuing_unit__in=Unit.objects.subtree(data["within"]))
        if data["portfolio"]:
            rules = rules.filter(issuing_unit__in=data["portfolio"].units_in_charge())
        return rules

    def linked_names(self) -> list[str]:
        """The filters set (to keep them when the visible ones change, or to remove them)."""
        return [name for name in self.fields if self.data.get(name)]

    def shown(self) -> list[tuple[str, str]]:
        """The filters set, as (label, value) to show above the list."""
        if not self.is_valid():
            return []
        data, shown = self.cleaned_data, []
        for how in CHANGES:
            if data[how]:
                shown.append((CHANGE_LABELS[how] % {"year": data[how]}, ""))
        if data["review"]:
            shown.append((str(_("Under periodic review")), ""))
        if data["within"]:
            shown.append((str(_("Unit and the units below it")), data["within"].name))
        if data["portfolio"]:
            shown.append((str(_("Units in the charge of")), data["portfolio"].name))
        return shown
