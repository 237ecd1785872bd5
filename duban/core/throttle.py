"""Fixed-window rate limits kept in the shared cache (the database's, or Redis when `REDIS_URL`
is set): every worker process counts in the same place, so a limit holds across workers and
restarts. A window's counter is created with `cache.add` and counted with `cache.incr`, both
atomic. Cheap enough to refuse a flood before any other database work."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def _slot(key: str, window_seconds: int) -> str:
    return f"throttle:{key}:{int(timezone.now().timestamp() // window_seconds)}"


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once `limit` hits fell in the current window."""
    if limit <= 0:
        return True
    slot = _slot(key, window_seconds)
    if cache.add(slot, 1, window_seconds + 5):
        return True
    try:
        count = cache.incr(slot)
    except ValueError:  # expired between add and incr
        cache.set(slot, 1, window_seconds + 5)
        return True
    return count <= limit


def hits(key: str, window_seconds: int) -> int:
    """The hits counted on `key` in the current window (counting none)."""
    return cache.get(_slot(key, window_seconds)) or 0


def client_address(request) -> str:
    """The client's address. Behind the proxy (`DUBAN_BEHIND_PROXY`, which also sets
    SECURE_PROXY_SSL_HEADER) it is the last X-Forwarded-For hop, the one the proxy appended: the
    hops before it are whatever the client sent, and a client could name a new one each time."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
