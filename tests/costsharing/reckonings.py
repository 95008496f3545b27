"""Reckonings with chosen figures, reached through the services only (issue 10: "tests reach states only through
services"; STYLE.md rule 3).

Tests of invoicing need an approved reckoning whose lines carry given shares and advances. Instead of writing lines
and setting ``status`` by hand, the region gets real inputs that produce exactly those figures: a key with fixed
weights equal to the wanted shares, one actual cost line of their sum (split by the largest remainder, so exact) and
the advances. The reckoning is then computed and approved by ``request_reckoning``, ``perform_reckoning`` and
``approve_reckoning``; a correction version comes from changed inputs and a re-run, as in production.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from costsharing import services
from costsharing.models import (
    ActualCostLine,
    AllocationKey,
    Basis,
    CategoryKey,
    Fee,
    FeeOrigin,
    KeyShare,
    KeyVersion,
    Reckoning,
)

CATEGORY = "legal"


def _set_inputs(region, year: int, figures: dict) -> None:
    """Make the inputs of ``region`` for ``year`` give ``figures`` ({municipality: (share, advances)})."""
    key, _created = AllocationKey.objects.unrestricted().get_or_create(
        region=region, code="test-afrekening", defaults={"name": "Sleutel van de test"}
    )
    CategoryKey.objects.unrestricted().get_or_create(region=region, category=CATEGORY, defaults={"key": key})
    version, _created = KeyVersion.objects.unrestricted().get_or_create(
        key=key, valid_from=date(year, 1, 1), defaults={"basis": Basis.FIXED}
    )
    KeyShare.objects.unrestricted().filter(version=version).delete()
    # The fee charged for the year (WM-DVO 6.1), here as if invoiced outside the product; what the settlement
    # subtracts (WM-SO 6.7). A bulk delete: the test replaces its own inputs, a fee itself never changes.
    Fee.objects.unrestricted().filter(region=region, year=year).delete()
    ActualCostLine.objects.unrestricted().filter(region=region, year=year).delete()
    for municipality, (share, advances) in figures.items():
        KeyShare.objects.unrestricted().create(version=version, municipality=municipality, weight=Decimal(share))
        Fee.objects.create(
            region=region,
            municipality=municipality,
            year=year,
            amount=Decimal(advances),
            origin=FeeOrigin.OUTSIDE,
            reference="test",
        )
    ActualCostLine.objects.unrestricted().create(
        region=region,
        date=date(year, 3, 1),
        category=CATEGORY,
        description="kosten van de test",
        amount=sum((Decimal(share) for share, _advances in figures.values()), Decimal("0.00")),
    )


def _compute_and_approve(user, reckoning_id: int) -> Reckoning:
    computed = services.perform_reckoning(reckoning_id=reckoning_id)
    assert computed.run_state == Reckoning.RunState.DONE, computed.error
    return services.approve_reckoning(user=user, reckoning=computed)


def approved_reckoning(*, user, region, year: int, figures: dict) -> Reckoning:
    """An approved reckoning of ``region`` whose lines are ``figures`` ({municipality: (share, advances)})."""
    _set_inputs(region, year, figures)
    reckoning = services.request_reckoning(user=user, region=region, year=year, start=False)
    return _compute_and_approve(user, reckoning.pk)


def approved_correction(*, user, reckoning: Reckoning, figures: dict) -> Reckoning:
    """The next version of an approved (or settled) ``reckoning`` after its inputs changed to ``figures``: computed
    as a correction version (its lines know the previous shares) and approved."""
    _set_inputs(reckoning.region, reckoning.year, figures)
    correction = services.perform_reckoning(reckoning_id=reckoning.pk)
    assert correction.version == reckoning.version + 1, correction
    return services.approve_reckoning(user=user, reckoning=correction)
