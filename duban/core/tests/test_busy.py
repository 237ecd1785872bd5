"""A database too busy to answer in time (SQLite's "database is locked" after the busy timeout)
is a 503 with Retry-After in the user's language, never a 500: a page for people, JSON for the
API, the Open311 spec's error list for Open311 clients."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own responses in tests

import pytest
from django.db.utils import OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from duban.core import busy, handlers

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


def message(language: str) -> str:
    with translation.override(language):
        return busy.busy_message()


def test_a_locked_database_on_a_page_is_a_503_in_the_users_language(client, monkeypatch):
    monkeypatch.setattr("duban.orgs.auth_views.verification_confirm", locked)
    data = {"step": "code", "destination": "13800138000", "code": "123456"}

    response = client.post(reverse("resident_login"), data)

    assert response.status_code == 503
    assert response["Retry-After"] == str(busy.RETRY_AFTER_SECONDS)
    assert response["Content-Language"] == "zh-hans"
    assert "<h1>" in response.content.decode()
    client.cookies["django_language"] = "en"
    response = client.post(reverse("resident_login"), data)
    assert response.status_code == 503 and "The site is busy" in response.content.decode()


def test_a_locked_database_in_the_api_is_a_json_503(client, personas, monkeypatch):
    monkeypatch.setattr("duban.ledger.api.access.visible_ledgers", locked)
    client.force_login(personas.office_admin)

    response = client.get("/api/ledger/ledgers")

    assert response.status_code == 503 and response["Retry-After"]
    assert response.json() == {"detail": message("zh-hans")}


def test_a_locked_database_in_open311_is_the_specs_error_in_the_format_asked(client, monkeypatch):
    monkeypatch.setattr("duban.campaigns.open311._client_for", locked)
    post = {"api_key": "k", "service_code": "x", "lat": "22.55", "long": "114.12"}

    response = client.post("/open311/v2/requests.json", post)
    assert response.status_code == 503 and response["Retry-After"]
    assert response.json() == [{"code": 503, "description": message("zh-hans")}]
    response = client.post("/open311/v2/requests.xml", post)
    assert response.status_code == 503 and response["Retry-After"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.find("error/code").text == "503"


def test_other_database_errors_are_not_dressed_up_as_busy(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: orgs_verificationcode")

    monkeypatch.setattr("duban.orgs.auth_views.verification_confirm", broken)
    with pytest.raises(OperationalError):
        client.post(reverse("resident_login"), {"step": "code", "destination": "13800138000", "code": "123456"})


def test_a_lock_met_outside_a_view_is_a_503_too():
    """A middleware (the session, the sign-in log) can meet the lock after the view: the 500
    handler turns that into the same 503."""
    request = RequestFactory().get("/api/ledger/ledgers")
    try:
        locked()
    except OperationalError:
        response = handlers.server_error(request)
    assert response.status_code == 503 and response["Retry-After"]
    assert json.loads(response.content) == {"detail": busy.busy_message()}
    try:
        raise OperationalError("disk I/O error")
    except OperationalError:
        response = handlers.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
