"""The public Meldpunt's flood guard: at most ``TOEZICHT_MELDPUNT_RATE`` reports per client address (e.g. "5/h"),
counted in the Django cache, shared by the page and the API. Every attempt counts, also an invalid one: a flood of
bad input is a flood too."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate() -> tuple[int, int]:
    """``TOEZICHT_MELDPUNT_RATE`` as (attempts, seconds): "5/h" → (5, 3600)."""
    count, _slash, period = settings.TOEZICHT_MELDPUNT_RATE.partition("/")
    return int(count), _PERIODS[period.strip()[:1] or "h"]


def client_address(request) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client sends unless a trusted proxy sets REMOTE_ADDR for us.
    return request.META.get("REMOTE_ADDR", "") or "onbekend"


def allow(request) -> bool:
    """Count this attempt; False when the address has used up its attempts in the current window."""
    limit, seconds = rate()
    key = f"toezicht:meldpunt:{client_address(request)}"
    if cache.add(key, 1, timeout=seconds):
        return limit >= 1
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        used = 1
    return used <= limit
