"""Many people at once on SQLite (the demo, a single-machine install): a burst of residents
typing wrong sign-in codes beside a burst of Open311 posts, against the site served by gunicorn
from a file, as `duban serve` runs it. Nobody gets a 500; the posts are not held up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.choices import ReportSource, ReportState
from duban.campaigns.services import photos, setup
from duban.campaigns.services.reports import report_transition
from duban.campaigns.services.submitting import report_submit
from duban.campaigns.tests.conftest import DONGMEN, make_photo
from duban.campaigns.tests.served_settings import SlowHasher
from duban.core.testserver import all_at_once, fetch, served_copy
from duban.orgs.models import VerificationCode

KEY = "open311-burst-key-0123456789"
BURST = 40


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's single writer is what this burst is about")


def test_wrong_codes_beside_open311_posts_never_answer_500(sqlite_only, transactional_db, world, tmp_path):
    setup.client_create(actor=None, name="罗湖plus", key=KEY)
    code_hash = SlowHasher().encode("123456", "burstsalt")
    expires = timezone.now() + dt.timedelta(minutes=10)
    destinations = [f"1380013{n:04d}" for n in range(BURST)]
    VerificationCode.objects.bulk_create(
        VerificationCode(destination=d, code_hash=code_hash, expires_at=expires) for d in destinations
    )

    # The server waits for the write lock as long as in production (20 s: a slow, busy machine
    # needs it). Writes hold it for milliseconds; a code check hashing inside its transaction would
    # hold it 0.6 s, and forty in a row (24 s) would time posts out.
    settings_module, env = "duban.campaigns.tests.served_settings", {"DUBAN_SQLITE_TIMEOUT_SECONDS": "20"}
    with served_copy(tmp_path, settings_module=settings_module, env=env) as base:
        login = fetch(base + reverse("resident_login"))
        token = login.headers["Set-Cookie"].split("csrftoken=")[1].split(";")[0]
        headers = {"Cookie": f"csrftoken={token}", "X-CSRFToken": token}

        def wrong_code(destination):
            data = {"step": "code", "destination": destination, "code": "000000"}
            return lambda: fetch(base + reverse("resident_login"), data, headers)

        def open311_post(n):
            data = {"api_key": KEY, "service_code": "t-parking", "lat": DONGMEN[0], "long": DONGMEN[1],
                    "description": f"共享单车乱停放 {n}"}  # fmt: skip
            return lambda: fetch(base + "/open311/v2/requests.json", data)

        calls = [call for n in range(BURST) for call in (wrong_code(destinations[n]), open311_post(n))]
        first = all_at_once(calls)
        # On a machine much slower than this one a request may wait out the timeout: it is told
        # "busy, nothing saved, send again" and, sent again as its Retry-After says, is answered.
        busy = [n for n, answer in enumerate(first) if answer.status == 503]
        again = dict(zip(busy, all_at_once([calls[n] for n in busy]), strict=True)) if busy else {}
        answers = [again.get(n, answer) for n, answer in enumerate(first)]
    waited = [round(first[n].seconds, 1) for n in busy]

    codes, posts = answers[0::2], answers[1::2]
    assert [a.status for a in first if a.status >= 500 and a.status != 503] == []
    assert all(a.headers.get("Retry-After") for a in first if a.status == 503)
    assert len(busy) <= BURST // 10, f"{len(busy)} requests found the site busy, after {waited} s"
    assert [a.status for a in codes] == [200] * BURST
    assert all("验证码错误或已过期" in a.body for a in codes)
    assert [a.status for a in posts] == [201] * BURST


def test_photos_are_checked_before_the_write_transaction(transactional_db, world, personas, monkeypatch):
    """Decoding and re-encoding a photo takes a while; on SQLite a transaction holds the write lock
    from its first statement, so the photos are done before it begins, on submitting and on fixing."""
    inside: list[bool] = []
    real = photos.clean_photo

    def watched(upload):
        inside.append(connection.in_atomic_block)
        return real(upload)

    monkeypatch.setattr(photos, "clean_photo", watched)
    report = report_submit(
        actor=personas.resident, campaign=world.campaign, category=world.parking, description="单车挡住盲道",
        source=ReportSource.PORTAL, lat=DONGMEN[0], lng=DONGMEN[1], photos=[make_photo()],
    )  # fmt: skip
    report = report_transition(actor=personas.office_admin, report=report, action="accept")
    report = report_transition(
        actor=personas.unit_a_staff, report=report, action="fix", note="已清理", photos=[make_photo()]
    )

    assert report.state == ReportState.FIXED and report.photos.count() == 2
    assert inside == [False, False]
