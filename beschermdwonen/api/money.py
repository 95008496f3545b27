"""The money API of beschermd wonen (issue 13 part B), read only:

* ``GET /api/v1/beschermd-wonen/financing/?region=CODE&year=YYYY``: the financing of existing clients (WM-DVO annex 3
  §2): ``{"year", "budget", "lines": [{"municipality", "client_costs", "historical", "objective"}]}``, plus the
  objective model's start, the new clients' costs per member (annex 3 §3) and ``new_clients_budget``: the
  Maastricht budget for new clients (annex 3 §1, track 1) with what it financed per member and the rest;
* ``GET /api/v1/beschermd-wonen/fees/?region=CODE&year=YYYY``: per member the counts of notifications and running
  indications, unit prices and amounts (annex 1).

Amounts are strings with two decimals. Bad input answers 400 in Dutch; a region the user does not see, 404; a user
without a Wmo role (a supervisor), 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from beschermdwonen import fees as fee_services
from beschermdwonen import financing as financing_services
from beschermdwonen.new_track import new_track
from regio.api.params import parse_year, visible_region
from regio.models import Region
from regio.tenancy import TenantViewSetMixin

PARAMETERS = [
    OpenApiParameter("region", str, required=True, description="regiocode"),
    OpenApiParameter("year", int, required=True, description="jaar"),
]


def _money(value) -> str:
    return f"{value:.2f}"


def _region_and_year(request) -> tuple[Region, int]:
    year = parse_year(request.query_params.get("year"))
    region = visible_region(request.user, (request.query_params.get("region") or "").strip()[:60])
    return region, year


def _answer(fn):
    try:
        return fn()
    except DjangoValidationError as exc:
        raise ValidationError({"detail": exc.messages}) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


class FinancingViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """Financing of existing clients per member (WM-DVO annex 3 §2-3)."""

    queryset = Region.objects.all()
    pagination_class = None

    @extend_schema(parameters=PARAMETERS, responses={200: dict})
    def list(self, request):
        region, year = _region_and_year(request)
        result = _answer(lambda: financing_services.financing(user=request.user, region=region, year=year))
        track = new_track(financing=result)
        return Response(
            {
                "region": region.code,
                "year": year,
                "budget": _money(result.budget_amount),
                "budget_source": result.budget.source if result.budget else None,
                "budget_version": result.budget.version if result.budget else None,
                "objective_model_start": result.objective_start,
                "lines": [
                    {
                        "municipality": line.municipality.code,
                        "client_costs": _money(line.client_costs),
                        "historical": _money(line.historical),
                        "objective": _money(line.objective),
                    }
                    for line in result.lines
                ],
                "new_clients": [
                    {"municipality": m.code, "client_costs": _money(amount)} for m, amount in result.new_clients
                ],
                # Annex 3 §1 track 1: the Maastricht budget for new clients against what it financed.
                "new_clients_budget": {
                    "budget": _money(track.budget_amount),
                    "budget_source": track.budget.source if track.budget else None,
                    "budget_version": track.budget.version if track.budget else None,
                    "spent": _money(track.total_spent),
                    "rest": _money(track.rest),
                    "lines": [{"municipality": m.code, "spent": _money(amount)} for m, amount in track.spent],
                },
            }
        )


class FeeViewSet(TenantViewSetMixin, viewsets.GenericViewSet):
    """Access fees per member (WM-DVO annex 1; annex 2 §2)."""

    queryset = Region.objects.all()
    pagination_class = None

    @extend_schema(parameters=PARAMETERS, responses={200: dict})
    def list(self, request):
        region, year = _region_and_year(request)
        result = _answer(lambda: fee_services.fees(user=request.user, region=region, year=year))
        return Response(
            {
                "region": region.code,
                "year": year,
                "objective_model_start": result.objective_start,
                "prices_known": result.prices_known,
                "members": [
                    {
                        "municipality": member.municipality.code,
                        "lines": [
                            {
                                "kind": line.kind,
                                "count": str(line.quantity.normalize()) if line.quantity else "0",
                                "unit_price": _money(line.unit_price),
                                "amount": _money(line.amount),
                            }
                            for line in member.lines
                        ],
                        "total": _money(member.total),
                    }
                    for member in result.members
                ],
            }
        )
