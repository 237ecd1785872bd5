"""The review queue filters in the database exactly as `can_review`/`can_close` decide item by item,
and pages."""

import pytest
from django.urls import reverse

from duban.conftest import _official, fresh
from duban.core.testing import link_href
from duban.ledger import access
from duban.ledger.choices import ItemState
from duban.ledger.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(personas, make_item):
    """Submitted and done items led by each kind of unit, the owning office's included."""
    units = [personas.unit_a, personas.unit_a_community, personas.unit_b, personas.reform_office, personas.district]
    for n, unit in enumerate(units):
        for state in (ItemState.SUBMITTED, ItemState.DONE):
            item = make_item(title=f"事项{n}{state}", lead_unit=unit)
            Item.objects.filter(pk=item.pk).update(state=state)


@pytest.mark.parametrize(
    "who",
    ["office_admin", "supervisor", "unit_a_head", "unit_a_staff", "unit_b_staff", "district_leader", "office_staff"],
)
def test_the_queue_holds_exactly_what_the_user_may_review_and_close(personas, spread, who):
    user = fresh(_official(personas.reform_office, "office_staff") if who == "office_staff" else getattr(personas, who))
    visible = access.visible_items(user).select_related("ledger", "lead_unit")
    submitted, done = visible.filter(state=ItemState.SUBMITTED), visible.filter(state=ItemState.DONE)

    assert set(access.reviewable(user, submitted)) == {i for i in submitted if access.can_review(user, i)}
    assert set(access.closable(user, done)) == {i for i in done if access.can_close(user, i)}
    if who == "supervisor":
        assert access.reviewable(user, submitted).count() == 4  # not the district's: it is above the supervisor
    if who == "office_staff":
        # neither its own office's nor the district's; and only supervisors close
        assert access.reviewable(user, submitted).count() == 3 and not access.closable(user, done).exists()


def test_a_long_queue_pages_each_list_apart(client, personas, make_item):
    for n in range(35):
        item = make_item(title=f"待核验{n}", lead_unit=personas.unit_b)
        Item.objects.filter(pk=item.pk).update(state=ItemState.SUBMITTED)
    client.force_login(personas.supervisor)
    url = reverse("ledger:queue")

    first = client.get(url, {"close": "1"})
    following = link_href(first.content.decode(), 'rel="next"', url)
    second = client.get(following)

    assert len(first.context["reviewable"]) == 30 and first.context["reviewable"].paginator.count == 35
    assert following == f"{url}?close=1&review=2"
    assert len(second.context["reviewable"]) == 5
    assert "(35)" in first.content.decode()


def test_a_units_long_to_do_list_pages_each_card_apart(client, personas, make_item):
    for n in range(25):
        make_item(title=f"待签收{n}")
    client.force_login(personas.unit_a_staff)
    url = reverse("ledger:inbox")

    first = client.get(url, {"overdue": "1"})
    following = link_href(first.content.decode(), 'rel="next"', url)
    second = client.get(following)

    assert len(first.context["to_acknowledge"]) == 20 and "(25)" in first.content.decode()
    assert following == f"{url}?overdue=1&ack=2"
    assert len(second.context["to_acknowledge"]) == 5
    shown = {i.pk for i in [*first.context["to_acknowledge"], *second.context["to_acknowledge"]]}
    assert len(shown) == 25
