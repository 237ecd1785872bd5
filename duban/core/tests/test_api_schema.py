"""The API answers as its OpenAPI schema says, for any input schemathesis generates from it: no
5xx, no status the schema does not document, no body outside the documented shape, every error
JSON. Run as the office admin (who may write) and anonymously, with a bounded number of
examples per operation (`DUBAN_SCHEMA_EXAMPLES`, 15 by default) so it fits in `make test`."""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings

from duban.api import api
from duban.ledger.tests.conftest import make_item  # noqa: F401 - fixtures
from duban.reforms.tests.conftest import domain, main_leader, make_reform, reform_ledger  # noqa: F401 - fixtures

EXAMPLES = int(os.environ.get("DUBAN_SCHEMA_EXAMPLES", "15"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def _connection_kept():
    """The WSGI handler closes the database connection after each request, as a server should;
    the test's transaction lives on that connection (Django's test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def ledger(reform_ledger):  # noqa: F811 - the items and the reforms in one ledger
    return reform_ledger


@pytest.fixture
def world(personas, make_item, make_reform):  # noqa: F811 - fixtures
    """Something behind the ids schemathesis tries first (small numbers), so reads and writes
    get past the 404."""
    for _ in range(3):
        make_item()
        make_reform()
    return personas


@pytest.fixture
def office_admin_cookies(world) -> dict[str, str]:
    client = Client()
    client.force_login(world.office_admin)
    token = _get_new_csrf_string()
    return {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            django_settings.CSRF_COOKIE_NAME: token}  # fmt: skip


pytestmark = pytest.mark.django_db

hypothesis_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
    database=None,
)


@schema.parametrize()
@hypothesis_settings
def test_as_the_office_admin(case, office_admin_cookies):
    headers = {"X-CSRFToken": office_admin_cookies[django_settings.CSRF_COOKIE_NAME]}
    case.call_and_validate(app=APP, cookies=office_admin_cookies, headers=headers, checks=CHECKS)


@schema.parametrize()
@hypothesis_settings
def test_anonymously(case, world):
    case.call_and_validate(app=APP, checks=CHECKS)


def test_the_schema_documents_every_error_answer_and_the_enums():
    document = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))  # as served
    error_ref = "#/components/schemas/ErrorOut"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = {"400", "404", "422"} | ({"401"} if operation.get("security") else set())
            codes |= {"409"} if method == "post" else set()
            documented = operation["responses"]
            assert codes <= set(documented), (method, path)
            for code in codes:
                assert documented[code]["content"]["application/json"]["schema"]["$ref"] == error_ref
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorOut"]["required"]) == {"detail"}
    assert schemas["NoticeLevel"]["enum"][:5] == ["reminder", "urging", "blue", "yellow", "red"]
    assert "enum" in schemas["ItemState"] and "enum" in schemas["Satisfaction"]
    assert schemas["TransitionIn"]["properties"]["action"]["enum"][:2] == ["assign", "acknowledge"]


def test_any_api_error_is_json_even_a_failure(client, personas, monkeypatch):
    client.raise_request_exception = False
    assert client.get("/api/no-such-thing").json()["detail"] == "此处没有内容，或您无权查看。"
    assert client.get("/api/ledger/items").json()["detail"] == "请先登录：此操作需要登录用户。"

    def broken(user):
        raise RuntimeError("a bug")

    monkeypatch.setattr("duban.ledger.access.visible_ledgers", broken)
    client.force_login(personas.office_admin)
    response = client.get("/api/ledger/ledgers")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "服务器处理失败，已记录错误供管理员排查。"}
