import pytest
from django.core.exceptions import ValidationError

from duban.core.errors import TransitionError
from duban.core.history import history_entries
from duban.orgs import services
from duban.orgs.choices import LeaderRank, PositionRole, RecordState, UnitKind
from duban.orgs.models import Domain, Position, Unit

pytestmark = pytest.mark.django_db


def test_a_unit_knows_its_subtree_and_ancestors(personas):
    grid = services.unit_create(
        actor=personas.office_admin,
        parent=personas.unit_a_community,
        name="城东社区第一网格",
        kind=UnitKind.GRID,
    )

    assert grid.depth == 3
    assert set(Unit.objects.subtree(personas.unit_a)) == {personas.unit_a, personas.unit_a_community, grid}
    assert list(Unit.objects.ancestors_of(grid)) == [
        personas.district,
        personas.unit_a,
        personas.unit_a_community,
        grid,
    ]


def test_a_unit_of_the_wrong_kind_is_refused_and_nothing_is_saved(personas):
    before = Unit.objects.count()
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=personas.office_admin, parent=personas.district, name="某社区", kind=UnitKind.COMMUNITY
        )

    assert "kind" in error.value.error_dict
    assert Unit.objects.count() == before


def test_moving_a_unit_moves_everything_below_it(personas):
    grid = services.unit_create(
        actor=None, parent=personas.unit_a_community, name="城东社区第一网格", kind=UnitKind.GRID
    )

    services.unit_move(actor=personas.office_admin, unit=personas.unit_a_community, new_parent=personas.unit_b)

    grid.refresh_from_db()
    assert grid.path.startswith(personas.unit_b.path)
    assert grid.depth == 3
    assert set(Unit.objects.subtree(personas.unit_a)) == {personas.unit_a}


def test_a_unit_cannot_move_below_itself(personas):
    with pytest.raises(ValidationError):
        services.unit_move(actor=personas.office_admin, unit=personas.unit_a, new_parent=personas.unit_a_community)
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.parent_id == personas.district.pk


def test_retiring_a_unit_with_active_units_below_is_refused(personas):
    with pytest.raises(ValidationError, match="仍有在用的下级单位"):
        services.unit_retire(actor=personas.office_admin, unit=personas.unit_a, reason="区划调整")
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.state == RecordState.ACTIVE
    assert Position.objects.current().filter(unit=personas.unit_a).count() == 2


def test_retiring_ends_current_posts_and_keeps_the_unit_readable(personas):
    community = personas.unit_a_community
    head = services.person_create(actor=None, name="社区书记")
    services.position_assign(actor=None, person=head, unit=community, role=PositionRole.HEAD)

    services.unit_retire(actor=personas.office_admin, unit=community, reason="社区合并")

    community.refresh_from_db()
    assert community.state == RecordState.RETIRED
    assert community.retired_reason == "社区合并"
    assert Position.objects.get(person=head).ended_on is not None
    assert [e.reason for e in history_entries(community)][:2] == ["orgs.unit.retired", "orgs.unit.created"]
    assert history_entries(community)[0].actor == personas.office_admin


def test_retiring_twice_is_a_refused_transition_that_changes_nothing(personas):
    community = personas.unit_a_community
    services.unit_retire(actor=personas.office_admin, unit=community, reason="社区合并")
    rows = community.history.count()

    with pytest.raises(TransitionError):
        services.unit_retire(actor=personas.office_admin, unit=community, reason="again")

    community.refresh_from_db()
    assert community.retired_reason == "社区合并"
    assert community.history.count() == rows


def test_a_retired_unit_can_be_restored_only_under_an_active_parent(personas):
    community = personas.unit_a_community
    services.unit_retire(actor=None, unit=community, reason="合并")
    services.unit_restore(actor=personas.office_admin, unit=community)
    community.refresh_from_db()
    assert community.state == RecordState.ACTIVE
    assert community.retired_reason == ""


def test_a_unit_has_at_most_one_current_head(personas):
    newcomer = services.person_create(actor=None, name="新书记")
    with pytest.raises(ValidationError, match="已有在任主要负责人"):
        services.position_assign(actor=None, person=newcomer, unit=personas.unit_a, role=PositionRole.HEAD)
    assert not Position.objects.filter(person=newcomer).exists()

    old_head = Position.objects.current().get(unit=personas.unit_a, role=PositionRole.HEAD)
    services.position_end(actor=personas.office_admin, position=old_head)
    services.position_assign(actor=None, person=newcomer, unit=personas.unit_a, role=PositionRole.HEAD)
    assert Position.objects.current().get(unit=personas.unit_a, role=PositionRole.HEAD).person == newcomer


def test_retiring_a_person_ends_posts_and_disables_the_login(personas):
    person = personas.unit_a_staff.person

    services.person_retire(actor=personas.office_admin, person=person)

    person.refresh_from_db()
    personas.unit_a_staff.refresh_from_db()
    assert person.state == RecordState.RETIRED
    assert personas.unit_a_staff.is_active is False
    assert not Position.objects.current().filter(person=person).exists()


def test_portfolio_history_shows_domains_and_units_before_and_after(personas):
    industry = Domain.objects.create(code="industry", name="产业发展")
    services_domain = Domain.objects.create(code="public-services", name="公共服务")
    leader = services.person_create(actor=None, name="副区长甲")
    portfolio = services.portfolio_create(
        actor=personas.office_admin,
        leader=leader,
        title="副区长",
        rank=LeaderRank.IN_CHARGE,
        domains=[industry],
        units=[personas.unit_a],
    )

    services.portfolio_update(
        actor=personas.office_admin,
        portfolio=portfolio,
        title="副区长",
        rank=LeaderRank.IN_CHARGE,
        domains=[industry, services_domain],
        units=[personas.unit_b],
    )

    latest = history_entries(portfolio)[0]
    assert latest.reason == "orgs.portfolio.updated"
    assert latest.actor == personas.office_admin
    changes = {c.field: (c.before, c.after) for c in latest.changes}
    assert changes["分管领域"] == ("产业发展", "产业发展、公共服务")
    assert changes["分管单位"] == ("东门街道", "桂园街道")
    assert portfolio.history.count() == 2


def test_a_leader_has_one_current_portfolio(personas):
    leader = personas.district_leader.person
    with pytest.raises(ValidationError, match="已有现行分工"):
        services.portfolio_create(actor=None, leader=leader, title="副区长", rank=LeaderRank.IN_CHARGE)
