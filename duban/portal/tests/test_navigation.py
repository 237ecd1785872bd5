"""Each persona's menu lists exactly the pages they can use; visitors and residents find reporting a
problem, the map and their reports in the header of every public page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OFFICIAL = [
    "orgs:unit_tree", "ledger:item_list", "rectification:audit_year",
    "reforms:reform_list", "campaigns:campaign_list", "rules:rule_list", "fleet:home",
    "payments:home", "research:home", "renewal:home", "contracts:home", "bulletins:home",
]  # fmt: skip
MENUS = {
    "office_admin": {*OFFICIAL, "ledger:inbox", "ledger:queue", "cockpit:home"},
    "supervisor": {*OFFICIAL, "ledger:inbox", "ledger:queue", "cockpit:home"},
    "district_leader": {*OFFICIAL, "cockpit:home", "ledger:notifications"},
    "unit_a_head": {*OFFICIAL, "ledger:inbox", "cockpit:home"},
    "unit_a_staff": {*OFFICIAL, "ledger:inbox"},
    "unit_b_staff": {*OFFICIAL, "ledger:inbox"},
    "expert": {
        "reforms:my_panels",
        "research:home",
        "ledger:notifications",
        "portal:problem_new",
        "portal:problems",
        "portal:policies",
    },
    "resident": {"portal:problem_new", "portal:problems", "portal:my_problems", "portal:policies"},
    "anonymous": {"portal:problem_new", "portal:problems", "portal:policies"},
}
PUBLIC_PAGES = [
    "portal:home", "portal:problems", "portal:problem_new", "portal:reforms", "portal:calls", "portal:cases",
    "portal:policies",
]  # fmt: skip


def _menu(html: str) -> set[str]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    return set(re.findall(r'href="([^"]+)"', nav))


def _client_as(client, personas, persona):
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))
    return client


@pytest.mark.parametrize("persona", sorted(MENUS))
def test_each_persona_sees_exactly_the_pages_they_can_use(client, personas, persona):
    client = _client_as(client, personas, persona)

    menu = _menu(client.get(reverse("portal:home")).content.decode())

    assert menu == {reverse(name) for name in MENUS[persona]}
    for url in menu:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["expert", "resident", "anonymous"])
def test_the_officials_pages_left_out_of_a_menu_are_refused(client, personas, persona):
    client = _client_as(client, personas, persona)

    for name in [n for n in [*OFFICIAL, "ledger:inbox", "ledger:queue", "cockpit:home"] if n not in MENUS[persona]]:
        assert client.get(reverse(name)).status_code in (302, 403), name


def test_an_empty_inbox_and_review_queue_are_left_out_for_the_leader(client, personas):
    """A district leader holds no post, so has no unit inbox, and reviews nothing."""
    client.force_login(personas.district_leader)

    html = client.get(reverse("ledger:item_list")).content.decode()

    assert reverse("ledger:inbox") not in _menu(html)
    assert reverse("ledger:queue") not in _menu(html)


def test_staff_of_an_office_that_owns_a_ledger_have_a_review_queue(client, personas):
    from duban.ledger.models import Ledger

    Ledger.objects.create(name="台账", year=2024, kind="reform", owner_unit=personas.unit_b, number_prefix="桂")
    client.force_login(personas.unit_b_staff)

    assert reverse("ledger:queue") in _menu(client.get(reverse("portal:home")).content.decode())


@pytest.mark.parametrize("persona", ["anonymous", "resident"])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_show_report_map_and_my_reports_in_the_header(client, personas, persona, page):
    client = _client_as(client, personas, persona)

    menu = _menu(client.get(reverse(page)).content.decode())

    assert reverse("portal:problem_new") in menu
    assert reverse("portal:problems") in menu
    assert (reverse("portal:my_problems") in menu) is (persona == "resident")


def test_a_signed_in_resident_has_a_menu_with_their_reports_and_sign_out(client, personas):
    client.force_login(personas.resident)

    html = client.get(reverse("portal:problems")).content.decode()

    usernav = re.search(r'<div class="usernav">.*?</div>\s*</header>', html, re.S).group(0)
    assert f'href="{reverse("portal:my_problems")}"' in usernav
    assert f'action="{reverse("logout")}"' in usernav


def test_the_current_page_is_the_most_specific_entry(client, personas):
    client.force_login(personas.unit_a_staff)

    html = client.get(reverse("ledger:inbox")).content.decode()

    current = re.findall(r'<a href="([^"]+)" aria-current="page">', html)
    assert current == [reverse("ledger:inbox")]
