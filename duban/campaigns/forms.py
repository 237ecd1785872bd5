"""Forms of the campaign pages: reporting a problem, the campaign's set-up, Open311 clients."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from duban.campaigns.choices import CoordinateSystem
from duban.campaigns.models import Campaign, Category, Chief, RoutingRule, StrictZone
from duban.campaigns.services.photos import MAX_PHOTOS
from duban.campaigns.services.setup import AREA_KINDS
from duban.campaigns.services.submitting import report_submit
from duban.core.forms import DatePicker
from duban.orgs.models import Person, Unit
from duban.orgs.pickers import PersonPicker, UnitPicker


class PhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos from one input; the service checks each (real image, size, count)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", PhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [file for file in files if file]


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.campaign.name} · {obj.name}"


class ReportForm(forms.Form):
    """A problem report from the portal or an inspector's phone. The map fills lat/lng."""

    category = CategoryChoiceField(label=_("What is the problem?"), queryset=Category.objects.none(), required=False)
    description = forms.CharField(
        label=_("Describe it"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 4000}),
        required=False,
        help_text=_("What, where exactly, since when. Plain text; at most 4,000 characters."),
    )
    address = forms.CharField(
        label=_("Address or landmark"),
        max_length=200,
        required=False,
        help_text=_("Click the map to place the problem, or name a street, community or landmark."),
    )
    lat = forms.CharField(widget=forms.HiddenInput, required=False)
    lng = forms.CharField(widget=forms.HiddenInput, required=False)
    coordinate_system = forms.ChoiceField(
        choices=CoordinateSystem.choices, initial=CoordinateSystem.WGS84, widget=forms.HiddenInput
    )
    photos = PhotosField(
        label=_("Photos"), help_text=_("Up to %(n)s photos; location data is removed.") % {"n": MAX_PHOTOS}
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=60, required=False)
    contact_phone = forms.CharField(
        label=_("Phone for a call back (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only the campaign office and the responsible unit see it."),
    )

    def __init__(self, *args, with_contact: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.taking_reports().order_by(
            "campaign__starts_on", "sort_order", "id"
        )
        # The map's clicks give coordinates in the system its tiles are drawn in.
        self.fields["coordinate_system"].initial = settings.DUBAN_MAP_COORDINATES
        if not with_contact:
            del self.fields["contact_name"], self.fields["contact_phone"]

    def submit(self, *, actor, source: str, contact_phone: str = "", accept: bool = False):
        """Submit the cleaned report through the service (raises its ValidationError)."""
        data = self.cleaned_data
        category = data["category"]
        return report_submit(
            actor=actor,
            campaign=category.campaign if category else None,
            category=category,
            description=data["description"],
            source=source,
            lat=data["lat"] or None,
            lng=data["lng"] or None,
            address=data["address"],
            coordinate_system=data["coordinate_system"],
            photos=data["photos"],
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", "") or contact_phone,
            accept=accept,
        )


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "code", "description", "starts_on", "ends_on", "duplicate_radius_m", "reopen_days"]
        widgets = {"starts_on": DatePicker, "ends_on": DatePicker, "description": forms.Textarea(attrs={"rows": 3})}


class CampaignNewForm(CampaignForm):
    """A new campaign and the office that runs it (its ledger's owner)."""

    owner_unit = forms.ModelChoiceField(
        label=_("Run by"),
        queryset=Unit.objects.none(),
        widget=UnitPicker,
        error_messages={"required": _("Choose the office that runs the campaign.")},
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = owners


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "name",
            "service_code",
            "description",
            "keywords",
            "deadline_working_days",
            "duplicate_radius_m",
            "is_active",
            "sort_order",
        ]


class ZoneForm(forms.ModelForm):
    class Meta:
        model = StrictZone
        fields = ["name", "center_lat", "center_lng", "radius_m", "deadline_working_days"]


def _areas():
    return Unit.objects.active().filter(kind__in=AREA_KINDS).order_by("path")


class ChiefForm(forms.ModelForm):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Unit.objects.none(), widget=UnitPicker)

    class Meta:
        model = Chief
        fields = ["kind", "person", "area", "road"]
        widgets = {"person": PersonPicker}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()
        self.fields["person"].queryset = Person.objects.active()


class RuleForm(forms.ModelForm):
    area = forms.ModelChoiceField(label=_("Area"), queryset=Unit.objects.none(), widget=UnitPicker)

    class Meta:
        model = RoutingRule
        fields = ["category", "area", "unit", "chief", "restart_deadline"]
        widgets = {"unit": UnitPicker}

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = _areas()
        self.fields["unit"].queryset = Unit.objects.active().order_by("path")
        self.fields["category"].queryset = campaign.categories.all()
        self.fields["chief"].queryset = campaign.chiefs.select_related("person", "area")


class AreaShapeForm(forms.Form):
    center_lat = forms.FloatField(label=_("Centre latitude"), min_value=-90, max_value=90)
    center_lng = forms.FloatField(label=_("Centre longitude"), min_value=-180, max_value=180)
    outline = forms.JSONField(
        label=_("Outline"),
        required=False,
        help_text=_("Optional: [[lat, lng], …] in WGS-84, at least three points."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_outline(self):
        outline = self.cleaned_data.get("outline") or []
        if not isinstance(outline, list) or not all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(v, (int, float)) for v in p) for p in outline
        ):
            raise forms.ValidationError(_("Give the outline as [[lat, lng], …]."))
        return outline


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Application name"), max_length=100)
    requests_per_minute = forms.IntegerField(label=_("Requests per minute (0: no limit)"), min_value=0, initial=600)
