"""Password and code hashing take a good part of a second by design, so they never run inside a
transaction: on SQLite a transaction holds the database's only write lock from its first
statement, and every other writer would wait out the hashing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from duban.orgs import services, verification
from duban.orgs.tests.test_verification import SENT

pytestmark = pytest.mark.django_db(transaction=True)


def watched(monkeypatch, module, name: str) -> list[bool]:
    """Record, at each call of `module.name`, whether a transaction was open."""
    inside: list[bool] = []
    real = getattr(module, name)

    def call(*args, **kwargs):
        inside.append(connection.in_atomic_block)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, call)
    return inside


def test_codes_are_hashed_and_checked_outside_any_transaction(monkeypatch, settings):
    settings.DUBAN_CODE_SENDER = "duban.orgs.tests.test_verification.RecordingSender"
    SENT.clear()
    hashed = watched(monkeypatch, verification, "make_password")
    checked = watched(monkeypatch, verification, "check_password")

    verification.verification_request(destination="13800139100", client="198.51.100.21")
    code = SENT[-1][1]
    with pytest.raises(ValidationError):
        verification.verification_confirm(destination="13800139100", code="000000" if code != "000000" else "111111")
    user = verification.verification_confirm(destination="13800139100", code=code)

    assert user.phone == "13800139100"
    assert hashed == [False]
    assert checked == [False, False]


def test_a_staff_password_is_hashed_outside_the_transaction(monkeypatch):
    hashed = watched(monkeypatch, services, "make_password")
    person = services.person_create(actor=None, name="测试人员")

    user = services.official_account_create(actor=None, person=person, username="tester", password="a-long-pass-1")

    assert hashed == [False]
    assert user.check_password("a-long-pass-1")
