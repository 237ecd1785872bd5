"""The green channel's tile on the cockpit: for each persona, every linked figure equals the number
of requests its list shows them, and a leader in charge never counts another street's requests."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from duban.cockpit.access import scope_of
from duban.conftest import fresh
from duban.core.workdays import on_day
from duban.orgs import services as org_services
from duban.orgs.choices import PositionRole
from duban.payments import services
from duban.payments.cockpit import tiles
from duban.payments.models import PaymentRequest
from duban.payments.stats import percentile
from duban.payments.tests.conftest import deferred, prepare

pytestmark = pytest.mark.django_db
NUMBERS = itertools.count(1)


STEPS = ["accept", "review", "approve", "pay"]


def _through(centre, request, last: str):
    """The centre's steps from acceptance up to `last`."""
    users = {"accept": centre.clerk, "review": centre.reviewer, "approve": centre.approver, "pay": centre.cashier}
    for code in STEPS[: STEPS.index(last) + 1]:
        data = {"paid_on": timezone.localdate(), "voucher": f"GK-{next(NUMBERS)}"} if code == "pay" else {}
        request = services.request_step(actor=users[code], request=request, code=code, **data)
    return request


def _request(personas, centre, *, hours: int, b: bool = False, **fields):
    """A request submitted `hours` ago: unit A's on the green channel unless told; unit B's (`b`) on
    the normal channel."""
    if b:
        fields = {"user": personas.unit_b_staff, "unit": personas.unit_b, "fund": centre.plain_fund,
                  "channel": "normal", **fields}  # fmt: skip
    request = prepare(personas, centre, invoice_ref=f"4403{next(NUMBERS):04d}", **fields)
    return services.request_step(actor=fields.get("user") or personas.unit_a_staff, request=request, code="submit",
                                 at=timezone.now() - dt.timedelta(hours=hours))  # fmt: skip


@pytest.fixture
def payments(personas, centre):
    """Unit A: three green requests paid (one of its community's), one normal one paid, one waiting
    for review, one accepted with documents to follow now overdue. Unit B: two paid, two waiting."""
    for hours, fields in [(7, {}), (29, {}), (53, {"unit": personas.unit_a_community}), (80, {"channel": "normal"})]:
        _through(centre, _request(personas, centre, hours=hours, **fields), "pay")
    _through(centre, _request(personas, centre, hours=2), "accept")
    overdue = deferred(personas, centre, invoice_ref="44039999")
    services.gaps_lapse(at=on_day(overdue.due_on + dt.timedelta(days=1)))
    for hours in (10, 100):
        _through(centre, _request(personas, centre, hours=hours, b=True), "pay")
    _request(personas, centre, hours=1, b=True)
    _through(centre, _request(personas, centre, hours=3, b=True), "review")
    return overdue


def _listed(client, url: str) -> list[PaymentRequest]:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context["page"]
    assert page.paginator.count == len(page.object_list)  # one page: every row is here
    return list(page.object_list)


def _days(requests) -> float:
    return round(percentile([(r.paid_at - r.submitted_at).total_seconds() / 86400 for r in requests], 0.5), 1)


def _check(client, user, scope) -> dict[str, object]:
    """Every figure against its list as `user` sees it; the figures by label."""
    client.force_login(user)
    (tile,) = tiles(scope, timezone.localdate())
    for figure in tile.figures:
        assert figure.url, figure.label
        rows = _listed(client, figure.url)
        if "channel=" in figure.url:  # a median: of the requests its list shows
            assert figure.value == (_days(rows) if rows else "—"), figure.label
        else:
            assert figure.value == len(rows), figure.label
    return {figure.label: figure.value for figure in tile.figures}


def test_every_figure_equals_what_its_list_shows_each_persona(client, personas, payments):
    everyone = _check(client, personas.office_admin, scope_of(personas.office_admin))
    # paid; the medians of the green channel (7, 29, 53 hours) and of the normal one (10, 80, 100 hours)
    assert list(everyone.values()) == [6, 1.2, 3.3, 4, 1]
    assert _check(client, personas.supervisor, scope_of(personas.supervisor)) == everyone
    leader = _check(client, personas.district_leader, scope_of(personas.district_leader))
    assert list(leader.values()) == [4, 1.2, 3.3, 2, 1]  # unit A and its community only
    head = _check(client, personas.unit_a_head, scope_of(personas.unit_a_head))
    assert head == leader
    # narrowed to a unit on the cockpit: the community's own request only
    community = _check(client, personas.office_admin, scope_of(personas.office_admin, personas.unit_a_community))
    assert list(community.values()) == [1, 2.2, "—", 0, 0]
    assert _check(client, personas.district_leader, scope_of(personas.district_leader, personas.unit_a)) == leader


def test_a_leader_in_charge_never_counts_another_streets_requests(client, personas, payments):
    client.force_login(personas.district_leader)
    (tile,) = tiles(scope_of(personas.district_leader), timezone.localdate())
    for figure in tile.figures:
        assert all(r.unit.is_within(personas.unit_a) for r in _listed(client, figure.url)), figure.label
    page = client.get(tile.figures[0].url).content.decode()
    assert "桂园街道" not in page and "东门街道" in page and "另按以下条件筛选" in page


def test_a_head_of_several_units_sees_the_figures_without_links(personas, payments):
    """No one list shows both streets' requests to such a head: the figures stand without links."""
    org_services.position_assign(actor=None, person=personas.unit_a_head.person, unit=personas.unit_b,
                                 role=PositionRole.HEAD, title="主任")  # fmt: skip
    (tile,) = tiles(scope_of(fresh(personas.unit_a_head)), timezone.localdate())
    assert [f.url for f in tile.figures] == [""] * 5
    assert tile.figures[0].value == 6 and tile.figures[3].value == 4
