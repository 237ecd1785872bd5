"""The Celery application of `duban worker` and `duban beat`: settings from CELERY_* in
duban/settings.py, tasks from each context's `tasks.py` (duban.core.background sends them)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

app = Celery("duban")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
