"""Costs that other apps book on the reckoning through ``regio.cost_bookings`` (agreements: the legal-advice costs of
a dispute that the parties put on the cooperation, WM-SO 14.3 with 6.1 c and g)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from costsharing.models import ActualCostLine, Category, Reckoning
from regio.formatting import format_date


@transaction.atomic
def book_external_cost(*, region, day: date, category: str, description: str, amount: Decimal, reference: str) -> str:
    """One actual cost line of the region's year of ``day`` (WM-SO 6.3, 6.7); once per ``reference``. A year whose
    reckoning is approved or settled never changes (STYLE.md rule 8): book it in a later year."""
    if category not in {Category.LEGAL, Category.DISPUTE_ADVICE}:
        raise ValidationError(f"Onbekende kostensoort '{category}'.")
    if not isinstance(amount, Decimal) or amount <= 0:
        raise ValidationError("Het bedrag moet groter zijn dan € 0,00.")
    lines = ActualCostLine.objects.unrestricted("boeking namens een andere app, op de regio van het geschil")
    existing = lines.filter(region=region, source=reference).first()
    if existing is not None:
        return str(existing.pk)
    frozen = (
        Reckoning.objects.unrestricted("is het jaar al vastgesteld?")
        .filter(region=region, year=day.year)
        .exclude(status=Reckoning.Status.DRAFT)
        .exists()
    )
    if frozen:
        raise ValidationError(
            f"De afrekening {day.year} van {region.name} is al vastgesteld; boek de kosten op een datum in een later "
            f"jaar (niet {format_date(day)})."
        )
    line = ActualCostLine(
        region=region,
        year=day.year,
        date=day,
        category=category,
        description=description[:300],
        amount=amount,
        source=reference[:300],
    )
    line.full_clean()
    line.save()
    return str(line.pk)
