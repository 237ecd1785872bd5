from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.forms import DatePicker
from duban.orgs.choices import UnitKind
from duban.orgs.models import LeaderPortfolio, Person, Unit, User
from duban.research.choices import (
    REVIEW_STAGES,
    AdoptionKind,
    ProjectState,
    Selection,
    Stage,
    TopicKind,
    TopicSource,
    Visibility,
)
from duban.research.models import ResearchSettings, Topic, TopicCall, adopted_in

DOCUMENTS = ".pdf,.docx"


def _records(app_label: str, model: str, limit: int = 500) -> list[tuple[str, str]]:
    """The newest records of another context's model, named as they read, read through their content
    type so this context imports none of them."""
    from django.contrib.contenttypes.models import ContentType

    found = ContentType.objects.filter(app_label=app_label, model=model).first()
    if found is None:
        return []
    return [(str(r.pk), str(r)[:120]) for r in found.model_class()._default_manager.order_by("-pk")[:limit]]


def _record(app_label: str, model: str, pk):
    """One record of another context's model by its id (None when there is no such record)."""
    from django.contrib.contenttypes.models import ContentType

    found = ContentType.objects.filter(app_label=app_label, model=model).first()
    return found.model_class()._default_manager.filter(pk=pk).first() if found and pk else None


class CallForm(forms.ModelForm):
    class Meta:
        model = TopicCall
        fields = ["year", "title", "closes_on", "guide_intro"]
        widgets = {"closes_on": DatePicker(), "guide_intro": forms.Textarea(attrs={"rows": 3})}


class TopicForm(forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("Proposing unit"), queryset=Unit.objects.none())
    source = forms.ChoiceField(label=_("Source"), choices=TopicSource.choices, initial=TopicSource.UNIT)
    reform = forms.ChoiceField(label=_("Reform of the portfolio"), required=False)
    proposal = forms.ChoiceField(label=_("Resident's proposal"), required=False)

    class Meta:
        model = Topic
        fields = ["unit", "title", "why", "questions", "expected_use", "budget"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in ("why", "questions", "expected_use")}
        help_texts = {"budget": _("In yuan, in full: 120000, not 12.")}

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        self.fields["reform"].choices = [("", "—"), *_records("reforms", "reform")]
        self.fields["proposal"].choices = [("", "—"), *_records("reforms", "proposal")]

    def clean(self):
        data = super().clean()
        source = data.get("source")
        field = {TopicSource.REFORM: "reform", TopicSource.RESIDENT: "proposal"}.get(source)
        if field and not data.get(field):
            self.add_error(field, _("Choose the record the topic comes from."))
        return data

    def service_fields(self) -> dict:
        """What `topic_propose` takes: the topic's fields, its source and the source's record."""
        data = dict(self.cleaned_data)
        reform, proposal = data.pop("reform", ""), data.pop("proposal", "")
        source = data.get("source")
        if source == TopicSource.REFORM:
            data["source_record"] = _record("reforms", "reform", reform)
        elif source == TopicSource.RESIDENT:
            data["source_record"] = _record("reforms", "proposal", proposal)
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    """立项审定: for each proposed topic, approve (with kind and cap), decline (with a reason) or leave it."""

    held_on = forms.DateField(label=_("Meeting date"), widget=DatePicker())
    present = forms.ModelMultipleChoiceField(label=_("Members present"), queryset=Person.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)  # fmt: skip
    minutes = forms.CharField(
        label=pgettext_lazy("meeting", "Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.fields["present"].queryset = ResearchSettings.current().group.all() if ResearchSettings.current().pk else (
            Person.objects.none())  # fmt: skip
        self.topics = list(topics)
        for topic in self.topics:
            self.fields[f"decide_{topic.pk}"] = forms.ChoiceField(
                label=topic.title, required=False, widget=forms.RadioSelect,
                choices=[("", _("Not now")), ("approve", _("Approve")), ("decline", _("Do not approve"))],
            )  # fmt: skip
            kinds = [("", "—"), *TopicKind.choices]
            self.fields[f"kind_{topic.pk}"] = forms.ChoiceField(label=_("Kind"), choices=kinds, required=False)
            self.fields[f"cap_{topic.pk}"] = forms.DecimalField(
                label=_("Budget cap (yuan)"), required=False, max_digits=12, decimal_places=2, initial=topic.budget
            )
            self.fields[f"reason_{topic.pk}"] = forms.CharField(label=_("Why not"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        for topic in self.topics:
            choice = data.get(f"decide_{topic.pk}")
            if choice == "approve" and (not data.get(f"kind_{topic.pk}") or not data.get(f"cap_{topic.pk}")):
                self.add_error(f"cap_{topic.pk}", _("An approved topic needs its kind and budget cap."))
            if choice == "decline" and not (data.get(f"reason_{topic.pk}") or "").strip():
                self.add_error(f"reason_{topic.pk}", _("Say why the topic is not approved."))
        return data

    def decisions(self) -> tuple[dict, dict]:
        approved, declined = {}, {}
        for topic in self.topics:
            choice = self.cleaned_data.get(f"decide_{topic.pk}")
            if choice == "approve":
                approved[topic] = (self.cleaned_data[f"kind_{topic.pk}"], self.cleaned_data[f"cap_{topic.pk}"])
            elif choice == "decline":
                declined[topic] = self.cleaned_data[f"reason_{topic.pk}"]
        return approved, declined


class SetupForm(forms.Form):
    selection = forms.ChoiceField(label=_("How it is awarded"), choices=Selection.choices)
    bids_until = forms.DateField(label=_("Bids until"), required=False, widget=DatePicker())
    invited = forms.ModelMultipleChoiceField(label=_("Bodies invited or commissioned"), required=False,
                                             queryset=Unit.objects.filter(kind=UnitKind.EXTERNAL).order_by("name"),
                                             widget=forms.CheckboxSelectMultiple)  # fmt: skip


class BidForm(forms.Form):
    applicant = forms.ModelChoiceField(label=_("Applicant"), queryset=Unit.objects.none())
    price = forms.DecimalField(label=_("Price asked (yuan)"), max_digits=12, decimal_places=2, min_value=1)
    lead_researcher = forms.CharField(label=_("Lead researcher"), max_length=60)
    summary = forms.CharField(label=_("Approach"), widget=forms.Textarea(attrs={"rows": 4}))
    upload = forms.FileField(label=_("Proposal document (.docx or PDF)"),
                             widget=forms.ClearableFileInput(attrs={"accept": DOCUMENTS}))  # fmt: skip

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = Unit.objects.filter(pk__in=[b.pk for b in bodies])
        if len(bodies) == 1:
            self.fields["applicant"].initial = bodies[0].pk


class PanelForm(forms.Form):
    experts = forms.ModelMultipleChoiceField(
        label=_("Experts from the pool"), widget=forms.CheckboxSelectMultiple,
        queryset=User.objects.filter(is_expert=True, is_active=True).order_by("display_name", "username"),
    )  # fmt: skip


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria=(), max_score=100, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[criterion["code"]] = forms.DecimalField(
                label=f"{criterion['name']}（{criterion['weight']}%）", min_value=0, max_value=max_score,
                decimal_places=2, initial=(initial_scores or {}).get(criterion["code"]),
            )  # fmt: skip


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=40)
    amount = forms.DecimalField(label=_("Contract amount (yuan)"), max_digits=12, decimal_places=2, min_value=1)
    signed_on = forms.DateField(label=_("Signed on"), widget=DatePicker())
    deliverables = forms.CharField(label=_("Deliverables"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()
        for stage in REVIEW_STAGES:
            label = Stage(stage).label
            self.fields[f"due_{stage}"] = forms.DateField(label=_("%(stage)s: due on") % {"stage": label},
                                                          widget=DatePicker())  # fmt: skip
            self.fields[f"pay_{stage}"] = forms.DecimalField(
                label=_("%(stage)s: instalment (yuan)") % {"stage": label}, max_digits=12, decimal_places=2,
                min_value=0, required=False,
            )  # fmt: skip


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Payment date"), widget=DatePicker())
    voucher = forms.CharField(label=_("Voucher number"), max_length=40)


class ResultForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    abstract = forms.CharField(label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(label=_("Shared"), choices=Visibility.choices)
    upload = forms.FileField(
        label=_("Report (.docx or PDF)"), widget=forms.ClearableFileInput(attrs={"accept": DOCUMENTS})
    )


class InstructionForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Person.objects.none())
    given_on = forms.DateField(label=_("Given on"), widget=DatePicker())
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        leaders = LeaderPortfolio.objects.current().values("leader")
        self.fields["leader"].queryset = Person.objects.filter(pk__in=leaders).order_by("name")


class AdoptionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Adopted"), choices=AdoptionKind.choices)
    reform = forms.ChoiceField(label=_("Reform"), required=False)
    rule = forms.ChoiceField(label=_("Rule"), required=False)
    title = forms.CharField(label=_("Decision's title"), required=False, max_length=250)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DatePicker())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reform"].choices = [("", "—"), *_records("reforms", "reform")]
        self.fields["rule"].choices = [("", "—"), *_records("rules", "rule")]
        self.fields["adopted_on"].initial = timezone.localdate()

    def target(self):
        kind = self.cleaned_data["kind"]
        pk = self.cleaned_data.get(kind) if kind in (AdoptionKind.REFORM, AdoptionKind.RULE) else None
        return _record("reforms" if kind == AdoptionKind.REFORM else "rules", kind, pk)


# What the cockpit's figure and the library's linked filter call the results adopted in a year.
ADOPTED_LABEL = _("Results adopted in %(year)s")


class _LinkedFilters(forms.Form):
    """Filters a figure elsewhere (the cockpit) links a list with, by the commissioning unit: a unit
    and the units below it, or the units in a leader's charge. Named above the list while set."""

    LINKED = ("unit", "portfolio")
    UNIT_FIELD = "topic__unit"  # where the list's records name their commissioning unit

    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False, widget=forms.HiddenInput)
    portfolio = forms.ModelChoiceField(queryset=Person.objects.leaders(), required=False, widget=forms.HiddenInput)

    def apply(self, found):
        if not self.is_bound:
            return found
        if not self.is_valid():
            return found.none()
        data = self.cleaned_data
        if data["unit"]:
            found = found.filter(**{f"{self.UNIT_FIELD}__in": Unit.objects.subtree(data["unit"])})
        if data["portfolio"]:
            found = found.filter(**{f"{self.UNIT_FIELD}__in": data["portfolio"].units_in_charge()})
        return found

    def linked_names(self) -> list[str]:
        """The linked filters set (kept when the visible filters change; removed on request)."""
        return [name for name in self.LINKED if self.data.get(name)]

    def shown(self) -> list[tuple[str, str]]:
        """The linked filters set, as (label, value) to show above the list."""
        if not self.is_bound or not self.is_valid():
            return []
        shown = []
        if self.cleaned_data["unit"]:
            shown.append((str(_("Commissioning unit, with the units below it")), self.cleaned_data["unit"].name))
        if self.cleaned_data["portfolio"]:
            shown.append((str(_("Units in the charge of")), self.cleaned_data["portfolio"].name))
        return shown


class ProjectFilterForm(_LinkedFilters):
    """The project list: the year of the topic call and the state, and the linked filters."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("Any state")), *ProjectState.choices],
                              required=False)  # fmt: skip

    field_order = ["year", "state"]

    def apply(self, projects):
        projects = super().apply(projects)
        if self.is_bound and self.is_valid():
            if self.cleaned_data["year"]:
                projects = projects.filter(topic__call__year=self.cleaned_data["year"])
            if self.cleaned_data["state"]:
                projects = projects.filter(state=self.cleaned_data["state"])
        return projects


class ResultLinksForm(_LinkedFilters):
    """The results library's linked filters: results adopted in a year, and the commissioning unit."""

    LINKED = ("adopted", "unit", "portfolio")
    UNIT_FIELD = "project__topic__unit"

    adopted = forms.IntegerField(min_value=2000, max_value=2100, required=False, widget=forms.HiddenInput)

    def apply(self, results):
        results = super().apply(results)
        if self.is_bound and self.is_valid() and self.cleaned_data["adopted"]:
            results = results.filter(adopted_in(self.cleaned_data["adopted"]))
        return results

    def shown(self) -> list[tuple[str, str]]:
        shown = super().shown()
        if self.is_bound and self.is_valid() and self.cleaned_data["adopted"]:
            shown.insert(0, (ADOPTED_LABEL % {"year": self.cleaned_data["adopted"]}, ""))
        return shown
