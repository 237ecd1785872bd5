from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.forms import DatePicker, DateTimePicker, MultipleFileField
from duban.fleet.models import Booking, Driver, Quota, Tariff, Vehicle
from duban.orgs.models import Unit
from duban.orgs.pickers import PersonPicker, UnitPicker


class BookingForm(forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    official_use = forms.BooleanField(label=_("This trip is official business, not private use"), required=False)

    class Meta:
        model = Booking
        fields = ["unit", "starts_at", "ends_at", "origin", "destination", "purpose", "passengers", "vehicle_type",
                  "contact_name", "contact_phone", "emergency"]  # fmt: skip
        widgets = {"starts_at": DateTimePicker(), "ends_at": DateTimePicker()}
        help_texts = {"emergency": _("Only when the trip cannot wait: it then skips the two-hour lead time.")}

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        if len(units) == 1:
            self.fields["unit"].initial = units[0].pk
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DispatchForm(forms.Form):
    vehicle = forms.ModelChoiceField(label=_("Car"), queryset=Vehicle.objects.none())
    driver = forms.ModelChoiceField(label=_("Driver"), queryset=Driver.objects.none())
    reason = forms.CharField(label=_("Why the change"), max_length=500, required=False)

    def __init__(self, *args, vehicles, drivers, needs_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = vehicles
        self.fields["vehicle"].label_from_instance = _car_label
        self.fields["driver"].queryset = drivers
        self.fields["driver"].label_from_instance = lambda d: f"{d.person.name} · {d.licence_class}"
        if needs_reason:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


def _car_label(vehicle: Vehicle) -> str:
    seats = _("%(n)s seats") % {"n": vehicle.seats}
    return f"{vehicle.plate} · {vehicle.get_vehicle_type_display()} · {seats}"


class DepartForm(forms.Form):
    odometer_out = forms.IntegerField(label=_("Odometer at departure (km)"), min_value=0)


class ReturnForm(forms.Form):
    odometer_in = forms.IntegerField(label=_("Odometer on return (km)"), min_value=0)
    tolls = forms.DecimalField(label=_("Tolls (yuan)"), min_value=0, max_digits=8, decimal_places=2, initial=0)
    parking = forms.DecimalField(label=_("Parking (yuan)"), min_value=0, max_digits=8, decimal_places=2, initial=0)
    receipts = MultipleFileField(
        label=_("Receipts"), help_text=_("Photos (JPEG, PNG) or PDFs of the toll and parking receipts.")
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, "★" * n) for n in range(5, 0, -1)], widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), max_length=300, required=False)


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = ["plate", "pool", "vehicle_type", "model_name", "seats", "holder", "lessor", "odometer_km",
                  "insurance_until", "inspection_due"]  # fmt: skip
        widgets = {"insurance_until": DatePicker(), "inspection_due": DatePicker(), "holder": UnitPicker}


class DriverForm(forms.ModelForm):
    class Meta:
        model = Driver
        fields = ["person", "licence_class", "licence_valid_until", "is_available"]
        widgets = {"licence_valid_until": DatePicker(), "person": PersonPicker}


class QuotaForm(forms.ModelForm):
    class Meta:
        model = Quota
        fields = ["unit", "trips_per_month", "alert_percent"]
        widgets = {"unit": UnitPicker}


class TariffForm(forms.ModelForm):
    class Meta:
        model = Tariff
        fields = ["vehicle_type", "per_km", "per_hour"]


class SettlementForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), widget=UnitPicker)
    month = forms.DateField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            input_formats=["%Y-%m"])  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        self.fields["month"].initial = last.replace(day=1)
