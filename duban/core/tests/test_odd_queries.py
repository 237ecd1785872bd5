"""Query strings a probe sent that once answered 500: each is a 4xx in the surface's own error format."""

import pytest

from duban.campaigns.tests.conftest import world as world  # noqa: F401 - a fixture

API = "/api/ledger/items"
OPEN311 = "/open311/v2/requests.json"


@pytest.fixture
def office(client, personas):
    client.raise_request_exception = False  # a crash answers 500, as it would for a user
    client.force_login(personas.office_admin)
    return client


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("unit=999999", 404, None),
        ("ledger=99999999999999999999", 422, "ledger"),
        ("unit=99999999999999999999", 422, "unit"),
        ("page=9223372036854775807", 422, "page"),
    ],
)
def test_the_api_answers_odd_filters_and_pages_in_json(office, query, status, field):
    response = office.get(f"{API}?{query}")

    assert response.status_code == status
    body = response.json()
    assert body["detail"]  # in the user's language (zh-Hans by default)
    if field:
        assert list(body["errors"]) == [field]
        assert body["detail"] == f"请检查以下字段：{field}。"
        assert body["errors"][field][0].startswith(("请输入整数", "不能大于"))


@pytest.mark.parametrize(
    ("query", "word"),
    [("page=999999999999999999", "page"), ("end_date=0001-03-01", "end_date"), ("start_date=9999-12-31", "start_date")],
)
def test_open311_answers_odd_pages_and_dates_with_its_error_list(client, world, query, word):  # noqa: F811
    client.raise_request_exception = False
    response = client.get(f"{OPEN311}?{query}")

    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and word in error["description"]


def test_a_new_units_parent_that_is_no_id_is_not_found_and_access_is_checked_first(client, personas):
    client.raise_request_exception = False
    client.force_login(personas.office_admin)
    assert client.get("/org/units/new/?parent=abc").status_code == 404
    client.force_login(personas.resident)
    assert client.get("/org/units/new/?parent=abc").status_code == 403
