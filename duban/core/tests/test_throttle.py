"""Rate limits count in a cache every worker process shares: the database's by default, Redis
when REDIS_URL is set. Two processes counting the same address at the same moment share one
count, and the counters are atomic (no hit is lost when they collide)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from duban.core import throttle
from duban.core.testing import run_together

LIMIT = 10
HITS = 40  # each process sends this many, all at the same moment

COUNTER = """
import sys, time, django
django.setup()
from duban.core import throttle
from duban.core.testing import run_together
key, limit, hits, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
time.sleep(max(0.0, start - time.time()))
print(sum(throttle.allow(key, limit, 3600) for _ in range(hits)))
"""


def _environment(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="duban.settings", DUBAN_DEMO="1", DUBAN_VAR_DIR=str(tmp_path / "var"))
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'shared.sqlite3'}", **extra)
    return env


def _two_workers_counting(env: dict[str, str], key: str) -> list[int]:
    """Two separate processes, like two gunicorn workers, each sending HITS at once on `key`."""
    start = time.time() + 4  # both have started Django by then
    argv = [sys.executable, "-c", COUNTER, key, str(LIMIT), str(HITS), str(start)]
    workers = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]  # noqa: S603
    allowed = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
        allowed.append(int(out))
    return allowed


def test_two_worker_processes_share_one_count_in_the_database(tmp_path):
    env = _environment(tmp_path)
    subprocess.run([sys.executable, "-m", "duban.cli", "createcachetable"], env=env, check=True)  # noqa: S603

    allowed = _two_workers_counting(env, "report:203.0.113.9")

    assert sum(allowed) == LIMIT


def _redis_url() -> str | None:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:  # no server answering (or no client library): the variant cannot run here
        if os.environ.get("DUBAN_REQUIRE_REDIS") == "1":
            pytest.fail(f"DUBAN_REQUIRE_REDIS=1 but no Redis server answers at {url}.")
        return None
    return url


def test_two_worker_processes_share_one_count_in_redis(tmp_path):
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis server answers at REDIS_URL or 127.0.0.1:6379")
    import redis

    key = f"report:test-{uuid.uuid4().hex}"
    try:
        allowed = _two_workers_counting(_environment(tmp_path, REDIS_URL=url), key)
    finally:
        server = redis.Redis.from_url(url)
        for stored in server.scan_iter(match=f"*{key}*"):
            server.delete(stored)

    assert sum(allowed) == LIMIT


@pytest.mark.django_db
def test_a_counter_keeps_its_window_when_counted():
    """Django's own database cache resets a key's expiry to five minutes on `incr`: an hour's
    counter would be forgotten after five quiet minutes."""
    cache.add("throttle:probe", 1, 3600)
    for _ in range(3):
        cache.incr("throttle:probe")

    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM duban_cache")
        (expires,) = cursor.fetchone()
    assert cache.get("throttle:probe") == 4
    assert str(expires) > time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() + 3000))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_counters_counted_at_the_same_moment_lose_no_hit():
    """On PostgreSQL writers run side by side: each increment reads the row locked."""
    cache.add("throttle:race", 0, 3600)
    counted = run_together(*[lambda: cache.incr("throttle:race") for _ in range(20)])
    assert sorted(counted) == list(range(1, 21))
    assert cache.get("throttle:race") == 20


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE duban_cache")
    call_command("migrate", verbosity=0)
    assert "duban_cache" in connection.introspection.table_names()


def test_behind_the_proxy_the_address_is_the_hop_the_proxy_added(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", REMOTE_ADDR="10.0.0.2")
    assert throttle.client_address(request) == "198.51.100.7"
    settings.SECURE_PROXY_SSL_HEADER = None
    assert throttle.client_address(request) == "10.0.0.2"
