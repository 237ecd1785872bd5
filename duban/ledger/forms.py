from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.forms import (
    DatePicker,
    MultipleFileField,
    QuickCheckboxInput,
    QuickDateInput,
    QuickHiddenInput,
    QuickSelect,
    QuickTextInput,
    quick_choices,
)
from duban.ledger import mapping
from duban.ledger.choices import ENDED_STATES, ItemState, LedgerKind, Light, NoticeLevel
from duban.ledger.models import ImportedDoneAs, Item, Ledger
from duban.ledger.services import imports as import_services
from duban.orgs.models import Person, Unit
from duban.orgs.pickers import PersonPicker, UnitPicker, UnitsPicker

LEADERS = PersonPicker(scope="leaders")
OPEN = "open"  # the state filter's "any open state"
LINKED_FILTERS = ("kind", "ladder", "finished", "timely", "direct", "portfolio")


SORTS = {
    "number": ("ledger_id", "seq"),
    "deadline": ("effective_deadline", "seq"),
    "-deadline": ("-effective_deadline", "seq"),
    "progress": ("progress", "seq"),
    "-progress": ("-progress", "seq"),
    "unit": ("lead_unit__name", "seq"),
    "state": ("state", "seq"),
}


class ItemFilterForm(forms.Form):
    walk = None  # set by `apply` for a search many items match (core.paginator.CappedPaginator)
    q = forms.CharField(
        label=_("Text"),
        required=False,
        widget=QuickTextInput(attrs={"placeholder": _("Number, title, document number or unit")}),
    )
    ledger = forms.ModelChoiceField(label=_("Ledger"), queryset=Ledger.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, widget=UnitPicker)
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any state")), (OPEN, _("Any open state"))] + ItemState.choices,
        required=False,
        widget=QuickSelect,
    )
    light = forms.ChoiceField(
        label=_("Light"), choices=[("", _("Any light"))] + Light.choices, required=False, widget=QuickSelect
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False, widget=QuickCheckboxInput)
    leader = forms.ModelChoiceField(
        label=_("Leader in charge"), queryset=Person.objects.none(), required=False, widget=LEADERS
    )
    due_from = forms.DateField(label=_("Due from"), required=False, widget=QuickDateInput)
    due_to = forms.DateField(label=_("Due to"), required=False, widget=QuickDateInput)
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False, widget=QuickHiddenInput)
    # Filters a figure elsewhere (the cockpit, a bulletin) links with; shown above the list while set.
    kind = forms.ChoiceField(label=_("Kind of ledger"), choices=LedgerKind.choices, required=False,
                             widget=QuickHiddenInput)  # fmt: skip
    ladder = forms.ChoiceField(label=_("Highest supervision step"), choices=NoticeLevel.choices, required=False,
                               widget=QuickHiddenInput)  # fmt: skip
    finished = forms.DateField(label=_("Finished in the month of"), required=False, widget=QuickHiddenInput,
                               input_formats=["%Y-%m"])  # fmt: skip
    timely = forms.ChoiceField(label=_("Finished"), choices=[("yes", _("on time")), ("no", _("late"))],
                               required=False, widget=QuickHiddenInput)  # fmt: skip
    direct = forms.BooleanField(label=_("The unit's own items only"), required=False, widget=QuickHiddenInput)
    portfolio = forms.ModelChoiceField(label=_("Units in the charge of"), queryset=Person.objects.none(),
                                       required=False, widget=QuickHiddenInput)  # fmt: skip

    def __init__(self, *args, ledgers, units, **kwargs):
        super().__init__(*args, **kwargs)
        quick_choices(self.fields["ledger"], ledgers)
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = Person.objects.leaders()
        self.fields["portfolio"].queryset = Person.objects.leaders()

    def linked_filters(self) -> list[tuple[str, str]]:
        """The hidden filters set, as (label, value) to show above the list."""
        if not self.is_bound or not self.is_valid():
            return []
        data, shown = self.cleaned_data, []
        for name in ("kind", "ladder", "timely"):  # the choices; then the month and the leader
            if data[name]:
                field = self.fields[name]
                shown.append((str(field.label), str(dict(field.choices)[data[name]])))
        if data["finished"]:
            shown.append((str(self.fields["finished"].label), data["finished"].strftime("%Y-%m")))
        if data["direct"]:
            shown.append((str(self.fields["direct"].label), ""))
        if data["portfolio"]:
            shown.append((str(self.fields["portfolio"].label), data["portfolio"].name))
        return shown

    def apply(self, items, today):
        if not self.is_valid():
            return items.none()
        data = self.cleaned_data
        if data["ledger"]:
            items = items.filter(ledger=data["ledger"])
        if data["unit"] and data["direct"]:
            items = items.filter(lead_unit=data["unit"])
        elif data["unit"]:
            items = items.filter(lead_unit__in=Unit.objects.subtree(data["unit"]))
        if data["state"] == OPEN:
            items = items.open()
        elif data["state"]:
            items = items.filter(state=data["state"])
        if data["light"]:
            items = items.filter(light=data["light"])
        if data["overdue"]:
            items = items.overdue(today)
        if data["leader"]:
            items = items.filter(leader=data["leader"])
        if data["due_from"]:
            items = items.filter(effective_deadline__gte=data["due_from"])
        if data["due_to"]:
            items = items.filter(effective_deadline__lte=data["due_to"])
        items = self._apply_linked(items, data)
        order = SORTS.get(data["sort"] or "number", SORTS["number"])
        # Last, so it sees every other filter; when few match, an exact number, then title, first. An
        # item led by a unit the query names matches too.
        named = ("lead_unit_id", list(Unit.objects.named(data["q"]).values_list("pk", flat=True)))
        items, self.walk = items.listed(data["q"], order, exact=() if data["sort"] else ("number", "title"), also=named)
        return items

    @staticmethod
    def _apply_linked(items, data):
        if data["kind"]:
            items = items.filter(ledger__kind=data["kind"])
        if data["ladder"]:
            items = items.at_ladder_step(data["ladder"])
        if data["finished"]:
            first = data["finished"].replace(day=1)
            items = items.finished_between(first, (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1))
        if data["timely"]:
            items = items.timely(data["timely"] == "yes")
        if data["portfolio"]:
            items = items.filter(lead_unit__in=data["portfolio"].units_in_charge())
        return items


class ItemForm(forms.ModelForm):
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"), queryset=Unit.objects.active(), required=False, widget=UnitsPicker
    )

    class Meta:
        model = Item
        fields = [
            "ledger",
            "title",
            "content",
            "basis_kind",
            "basis_document",
            "category",
            "lead_unit",
            "leader",
            "handler",
            "urgency",
            "deadline",
            "deadline_working_days",
            "report_cadence",
            "rectification_type",
            "parent",
            "weight",
        ]
        widgets = {
            "deadline": DatePicker(),
            "content": forms.Textarea(attrs={"rows": 4}),
            "lead_unit": UnitPicker,
            "leader": LEADERS,
            "handler": PersonPicker,
        }

    def __init__(self, *args, ledgers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].queryset = ledgers
        self.fields["lead_unit"].queryset = Unit.objects.active()
        self.fields["leader"].queryset = Person.objects.leaders()
        self.fields["leader"].help_text = _("Leave empty to take the leader in charge of the lead unit.")
        self.fields["handler"].queryset = Person.objects.active()
        self.fields["parent"].queryset = Item.objects.filter(ledger__in=ledgers).exclude(state__in=ENDED_STATES)
        if self.instance.pk:
            self.initial.setdefault("co_units", list(self.instance.co_units.values_list("unit_id", flat=True)))

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and not data.get("deadline_working_days"):
            self.add_error("deadline", _("Give a deadline date or a number of working days from assignment."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason or report"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    files = MultipleFileField(label=_("Evidence files"))


class CoUnitProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Progress %"), min_value=0, max_value=100)
    text = forms.CharField(label=pgettext_lazy("progress text", "Progress"), widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(CoUnitProgressForm):
    files = MultipleFileField(label=_("Attachments"))


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(label=_("Requested deadline"), widget=DatePicker())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CarryOverForm(forms.Form):
    """年末结转: the office confirms, having read the list of what will be carried."""

    year = forms.IntegerField(label=_("Into the ledger of year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("New deadline for carried items"), widget=DatePicker())
    confirm = forms.BooleanField(
        label=_("I have checked the list: carry these items over. This cannot be undone."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)  # the confirmation is a sentence


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class NoticeForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=NoticeLevel.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    required_response = forms.CharField(label=_("Required response"), required=False)
    due_date = forms.DateField(label=_("Respond by"), required=False, widget=DatePicker())


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 2}))


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DatePicker())
    place = forms.CharField(label=_("Place"), max_length=100)
    attendees = forms.CharField(label=_("Attendees"), max_length=300)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}))
    commitments = forms.CharField(
        label=_("Commitments by the unit"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InstructionForm(forms.Form):
    text = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 2}))
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Person.objects.none(), required=False, widget=LEADERS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = Person.objects.leaders()


class LedgerForm(forms.ModelForm):
    """A ledger's settings. The light policy gets plain fields; escalation rules and the scoring
    scheme are edited as JSON (checked against `duban.ledger.policies`)."""

    light_mode = forms.ChoiceField(
        label=_("Light mode"),
        choices=[("deadline", _("Distance to the deadline")), ("pro_rata", _("Progress against elapsed time"))],
    )
    yellow_working_days = forms.IntegerField(
        label=_("Yellow within N working days of the deadline"), min_value=0, max_value=60
    )
    k = forms.FloatField(label=_("Pro-rata factor k"), min_value=0.05, max_value=1)
    period = forms.ChoiceField(label=_("Reporting period"), choices=[("month", _("Month")), ("week", _("Week"))])

    class Meta:
        model = Ledger
        fields = [
            "name", "year", "kind", "owner_unit", "number_prefix", "acknowledge_working_days", "escalation_policy",
            "scoring_scheme", "is_archived",
        ]  # fmt: skip
        widgets = {
            "escalation_policy": forms.Textarea(attrs={"rows": 8, "class": "code"}),
            "scoring_scheme": forms.Textarea(attrs={"rows": 6, "class": "code"}),
            "owner_unit": UnitPicker,
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = owners
        policy = (
            self.instance.light_policy if self.instance.pk else Ledger._meta.get_field("light_policy").get_default()
        )
        self.initial.setdefault("light_mode", policy.get("mode", "deadline"))
        self.initial.setdefault("yellow_working_days", policy.get("yellow_working_days", 5))
        self.initial.setdefault("k", policy.get("k", 0.7))
        self.initial.setdefault("period", policy.get("period", "month"))

    def light_policy(self) -> dict:
        data = self.cleaned_data
        return {"mode": data["light_mode"], "yellow_working_days": data["yellow_working_days"], "k": data["k"],
                "period": data["period"]}  # fmt: skip


IMPORT_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")


class ImportForm(forms.Form):
    ledger = forms.ModelChoiceField(label=_("Ledger"), queryset=Ledger.objects.none())
    file = forms.FileField(
        label=_("Ledger file (.xlsx, .xls, .ods or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )
    assign = forms.BooleanField(label=_("Assign the new items at once"), required=False)
    done_as = forms.ChoiceField(
        label=_("Rows your ledger marks as rectified come in as"),
        choices=ImportedDoneAs.choices,
        initial=ImportedDoneAs.DONE,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("“Awaiting verification” lets a supervisor check them before they count as done."),
    )

    def clean_done_as(self):
        return self.cleaned_data.get("done_as") or ImportedDoneAs.DONE

    def __init__(self, *args, ledgers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger"].queryset = ledgers

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(IMPORT_SUFFIXES):
            raise forms.ValidationError(_("Upload the ledger as .xlsx, .xls, .ods or .csv."))
        if upload.size > import_services.MAX_BYTES:  # refused before it is read into memory
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class ImportMappingForm(forms.Form):
    """Which field each column of the uploaded ledger is read as; any column may be kept as an
    other column instead."""

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(mapping.EXTRA, _("Keep as an other column"))] + [
            (name, mapping.field_label(name)) for name in mapping.fields_for(job.ledger.kind)
        ]
        for index, column in enumerate(job.columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"{column['letter']}（{column['header'] or '—'}）",
                choices=choices,
                required=False,
                initial=column["field"],
            )
        self.columns = list(job.columns)

    def rows(self):
        """(column, its select) for the template."""
        return [(column, self[f"column_{index}"]) for index, column in enumerate(self.columns)]

    def chosen(self) -> dict[int, str]:
        return {index: self.cleaned_data.get(f"column_{index}") or mapping.EXTRA for index in range(len(self.columns))}

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in self.chosen().values() if name != mapping.EXTRA]
        for index, name in self.chosen().items():
            if name != mapping.EXTRA and chosen.count(name) > 1:
                label = mapping.field_label(name)
                self.add_error(f"column_{index}", _("%(field)s is chosen for another column too.") % {"field": label})
        for name in mapping.REQUIRED:
            if name not in chosen:
                self.add_error(
                    None, _("Choose the column that holds %(field)s.") % {"field": mapping.field_label(name)}
                )
        return cleaned


class UnitAliasForm(forms.Form):
    """The unit a name in the uploaded ledger means, remembered for later imports."""

    name = forms.CharField(widget=forms.HiddenInput, max_length=100)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=UnitPicker)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.active()


class BatchDeadlineForm(forms.Form):
    deadline = forms.DateField(
        label=_("Deadline for the drafts of this import without one, or with one already past"), widget=DatePicker()
    )


class WithdrawImportForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
