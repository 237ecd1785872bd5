from __future__ import annotations

from django.shortcuts import render

from duban.orgs.choices import UnitKind
from duban.orgs.models import Unit


def home(request):
    """The district's public home page; its figures are counted from the unit tree."""
    district = Unit.objects.active().filter(kind=UnitKind.DISTRICT).first()
    counts = {}
    if district is not None:
        below = Unit.objects.active().subtree(district)
        counts = {
            "streets": below.filter(kind=UnitKind.STREET).count(),
            "communities": below.filter(kind=UnitKind.COMMUNITY).count(),
            "departments": below.filter(kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMISSION]).count(),
        }
    return render(request, "portal/home.html", {"district": district, "counts": counts})
