import pytest

from duban.conftest import fresh
from duban.orgs import access
from duban.orgs.choices import Role
from duban.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_roles_follow_flags_positions_and_portfolios(personas):
    p = personas
    assert access.roles_of(p.office_admin) == {Role.OFFICE_ADMIN, Role.UNIT_STAFF}
    assert access.roles_of(p.district_leader) == {Role.DISTRICT_LEADER}
    assert access.roles_of(p.unit_a_head) == {Role.UNIT_HEAD}
    assert access.roles_of(p.unit_a_staff) == {Role.UNIT_STAFF}
    assert access.roles_of(p.supervisor) == {Role.SUPERVISOR, Role.UNIT_STAFF}
    assert access.roles_of(p.expert) == {Role.EXPERT}
    assert access.roles_of(p.resident) == {Role.RESIDENT}
    assert access.roles_of(None) == set()


@pytest.mark.parametrize(
    ("persona", "unit_a", "community", "unit_b"),
    [
        ("office_admin", True, True, True),
        ("unit_a_head", True, True, False),
        ("unit_a_staff", True, True, False),
        ("unit_b_staff", False, False, True),
        ("supervisor", False, False, False),
        ("district_leader", False, False, False),
        ("expert", False, False, False),
        ("resident", False, False, False),
    ],
)
def test_who_may_manage_which_unit(personas, persona, unit_a, community, unit_b):
    user = getattr(personas, persona)
    assert access.can_manage_unit(user, personas.unit_a) is unit_a
    assert access.can_manage_unit(user, personas.unit_a_community) is community
    assert access.can_manage_unit(user, personas.unit_b) is unit_b


def test_anonymous_manages_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert access.can_manage_unit(AnonymousUser(), personas.unit_a) is False
    assert access.is_official(AnonymousUser()) is False


def test_staff_restructure_only_below_their_own_unit(personas):
    assert access.can_restructure_unit(personas.unit_a_staff, personas.unit_a_community) is True
    assert access.can_restructure_unit(personas.unit_a_staff, personas.unit_a) is False
    assert access.can_restructure_unit(personas.office_admin, personas.unit_a) is True


def test_scoped_units_cover_the_district_or_the_own_subtree(personas):
    assert set(access.scoped_units(personas.unit_a_staff)) == {personas.unit_a, personas.unit_a_community}
    assert set(access.scoped_units(personas.supervisor)) == set(Unit.objects.all())
    assert list(access.scoped_units(personas.resident)) == []


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("office_admin", True),
        ("supervisor", True),
        ("unit_a_head", True),
        ("unit_a_staff", True),
        ("unit_b_staff", False),
        ("district_leader", True),
        ("expert", False),
        ("resident", False),
    ],
)
def test_contact_details_are_shown_only_within_scope(personas, viewer, sees):
    subject = personas.unit_a_staff.person
    assert access.can_see_contact(getattr(personas, viewer), subject) is sees


def test_a_person_always_sees_their_own_contact_details(personas):
    assert access.can_see_contact(personas.unit_b_staff, personas.unit_b_staff.person) is True


def test_ending_a_post_removes_the_role(personas):
    from duban.orgs import services

    position = personas.unit_a_staff.person.positions.current().get()
    services.position_end(actor=personas.office_admin, position=position)

    user = fresh(personas.unit_a_staff)
    assert access.roles_of(user) == set()
    assert access.can_manage_unit(user, personas.unit_a) is False
