"""Where each person starts after signing in: their work, not the public home page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse

from duban.orgs.access import roles_of
from duban.orgs.choices import Role

# The first role a person holds decides: an office admin posted in the reform office works from
# the ledger, a supervisor posted in the discipline commission from the review queue. A district
# leader's ledger list is their portfolio: the items of the units they are in charge of.
STARTS = [
    (Role.OFFICE_ADMIN, "ledger:item_list"),
    (Role.SUPERVISOR, "ledger:queue"),
    (Role.DISTRICT_LEADER, "ledger:item_list"),
    (Role.UNIT_HEAD, "ledger:inbox"),
    (Role.UNIT_STAFF, "ledger:inbox"),
    (Role.EXPERT, "reforms:my_panels"),
    (Role.RESIDENT, "portal:my_problems"),
]


def work_url(user) -> str:
    roles = roles_of(user)
    for role, url_name in STARTS:
        if role in roles:
            return reverse(url_name)
    return reverse("portal:home")


@login_required
def landing(request):
    """`LOGIN_REDIRECT_URL`: sign-in without an explicit ?next= ends here."""
    return redirect(work_url(request.user))
