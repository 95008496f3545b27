"""Shared by the cost-sharing services: the coordinator check (SPEC §1) and the constant 100. Articles: SPEC §1,
WM-SO 4.12, BNO 5.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied

from regio.models import Region
from regio.tenancy import CHANGE, can

HUNDRED = Decimal("100")


# --- Permissions -------------------------------------------------------------------------------------------------


def require_coordinator(user, region: Region) -> None:
    """Only staff of the coordinating municipality act for the region (SPEC §1; WM-SO 4.12, BNO 5); a job passes
    ``system_actor`` (Celery beat), a missing user raises."""
    if not can(user, CHANGE, region):
        raise PermissionDenied("Alleen medewerkers van de coördinerende gemeente mogen dit doen.")
