import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from duban.demo.luohu import STREETS
from duban.demo.seed import DEMO_PASSWORD, PERSONAS
from duban.orgs import access
from duban.orgs.choices import Role, UnitKind
from duban.orgs.models import LeaderPortfolio, Person, Position, Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(rf):
    call_command("demo", stdout=open("/dev/null", "w"))


def test_the_demo_district_has_ten_real_streets_and_their_communities(seeded):
    district = Unit.objects.get(kind=UnitKind.DISTRICT)
    streets = Unit.objects.filter(parent=district, kind=UnitKind.STREET)

    assert district.name == "罗湖区"
    assert sorted(streets.values_list("code", flat=True)) == [f"440303{n:03d}" for n in range(1, 11)]
    expected_communities = sum(len(verified) + len(filler) for _, _, verified, filler in STREETS)
    assert Unit.objects.filter(kind=UnitKind.COMMUNITY).count() == expected_communities
    assert Unit.objects.get(code="440303005015").name == "罗湖社区"
    assert Unit.objects.get(name="罗湖村").parent.name == "罗湖社区"


def test_every_street_and_department_has_a_head_and_every_street_a_leader_in_charge(seeded):
    for unit in Unit.objects.filter(kind__in=[UnitKind.STREET, UnitKind.DEPARTMENT, UnitKind.COMMUNITY]):
        assert Position.objects.current().filter(unit=unit, role="head").count() == 1, unit
    for street in Unit.objects.filter(kind=UnitKind.STREET):
        assert LeaderPortfolio.objects.covering(street).exists(), street


def test_one_login_per_persona_with_the_printed_password(seeded, rf):
    expected_roles = {
        "office_admin": Role.OFFICE_ADMIN,
        "leader": Role.DISTRICT_LEADER,
        "head_dongmen": Role.UNIT_HEAD,
        "staff_dongmen": Role.UNIT_STAFF,
        "staff_guiyuan": Role.UNIT_STAFF,
        "supervisor": Role.SUPERVISOR,
        "expert": Role.EXPERT,
    }
    for username, role in expected_roles.items():
        user = authenticate(rf.post("/accounts/login/"), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert role in access.roles_of(user), username
    resident = User.objects.get(phone=PERSONAS[-1][0])
    assert access.roles_of(resident) == {Role.RESIDENT}
    assert Person.objects.get(user__username="staff_dongmen").positions.get().unit.name == "东门街道"


def test_running_the_demo_again_keeps_the_data(seeded):
    counts = (Unit.objects.count(), Person.objects.count(), User.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))
    assert (Unit.objects.count(), Person.objects.count(), User.objects.count()) == counts
