from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def site(request: HttpRequest) -> dict:
    """Names every page uses; the navigation is built in the base template from these."""
    return {"site_name": _("Luohu District Duban")}
