"""How far a long job has got, readable from any host while the job runs inside one transaction.

On PostgreSQL a job reports through a connection of its own in autocommit (its main connection's
writes stay invisible until it commits), into `core.JobProgress`. SQLite has one writer at a time
and the job holds that lock, so there the report goes to a small file beside the database: an
SQLite install is one host. Either way a report is also the job's heartbeat: a job whose last
report is old has stopped (`stalled`)."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from duban.core.models import JobProgress


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    beat_at: dt.datetime


def _path(key: str) -> Path:
    return Path(settings.VAR_DIR) / "progress" / f"{key}.json"


class Reporter:
    """Reports for one job: `with Reporter(key) as report: report(done, total)`."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.side = None

    def __enter__(self) -> Reporter:
        if connection.vendor == "postgresql":
            self.side = connections.create_connection("default")
            self.side.set_autocommit(True)
        return self

    def __exit__(self, *exc) -> None:
        if self.side is not None:
            self.side.close()

    def __call__(self, done: int, total: int) -> None:
        now = timezone.now()
        if self.side is None:
            path = _path(self.key)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps({"done": done, "total": total, "at": now.isoformat()}), encoding="utf-8")
            temporary.replace(path)
            return
        with self.side.cursor() as cursor:
            cursor.execute(
                "INSERT INTO core_jobprogress (key, done, total, beat_at) VALUES (%s, %s, %s, %s) ON CONFLICT (key) "
                "DO UPDATE SET done = EXCLUDED.done, total = EXCLUDED.total, beat_at = EXCLUDED.beat_at",
                [self.key, done, total, now],
            )


def report(key: str, done: int, total: int) -> None:
    """One report, outside any job (its start, say)."""
    with Reporter(key) as reporter:
        reporter(done, total)


def read(key: str) -> Progress | None:
    if connection.vendor == "postgresql":
        found = JobProgress.objects.filter(key=key).first()
        return Progress(found.done, found.total, found.beat_at) if found else None
    try:
        data = json.loads(_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Progress(data["done"], data["total"], dt.datetime.fromisoformat(data["at"]))


def forget(key: str) -> None:
    if connection.vendor == "postgresql":
        JobProgress.objects.filter(key=key).delete()
    _path(key).unlink(missing_ok=True)


def stalled(key: str, *, since: dt.datetime | None = None) -> bool:
    """Whether the job has not reported for `DUBAN_STALLED_AFTER_SECONDS` (nor started since `since`)."""
    found = read(key)
    last = max([moment for moment in (found.beat_at if found else None, since) if moment is not None], default=None)
    limit = dt.timedelta(seconds=settings.DUBAN_STALLED_AFTER_SECONDS)
    return last is None or timezone.now() - last > limit
