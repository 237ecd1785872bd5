from __future__ import annotations

import datetime as dt
import html

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

REQUIRED_MARK = '<span class="required-mark" aria-hidden="true">*</span>'


class MarkedBoundField(BoundField):
    """A required field says so: an asterisk after its label and aria-required on its control."""

    @property
    def marked_required(self) -> bool:
        return self.field.required and not self.field.disabled and not self.is_hidden

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.marked_required:
            attrs["aria-required"] = "true"
        return attrs

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if not self.marked_required:
            return super().label_tag(contents, attrs, label_suffix, tag)
        contents = contents or self.label
        if label_suffix is None:
            label_suffix = self.field.label_suffix if self.field.label_suffix is not None else self.form.label_suffix
        # Django's rule: no suffix after a label ending in punctuation; the mark goes before the suffix.
        if not label_suffix or not contents or contents[-1] in gettext(":?.!"):
            label_suffix = ""
        contents = format_html("{}{}{}", contents, mark_safe(REQUIRED_MARK), label_suffix)  # noqa: S308 - constant
        return super().label_tag(contents, attrs, label_suffix="", tag=tag)


class FormRenderer(DjangoTemplates):
    """Every form of the project marks its required fields (`FORM_RENDERER`)."""

    bound_field_class = MarkedBoundField


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to a field when it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DatePicker(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601 (2024-06-30), whatever the
    language: the zh-Hans input format 2024/06/30 would show an empty picker."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimePicker(forms.DateTimeInput):
    """The browser's date-and-time picker, in ISO 8601 (2024-06-30T09:00) whatever the language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class QuickSelect(forms.Select):
    """A <select> built in Python rather than from one template per option: a filter bar with a few
    hundred units and people renders in a millisecond instead of tens. `pairs`, when given, are the
    (value, label) options as they are: Django would normalise a long list of choices on every request."""

    def __init__(self, attrs=None, choices=(), pairs=None):
        super().__init__(attrs, choices)
        self.pairs = pairs

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v is not None}
        # The standard library's escape: Django's checks every argument for lazy text, hundreds of times here.
        quote = html.escape
        options = "".join(
            f'<option value="{quote(str(key))}"{" selected" if str(key) in chosen else ""}>{quote(str(label))}</option>'
            for key, label in (self.choices if self.pairs is None else self.pairs)
        )
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{options}</select>')  # noqa: S308 - escaped above


class QuickInput:
    """An <input> built in Python, for the same reason (a mixin before the Django widget class)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        attrs = dict(widget["attrs"])
        if widget["value"] is not None:
            attrs["value"] = widget["value"]
        return format_html('<input type="{}" name="{}"{}>', widget["type"], name, flatatt(attrs))


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickDateInput(QuickInput, DatePicker):
    pass


class QuickCheckboxInput(QuickInput, forms.CheckboxInput):
    pass


class QuickHiddenInput(QuickInput, forms.HiddenInput):
    pass


def quick_choices(field: forms.ModelChoiceField, queryset, label: str = "name") -> None:
    """Validate against `queryset` but render the options from (pk, label) pairs, not model rows."""
    field.queryset = queryset
    pairs = [("", field.empty_label), *queryset.values_list("pk", label)]
    field.widget = QuickSelect(attrs=field.widget.attrs, pairs=pairs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AmountField(forms.CharField):
    """Yuan as typed (12500.00 or 12,500.00): a positive sum with at most two decimals; empty when
    not required."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value):
        from duban.core.money import clean_amount

        value = super().clean(value)
        if value in ("", None):
            return None
        try:
            return clean_amount(value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["amount"]) from None


def filter_summary(form, skip: tuple[str, ...] = ("sort",)) -> str:
    """The filters a bound filter form has set, as “label：value；…” (an export names its list so)."""
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if name in skip or value in (None, "", False, [], ()):
            continue
        field = form.fields[name]
        if value is True:
            shown = ""
        elif hasattr(value, "pk") or not getattr(field, "choices", None):
            shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        else:
            shown = str(dict(field.choices).get(value, value))
        parts.append(f"{field.label}：{shown}" if shown else str(field.label))
    return "；".join(parts)
