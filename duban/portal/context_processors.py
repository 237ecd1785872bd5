from __future__ import annotations

from django.apps import apps
from django.urls import reverse

from duban.orgs.access import roles_of
from duban.orgs.choices import Role


def navigation(request) -> dict:
    """The main navigation: every installed context that defines `nav_items()` on its AppConfig."""
    user = request.user
    items = []
    for config in apps.get_app_configs():
        if not hasattr(config, "nav_items"):
            continue
        for url_name, label, visible in config.nav_items():
            if visible(user):
                url = reverse(url_name)
                items.append({"url": url, "label": label, "active": request.path.startswith(url)})
    role_labels = [Role(role).label for role in Role.values if role in roles_of(user)]
    return {"nav_items": items, "user_roles": role_labels}
