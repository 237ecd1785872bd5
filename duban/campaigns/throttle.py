"""Fixed-window rate limits kept in the cache: cheap enough to refuse a flood before any database work."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def allow(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; False once `limit` hits fell in the current window."""
    if limit <= 0:
        return True
    slot = f"throttle:{key}:{int(timezone.now().timestamp() // window_seconds)}"
    if cache.add(slot, 1, window_seconds + 5):
        return True
    try:
        count = cache.incr(slot)
    except ValueError:  # expired between add and incr
        cache.set(slot, 1, window_seconds + 5)
        return True
    return count <= limit


def client_address(request) -> str:
    """The client's address; the first X-Forwarded-For hop only behind a trusted proxy."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
