from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.forms import DatePicker
from duban.orgs.filters import LinkedUnitsMixin
from duban.orgs.models import Domain, Person, Unit, User
from duban.orgs.pickers import PeoplePicker, PersonPicker, UnitPicker, UnitsPicker
from duban.reforms.choices import (
    CONDITIONS,
    DISTINCTIONS,
    BonusKind,
    ProposalState,
    ReformLevel,
    ReformStage,
    Satisfaction,
    ToleranceDecision,
)
from duban.reforms.models import (
    ADJUSTABLE_FIELDS,
    Case,
    ExpertPanel,
    LookBack,
    Proposal,
    ProposalCall,
    RatingRound,
    Reform,
    VoteRound,
)

MILESTONE_ROWS = 5
DECOMPOSED_HELP = _("Changed by an adjustment now that the reform is decomposed.")


def _leaders():
    return Person.objects.leaders()


class ReformForm(forms.ModelForm):
    lead_leaders = forms.ModelMultipleChoiceField(
        label=_("Lead district leaders"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Leave empty to take the leaders the three-level responsibility rule suggests."),
        widget=PeoplePicker(scope="leaders"),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"), queryset=Unit.objects.none(), required=False, widget=UnitsPicker
    )

    class Meta:
        model = Reform
        fields = [
            "year",
            "level",
            "group",
            "domain",
            "title",
            "goals",
            "plan",
            "expected_results",
            "deadline",
            "lead_unit",
        ]
        widgets = {
            "deadline": DatePicker(),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "plan": forms.Textarea(attrs={"rows": 4}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "lead_unit": UnitPicker,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_leaders"].queryset = _leaders()
        self.fields["lead_unit"].queryset = Unit.objects.active()
        self.fields["co_units"].queryset = Unit.objects.active()
        self.fields["domain"].queryset = Domain.objects.all()
        if self.instance.pk:
            self.initial.setdefault("lead_leaders", list(self.instance.lead_leaders.all()))
            self.initial.setdefault("co_units", list(self.instance.co_units.all()))
            self.fields["lead_leaders"].help_text = ""
            if self.instance.item is not None:
                for name in (*ADJUSTABLE_FIELDS, "lead_unit"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Changed by an adjustment now that the reform is decomposed.")


class MilestonesForm(forms.Form):
    """Up to five milestones at a time; empty rows are skipped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MILESTONE_ROWS + 1):
            self.fields[f"title_{n}"] = forms.CharField(
                label=_("Milestone %(n)s") % {"n": n}, max_length=200, required=False
            )
            self.fields[f"deadline_{n}"] = forms.DateField(label=_("Deadline"), required=False, widget=DatePicker())
            self.fields[f"weight_{n}"] = forms.DecimalField(
                label=_("Weight"), min_value=0.1, max_digits=6, decimal_places=2, required=False
            )

    def clean(self):
        data = super().clean()
        milestones = []
        for n in range(1, MILESTONE_ROWS + 1):
            title, deadline = data.get(f"title_{n}"), data.get(f"deadline_{n}")
            if title and not deadline:
                self.add_error(f"deadline_{n}", _("Required."))
            elif deadline and not title:
                self.add_error(f"title_{n}", _("Required."))
            elif title:
                milestones.append({"title": title, "deadline": deadline, "weight": data.get(f"weight_{n}") or 1})
        if not milestones and not self.errors:
            raise forms.ValidationError(_("Give at least one milestone."))
        data["milestones"] = milestones
        return data

    def rows(self):
        return [(self[f"title_{n}"], self[f"deadline_{n}"], self[f"weight_{n}"]) for n in range(1, MILESTONE_ROWS + 1)]


class AdjustmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    goals = forms.CharField(label=_("New goals"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    plan = forms.CharField(label=_("New plan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expected_results = forms.CharField(
        label=_("New expected results"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label=_("New deadline"), required=False, widget=DatePicker())

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in ADJUSTABLE_FIELDS if self.cleaned_data.get(name)}


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReformFilterForm(LinkedUnitsMixin, forms.Form):
    """The reform list's filters. `unit`, `direct` and `portfolio` read as on the ledger's item list
    (a unit and everything under it; the unit's own only; the units in a leader's charge), so the
    cockpit's figures link here with the query they link the item list with."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Level"), choices=[("", _("Any level")), *ReformLevel.choices], required=False)
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any stage")), *ReformStage.choices], required=False)
    unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none(), required=False, widget=UnitPicker)
    rule = forms.BooleanField(label=_("Breaking the three-level responsibility rule"), required=False)
    # Filters a figure elsewhere (the cockpit) links with; shown above the list while set.
    direct = forms.BooleanField(label=_("Led by the unit itself, not by the units under it"), required=False,
                                widget=forms.HiddenInput)  # fmt: skip
    portfolio = forms.ModelChoiceField(label=_("Units in the charge of"), queryset=Person.objects.none(),
                                       required=False, widget=forms.HiddenInput)  # fmt: skip

    LINKED = ("direct", "portfolio")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active().exclude(kind__in=["grid", "compound"])
        self.fields["portfolio"].queryset = _leaders()

    def apply(self, reforms, today):
        """The reforms the filters select; none when a filter is not understood."""
        if not self.is_bound:
            return reforms
        if not self.is_valid():
            return reforms.none()
        data = self.cleaned_data
        if data["year"]:
            reforms = reforms.filter(year=data["year"])
        if data["level"]:
            reforms = reforms.filter(level=data["level"])
        if data["stage"]:
            reforms = reforms.at_stage(data["stage"], today)
        if data["unit"] and data["direct"]:
            reforms = reforms.filter(lead_unit=data["unit"])
        elif data["unit"]:
            reforms = reforms.filter(lead_unit__in=Unit.objects.subtree(data["unit"]))
        if data["portfolio"]:
            reforms = reforms.filter(lead_unit__in=data["portfolio"].units_in_charge())
        if data["rule"]:
            reforms = reforms.breaking_the_rule()
        return reforms


class PlanApprovalForm(forms.Form):
    meeting = forms.CharField(label=_("Approving meeting"), max_length=100)
    approved_on = forms.DateField(label=_("Approved on"), widget=DatePicker())
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)


class CallForm(forms.ModelForm):
    class Meta:
        model = ProposalCall
        fields = ["year", "title", "description", "opens_on", "closes_on"]
        widgets = {
            "opens_on": DatePicker(),
            "closes_on": DatePicker(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(label=_("Your proposal"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))


class AnswerForm(forms.Form):
    state = forms.ChoiceField(
        label=pgettext_lazy("proposal", "Decision"),
        choices=[(code, label) for code, label in ProposalState.choices if code != ProposalState.SUBMITTED],
    )
    answer = forms.CharField(label=_("Public answer"), widget=forms.Textarea(attrs={"rows": 2}))
    reform = forms.ModelChoiceField(label=_("Adopted into"), queryset=Reform.objects.none(), required=False)
    merged_into = forms.ModelChoiceField(label=_("Merged with"), queryset=Proposal.objects.none(), required=False)

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, prefix=f"p{proposal.pk}", **kwargs)
        self.fields["reform"].queryset = Reform.objects.filter(year=proposal.call.year)
        self.fields["merged_into"].queryset = proposal.call.proposals.exclude(pk=proposal.pk)


ROUND_WIDGETS = {"opens_on": DatePicker(), "closes_on": DatePicker()}


class RatingRoundForm(forms.ModelForm):
    class Meta:
        model = RatingRound
        fields = ["year", "title", "opens_on", "closes_on", "reforms"]
        widgets = {**ROUND_WIDGETS, "reforms": forms.SelectMultiple(attrs={"size": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reforms"].queryset = Reform.objects.filter(level=ReformLevel.KEY)


class VoteRoundForm(forms.ModelForm):
    class Meta:
        model = VoteRound
        fields = ["year", "title", "opens_on", "closes_on", "votes_per_person", "candidates"]
        widgets = {**ROUND_WIDGETS, "candidates": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = Reform.objects.filter(level=ReformLevel.MICRO)


class PanelForm(forms.ModelForm):
    class Meta:
        model = ExpertPanel
        fields = ["year", "title", "max_score", "excellent_count", "candidates"]
        widgets = {"candidates": forms.SelectMultiple(attrs={"size": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = Reform.objects.all()


CRITERIA_ROWS = 6


class CriteriaForm(forms.Form):
    """The panel's index: up to six criteria, each a name and a weight; the weights sum to 100."""

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.code_of = {n: criterion.get("code") for n, criterion in enumerate(criteria)}
        for n in range(CRITERIA_ROWS):
            current = criteria[n] if n < len(criteria) else {}
            self.fields[f"name_{n}"] = forms.CharField(
                label=_("Criterion"), max_length=30, required=False, initial=current.get("name", "")
            )
            self.fields[f"weight_{n}"] = forms.IntegerField(
                label=_("Weight"), min_value=1, max_value=100, required=False, initial=current.get("weight")
            )

    def criteria(self) -> list[dict]:
        rows = []
        for n in range(CRITERIA_ROWS):
            name, weight = self.cleaned_data.get(f"name_{n}"), self.cleaned_data.get(f"weight_{n}")
            if name or weight:
                rows.append({"code": self.code_of.get(n) or f"c{n + 1}", "name": name or "", "weight": weight or 0})
        return rows

    def rows(self):
        return [(self[f"name_{n}"], self[f"weight_{n}"]) for n in range(CRITERIA_ROWS)]


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Expert"), queryset=User.objects.none(), widget=PersonPicker(scope="accounts")
    )
    affiliation = forms.CharField(label=_("Affiliation"), max_length=100, help_text=_("For example 市委改革办."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True).exclude(account_type="resident").order_by("-is_expert", "username")
        )


class RatingForm(forms.Form):
    level = forms.ChoiceField(label=_("Your satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect)


class LookBackForm(forms.ModelForm):
    class Meta:
        model = LookBack
        fields = ["year", "outcome", "findings", "rules", "replicated_by"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 3}), "rules": forms.Textarea(attrs={"rows": 2})}


class CaseForm(forms.ModelForm):
    publish = forms.BooleanField(label=_("Publish on the portal"), required=False)

    class Meta:
        model = Case
        fields = ["reform", "title", "highlights", "experience", "replicated_by"]
        widgets = {"highlights": forms.Textarea(attrs={"rows": 4}), "experience": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reform"].queryset = Reform.objects.order_by("-year", "title")
        if self.instance.published_at:
            self.fields["publish"].initial = True
            self.fields["publish"].disabled = True


class BonusForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=UnitPicker)
    kind = forms.ChoiceField(label=_("Bonus"), choices=BonusKind.choices)
    note = forms.CharField(label=_("What for"), max_length=200)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ToleranceApplyForm(forms.Form):
    title = forms.CharField(label=_("Setback"), max_length=200)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 5}))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reform = forms.ModelChoiceField(label=_("Reform"), queryset=Reform.objects.none(), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reform"].queryset = Reform.objects.filter(lead_unit__in=units).order_by("-year", "title")


class ToleranceDecisionForm(forms.Form):
    """The collective decision: the investigation, the three distinctions, the conditions."""

    findings = forms.CharField(label=_("Investigation findings"), widget=forms.Textarea(attrs={"rows": 3}))
    meeting = forms.CharField(label=_("Deciding meeting"), max_length=100)
    decision = forms.ChoiceField(label=pgettext_lazy("tolerance", "Decision"), choices=ToleranceDecision.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))
    correction_plan = forms.CharField(
        label=_("Correction required"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in DISTINCTIONS.items():
            self.fields[f"distinction_{key}"] = forms.BooleanField(label=label, required=False)
        for key, label in CONDITIONS.items():
            self.fields[f"condition_{key}"] = forms.BooleanField(label=label, required=False)

    def decision_data(self) -> dict:
        data = {
            name: self.cleaned_data[name] for name in ("findings", "meeting", "decision", "reasons", "correction_plan")
        }
        data["distinctions"] = {key: self.cleaned_data[f"distinction_{key}"] for key in DISTINCTIONS}
        data["conditions"] = {key: self.cleaned_data[f"condition_{key}"] for key in CONDITIONS}
        return data
