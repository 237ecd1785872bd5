"""Notification delivery on the workers (duban.core.background): each task safe to run twice."""

from __future__ import annotations

from celery import shared_task

from duban.core import background
from duban.notifications import services


@shared_task(name="duban.notifications.tasks.deliver")
def deliver(ids: list[int]) -> int:
    return services.deliver(ids)


@shared_task(name="duban.notifications.tasks.deliver_due")
def deliver_due() -> int:
    """Hand what is due (retries, the end of quiet hours) to the workers in small batches."""
    ids = services.due_ids()
    for start in range(0, len(ids), services.DUE_BATCH):
        chunk = ids[start : start + services.DUE_BATCH]
        background.run("duban.notifications.tasks.deliver", chunk, embedded=lambda chunk=chunk: services.deliver(chunk))
    return len(ids)


@shared_task(name="duban.notifications.tasks.digests")
def digests() -> int:
    return services.digests_send()
