"""The flood guard of the development table's public pages (MH 6): at most ``INKOOP_PUBLIC_RATE`` submissions per
client address per window (default "10/h"), page and API alike. The count lives in the Django cache under a key of
the address and the current window, so nothing of the sender is stored in the database; every attempt counts, also
an invalid one."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

WINDOWS = {"m": 60, "h": 3600, "d": 86400}


def limit() -> tuple[int, int]:
    text = str(getattr(settings, "INKOOP_PUBLIC_RATE", "10/h"))
    count, _sep, unit = text.partition("/")
    return int(count), WINDOWS.get(unit.strip()[:1], 3600)


def attempt(request) -> bool:
    """Count one attempt of the request's address; False once the address used up its window."""
    allowed, seconds = limit()
    window = int(time.time() // seconds)
    address = request.META.get("REMOTE_ADDR") or "-"
    key = f"inkoop:public:{address}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr: this attempt opens a new count
        cache.set(key, 1, timeout=seconds + 1)
        used = 1
    return used <= allowed
