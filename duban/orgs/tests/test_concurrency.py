"""Real concurrency needs a real server: these run on PostgreSQL (the CI pass requires it)."""

import pytest
from django.core.exceptions import ValidationError

from duban.core.testing import run_together
from duban.orgs import services
from duban.orgs.choices import PositionRole, UnitKind
from duban.orgs.models import Position

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_head_appointments_leave_exactly_one_head():
    district = services.unit_create(actor=None, parent=None, name="罗湖区", kind=UnitKind.DISTRICT)
    street = services.unit_create(actor=None, parent=district, name="莲塘街道", kind=UnitKind.STREET)
    people = [services.person_create(actor=None, name=f"候选人{i}") for i in range(4)]

    results = run_together(
        *[
            lambda person=person: services.position_assign(
                actor=None, person=person, unit=street, role=PositionRole.HEAD
            )
            for person in people
        ]
    )

    outcomes = ["refused" if isinstance(r, ValidationError) else "ok" for r in results]
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Position.objects.current().filter(unit=street, role=PositionRole.HEAD).count() == 1


def test_two_simultaneous_moves_keep_every_path_consistent():
    district = services.unit_create(actor=None, parent=None, name="罗湖区", kind=UnitKind.DISTRICT)
    a = services.unit_create(actor=None, parent=district, name="东晓街道", kind=UnitKind.STREET)
    b = services.unit_create(actor=None, parent=district, name="清水河街道", kind=UnitKind.STREET)
    community = services.unit_create(actor=None, parent=a, name="独树社区", kind=UnitKind.COMMUNITY)
    grid = services.unit_create(actor=None, parent=community, name="独树社区第一网格", kind=UnitKind.GRID)
    run_together(
        *[lambda target=target: services.unit_move(actor=None, unit=community, new_parent=target) for target in (a, b)]
    )

    community.refresh_from_db()
    grid.refresh_from_db()
    assert grid.path == f"{community.path}{grid.pk}/"
    assert community.path.startswith(community.parent.path)
