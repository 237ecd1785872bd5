from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.bulletins.choices import Cadence
from duban.bulletins.models import Bulletin
from duban.core.forms import DatePicker
from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit
from duban.orgs.pickers import UnitPicker


class DraftForm(forms.Form):
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices, widget=forms.RadioSelect,
                                initial=Cadence.WEEKLY)  # fmt: skip
    day = forms.DateField(
        label=_("A day of the week or month"), widget=DatePicker,
        help_text=_("The bulletin covers the week (Monday to Sunday) or the month of this day."),
    )  # fmt: skip
    scope_unit = forms.ModelChoiceField(
        label=pgettext_lazy("bulletin", "Scope"),
        queryset=Unit.objects.active().exclude(kind=UnitKind.EXTERNAL),
        required=False,
        widget=UnitPicker,
        help_text=_("Empty: the whole district."),
    )


class TextForm(forms.ModelForm):
    class Meta:
        model = Bulletin
        fields = ["title", "opening", "closing"]
        widgets = {"opening": forms.Textarea(attrs={"rows": 4}), "closing": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"opening": _("Each line a paragraph, before the figures."),
                      "closing": _("Each line a paragraph, after the table: the office's requirements.")}  # fmt: skip
