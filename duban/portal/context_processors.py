from __future__ import annotations

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from duban.orgs.access import roles_of
from duban.orgs.choices import Role

# The seeds' mechanisms, one menu entry each: folded under one heading so that an official's menu
# stays one line on a desktop (the daily entries — 我的工作, 台账, 驾驶舱 — stay in front).
MECHANISMS = {"orgs", "rectification", "reforms", "campaigns", "rules", "fleet", "payments", "research", "renewal",
              "contracts"}  # fmt: skip


def navigation(request) -> dict:
    """The main navigation: the entries every installed context declares in `nav_items()` on its
    AppConfig, each shown only to those who can use its page; the portal's public entries
    (reporting a problem, the map, one's reports) come last. `work_items` are the rest, for the
    home page; `user_menu` holds a resident's own pages, beside signing out."""
    user = getattr(request, "user", None)
    items = []
    for config in apps.get_app_configs():
        if not hasattr(config, "nav_items"):
            continue
        for url_name, label, visible in config.nav_items():
            if visible(user):
                url = reverse(url_name)
                items.append({"url": url, "label": label, "public": config.label == "portal", "active": False,
                              "grouped": config.label in MECHANISMS})  # fmt: skip
    # The most specific entry is the current one: 我的工作 (/ledger/inbox/) rather than 台账 (/ledger/).
    current = max((i for i in items if request.path.startswith(i["url"])), key=lambda i: len(i["url"]), default=None)
    if current is not None:
        current["active"] = True
    roles = roles_of(user)
    user_menu = []
    if Role.RESIDENT in roles:
        url = reverse("portal:my_problems")
        user_menu.append({"url": url, "label": _("My reports"), "active": request.path.startswith(url)})
    grouped = [item for item in items if item["grouped"]]
    if len(grouped) < 3:  # a person with one or two mechanisms sees them in front
        for item in grouped:
            item["grouped"] = False
        grouped = []
    return {
        "nav_items": items,
        "nav_front": [item for item in items if not item["grouped"]],
        "nav_grouped": grouped,
        "nav_group_active": any(item["active"] for item in grouped),
        "work_items": [item for item in items if not item["public"]],
        "user_menu": user_menu,
        "user_roles": [Role(role).label for role in Role.values if role in roles],
    }
