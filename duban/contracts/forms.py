from __future__ import annotations

import itertools

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.contracts.choices import STANDARD_CRITERIA, ContractState, OwnerKind
from duban.contracts.models import ClauseItem, by_nodes
from duban.core.forms import AmountField, DatePicker
from duban.orgs.models import Person, Unit


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=40)
    project = forms.CharField(label=_("Project"), max_length=200)
    contractor = forms.CharField(label=pgettext_lazy("construction contract", "Contractor"), max_length=120)
    amount = AmountField(label=_("Contract amount (yuan)"), max_length=20)
    starts_on = forms.DateField(label=_("Commencement date"), widget=DatePicker)
    ends_on = forms.DateField(label=_("Completion date"), widget=DatePicker)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.node_names = [name for name, _weight in version.nodes]
        for n, (name, weight) in enumerate(version.nodes):
            self.fields[f"node_{n}"] = forms.DateField(
                label=_("Planned date: %(node)s (weight %(weight)s%%)") % {"node": name, "weight": weight},
                widget=DatePicker,
            )

    def planned(self) -> list:
        return [self.cleaned_data[f"node_{n}"] for n in range(len(self.node_names))]


class NodeForm(forms.Form):
    actual_on = forms.DateField(label=_("Actual date"), widget=DatePicker)


class RatingForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), coerce=int, choices=[
        (1, _("First quarter")), (2, _("Second quarter")), (3, _("Third quarter")),
        (4, _("Fourth quarter"))])  # fmt: skip

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys = [key for key, _label, _weight in criteria if key != "schedule"]
        for key, label, weight in criteria:
            if key != "schedule":
                self.fields[f"score_{key}"] = forms.DecimalField(
                    label=_("%(criterion)s (weight %(weight)s%%)") % {"criterion": label, "weight": weight},
                    min_value=0,
                    max_value=100,
                    decimal_places=2,
                )

    def scores(self) -> dict:
        return {key: self.cleaned_data[f"score_{key}"] for key in self.keys}


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("The contractor's answer"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class VersionForm(forms.Form):
    agreement = forms.CharField(
        label=pgettext_lazy("contract part", "Agreement"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    general_terms = forms.CharField(label=_("General terms"), max_length=200000,
                                    widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
    special_terms = forms.CharField(label=_("Special terms"), max_length=50000,
                                    widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
    reward_per_day = forms.DecimalField(label=_("Reward per day early (yuan)"), min_value=0, decimal_places=2)
    penalty_per_day = forms.DecimalField(label=_("Penalty per day late (yuan)"), min_value=0.01, decimal_places=2)
    reward_cap_percent = forms.DecimalField(label=_("Reward cap (% of the contract amount)"), min_value=0,
                                            max_value=100, decimal_places=2)  # fmt: skip
    penalty_cap_percent = forms.DecimalField(label=_("Penalty cap (% of the contract amount)"), min_value=0,
                                             max_value=100, decimal_places=2)  # fmt: skip
    nodes = forms.CharField(label=_("Key nodes"), widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("One a line, in order: name, weight (the weights add up to 100)."))  # fmt: skip
    schedule_weight = forms.IntegerField(
        label=_("Weight of schedule adherence in the rating (%)"), min_value=1, max_value=100,
        help_text=_("Scored from the key nodes: the share of the nodes due by the quarter's end that were reached "
                    "by their planned date."),
    )  # fmt: skip
    criteria = forms.CharField(
        label=_("Other rating criteria"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: name, weight; with schedule adherence the weights add up to 100. The owner scores "
                    "each from 0 to 100 every quarter."),
    )  # fmt: skip

    def __init__(self, *args, base=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_criteria = list(base.criteria) if base else [list(c) for c in STANDARD_CRITERIA]

    @staticmethod
    def lines(text: str) -> list[list[str]]:
        return [
            [part.strip() for part in line.replace("，", ",").split(",")] for line in text.splitlines() if line.strip()
        ]

    def clauses(self) -> dict:
        """The service's fields: each criterion keeps its key from the version it was drafted from
        (by name), a new one gets the next free key."""
        data = dict(self.cleaned_data)
        data["nodes"] = self.lines(data["nodes"])
        keys = {label: key for key, label, _weight in self.base_criteria}
        schedule = next((label for key, label, _weight in self.base_criteria if key == "schedule"), "工期履约")
        criteria = [["schedule", schedule, data.pop("schedule_weight")]]
        used = {"schedule"}
        for line in self.lines(data["criteria"]):
            key = keys.get(line[0])
            if key is None or key in used:
                key = next(f"c{n}" for n in itertools.count(1) if f"c{n}" not in used | set(keys.values()))
            used.add(key)
            criteria.append([key, *line])
        data["criteria"] = criteria
        return data

    @classmethod
    def initial_of(cls, version) -> dict:
        fields = ["agreement", "general_terms", "special_terms", "reward_per_day", "penalty_per_day",
                  "reward_cap_percent", "penalty_cap_percent"]  # fmt: skip
        initial = {name: getattr(version, name) for name in fields}
        initial["nodes"] = "\n".join(f"{name}, {weight}" for name, weight in version.nodes)
        initial["schedule_weight"] = next((w for key, _label, w in version.criteria if key == "schedule"), None)
        initial["criteria"] = "\n".join(f"{label}, {weight}" for key, label, weight in version.criteria
                                        if key != "schedule")  # fmt: skip
        return initial


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Template"), max_length=120)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Opinion"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class AnalysedForm(forms.Form):
    project = forms.CharField(label=_("Project"), max_length=200)
    owner_kind = forms.ChoiceField(label=_("Owner kind"), choices=OwnerKind.choices)
    owner = forms.CharField(label=pgettext_lazy("construction contract", "Owner"), max_length=120)
    contractor = forms.CharField(label=pgettext_lazy("construction contract", "Contractor"), max_length=120)
    amount = AmountField(label=_("Contract amount (yuan)"), max_length=20)
    starts_on = forms.DateField(label=_("Commencement date"), widget=DatePicker)
    ends_on = forms.DateField(label=_("Completion date"), widget=DatePicker)
    delay_days = forms.IntegerField(label=_("Days of delay"), min_value=0, initial=0)
    settlement_days = forms.IntegerField(label=_("Days from completion to settlement"), min_value=0, required=False)
    notes = forms.CharField(label=_("Problems found"), max_length=500, required=False)
    clauses = forms.ModelMultipleChoiceField(label=_("Clauses present"), queryset=ClauseItem.objects.all(),
                                             widget=forms.CheckboxSelectMultiple, required=False)  # fmt: skip


class AnalysisImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook of contracts (.xlsx, .xls, .ods or .csv)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}))  # fmt: skip


# What the cockpit's figures and the contract list's linked filters call the contracts by their key nodes.
NODE_LABELS = {
    "overdue": _("With a key node overdue"),
    "late": _("With a key node reached late"),
    "penalty": _("With a penalty"),
    "reward": _("With a reward"),
}


class ContractFilterForm(forms.Form):
    """The contract list: its state; and filters a figure elsewhere (the cockpit) links it with, named
    above the list while set: by key nodes (overdue, reached late, owing a penalty, earning a reward),
    and by owner (a unit and the units below it, or the units in a leader's charge)."""

    LINKED = ("nodes", "outcome", "unit", "portfolio")

    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any state")), *ContractState.choices],
                              required=False)  # fmt: skip
    nodes = forms.ChoiceField(choices=[(k, NODE_LABELS[k]) for k in ("overdue", "late")], required=False,
                              widget=forms.HiddenInput)  # fmt: skip
    outcome = forms.ChoiceField(choices=[(k, NODE_LABELS[k]) for k in ("penalty", "reward")], required=False,
                                widget=forms.HiddenInput)  # fmt: skip
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False, widget=forms.HiddenInput)
    portfolio = forms.ModelChoiceField(queryset=Person.objects.leaders(), required=False, widget=forms.HiddenInput)

    def apply(self, contracts, today):
        if not self.is_bound:
            return contracts
        if not self.is_valid():
            return contracts.none()
        data = self.cleaned_data
        if data["state"]:
            contracts = contracts.filter(state=data["state"])
        for name in ("nodes", "outcome"):
            if data[name]:
                contracts = contracts.filter(by_nodes(data[name], today))
        if data["unit"]:
            contracts = contracts.filter(owner__in=Unit.objects.subtree(data["unit"]))
        if data["portfolio"]:
            contracts = contracts.filter(owner__in=data["portfolio"].units_in_charge())
        return contracts

    def linked_names(self) -> list[str]:
        """The linked filters set (kept when the state changes; removed on request)."""
        return [name for name in self.LINKED if self.data.get(name)]

    def shown(self) -> list[tuple[str, str]]:
        """The linked filters set, as (label, value) to show above the list."""
        if not self.is_bound or not self.is_valid():
            return []
        data, shown = self.cleaned_data, []
        for name in ("nodes", "outcome"):
            if data[name]:
                shown.append((str(NODE_LABELS[data[name]]), ""))
        if data["unit"]:
            shown.append((str(pgettext_lazy("construction contract", "Owner, with the units below it")),
                          data["unit"].name))  # fmt: skip
        if data["portfolio"]:
            shown.append((str(_("Units in the charge of")), data["portfolio"].name))
        return shown
