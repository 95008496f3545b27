"""Region A as the supervision region of issue 14: a1 (think Sittard-Geleen) coordinates and employs the
supervisor; a2 (think Beek) mandates a1's college for supervision (WM-DVO annex 4; WM-SO 4.12)."""

from __future__ import annotations

from datetime import date

from agreements.models import Agreement, Mandate
from regio.tenancy import forget_scope


def supervision_mandate(world, powers=("supervision",)) -> Mandate:
    agreement = Agreement.objects.create(
        code="A-SO-TZ",
        kind="samenwerkingsovereenkomst",
        title="Samenwerking regio A",
        region=world.a,
        coordinator=world.a1,
        effective_from=date(2025, 1, 1),
    )
    return Mandate.objects.create(
        agreement=agreement,
        mandating=world.a2,
        mandated=world.a1,
        mandated_body="college",
        powers=list(powers),
        valid_from=date(2025, 1, 1),
    )


def fresh(user):
    """The user as a new request would see it (scopes are cached per request)."""
    forget_scope(user)
    return user
