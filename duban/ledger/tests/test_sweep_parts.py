"""The workers' sweep: the open items split into shares, each share done once however often its task
is delivered, the run finished by the last share, with the same outcome as one sweep in one process."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.core.testing import run_together
from duban.ledger.choices import Light, NoticeLevel
from duban.ledger.models import Item, Notice, SweepPart, SweepRun
from duban.ledger.services.sweep import sweep_begin, sweep_part, sweep_run

DAY = dt.date(2024, 7, 1)


def _items(make_item, n=12):
    return [make_item(title=f"任务{k}") for k in range(n)]


@pytest.mark.django_db
def test_a_run_in_three_shares_does_what_one_run_does(make_item):
    items = _items(make_item)
    run = sweep_begin(today=DAY, parts=3)

    assert [sweep_part(run, part, 3, batch_size=2) for part in (0, 1, 1, 2)] == [True, True, False, True]

    run.refresh_from_db()
    assert run.finished_at is not None and SweepPart.objects.filter(run=run, finished_at__isnull=False).count() == 3
    assert (run.items, run.lights_changed, run.notices) == (12, 12, 12)
    assert set(Item.objects.filter(pk__in=[i.pk for i in items]).values_list("light", flat=True)) == {Light.RED}
    assert Notice.objects.filter(level=NoticeLevel.BLUE).count() == 12
    assert sweep_begin(today=DAY) is None  # finished, and nothing changed since
    assert sweep_run(today=DAY).items == 0


@pytest.mark.django_db
def test_a_run_is_unfinished_until_its_last_share(make_item):
    _items(make_item, 4)
    run = sweep_begin(today=DAY, parts=2)
    sweep_part(run, 1, 2)

    run.refresh_from_db()
    assert run.finished_at is None and sweep_begin(today=DAY) is not None  # the next run does the work


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_shares_on_two_workers_at_once_issue_each_notice_once(make_item):
    _items(make_item, 40)
    run = sweep_begin(today=DAY, parts=2)

    run_together(lambda: sweep_part(run, 0, 2, batch_size=5), lambda: sweep_part(run, 1, 2, batch_size=5),
                 lambda: sweep_part(run, 1, 2, batch_size=5))  # fmt: skip

    assert Notice.objects.filter(level=NoticeLevel.BLUE).count() == 40
    assert SweepRun.objects.get(pk=run.pk).notices == 40


def test_on_the_workers_the_shares_and_each_contexts_upkeep_are_tasks_of_their_own(make_item, settings, monkeypatch):
    from django.apps import apps

    from duban.celery import app
    from duban.ledger import upkeep

    _items(make_item, 3)
    sent = []
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    monkeypatch.setattr(app, "send_task", lambda name, args: sent.append((name, args)))

    upkeep.sweep_on_workers(today=DAY, parts=2)

    run = SweepRun.objects.get()
    upkept = [args[0] for name, args in sent if name == "duban.ledger.tasks.context_upkeep"]
    assert [args for name, args in sent if name == "duban.ledger.tasks.sweep_part"] == [[run.pk, 0, 2], [run.pk, 1, 2]]
    assert {"campaigns", "bulletins", "downloads", "notifications"} <= set(upkept)
    assert sorted(upkept) == sorted(config.label for config in apps.get_app_configs() if hasattr(config, "sweep"))
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {name for name, _args in sent} | scheduled <= set(app.tasks)  # every task sent is one a worker runs
    assert "duban.campaigns.tasks.tally_fold" in scheduled and "duban.downloads.tasks.export_run" in app.tasks
