from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.notifications import channels
from duban.notifications.choices import Channel, EmailMode


class TimePicker(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(label=_("By email"), choices=EmailMode.choices, widget=forms.RadioSelect)
    digest_at = forms.TimeField(label=_("Send the daily digest at"), widget=TimePicker())
    sms = forms.BooleanField(label=_("Also by text message (SMS)"), required=False)
    workapp = forms.BooleanField(label=_("Also in the government work app (粤政易)"), required=False)
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=TimePicker(),
        help_text=_("Nothing but the inbox in these hours; what comes then is sent when they end."),
    )
    quiet_until = forms.TimeField(label=_("Quiet hours until"), required=False, widget=TimePicker())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if Channel.EMAIL not in channels.available():
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("This site sends no email yet (its administrator sets EMAIL_URL).")
            self.fields["digest_at"].disabled = True
