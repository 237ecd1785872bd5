from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from duban.notifications import channels
from duban.notifications.choices import Channel, EmailMode


class TimePicker(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


NO_MOBILE = _("Your record has no mobile phone number; ask the administrator to add one.")


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(label=_("By email"), choices=EmailMode.choices, widget=forms.RadioSelect)
    digest_at = forms.TimeField(label=_("Send the daily digest email at"), widget=TimePicker())
    sms = forms.BooleanField(label=_("Also by text message (SMS)"), required=False)
    workapp = forms.BooleanField(label=_("Also in the government work app (粤政易)"), required=False)
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=TimePicker(),
        help_text=_("In these hours notices only appear under Messages; the others are sent when they end."),
    )
    quiet_until = forms.TimeField(label=_("Quiet hours until"), required=False, widget=TimePicker())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        usable = channels.available()
        if Channel.EMAIL not in usable:  # the person's choice is kept for when the site sends mail
            del self.fields["email"], self.fields["digest_at"]
        for name in (Channel.SMS, Channel.WORKAPP):
            if name not in usable:
                del self.fields[name]
            elif not channels.channel(name).address(user):
                self.fields[name].disabled = True
                self.fields[name].help_text = NO_MOBILE

    @property
    def mailing(self) -> bool:
        return "email" in self.fields
