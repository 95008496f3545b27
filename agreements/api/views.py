"""API of agreements, mandates, deadlines and the weighted vote (issue #4). Every queryset is restricted to what the
user may see (regio.tenancy); another tenant's agreement or region answers 404. Errors are JSON in Dutch."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from agreements import selectors
from agreements.api.serializers import (
    AgreementSerializer,
    DeadlineSerializer,
    ExitDateQuerySerializer,
    MandateSerializer,
    WeightedVoteSerializer,
)
from agreements.models import Agreement, Mandate
from agreements.services import VoteError, earliest_exit, has_weighted_vote, voters_of, weighted_vote
from regio.bounds import parse_year
from regio.deadlines import deadlines_for
from regio.formatting import format_date
from regio.models import PopulationFigure, Region
from regio.tenancy import VIEW, TenantPermission, TenantViewSetMixin, get_for_user_or_404

AGREEMENT_CODE_REGEX = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"


class AgreementFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__code", label="regiocode")
    kind = filters.CharFilter(field_name="kind", label="soort")

    class Meta:
        model = Agreement
        fields = ["region", "kind"]


class AgreementViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Agreements by code (e.g. WM-SO-2025) with parties, dates and exit rules; only those of the user's regions."""

    queryset = Agreement.objects.all()
    serializer_class = AgreementSerializer
    lookup_field = "code"
    lookup_value_regex = AGREEMENT_CODE_REGEX
    filterset_class = AgreementFilter

    def get_queryset(self):
        return selectors.with_parties(super().get_queryset(), user=self.request.user).prefetch_related(
            "meeting_requirements"
        )

    @extend_schema(
        parameters=[OpenApiParameter("notice_received", str, description="datum als JJJJ-MM-DD", required=True)],
        responses={200: dict, 400: dict},
        description="Vroegste uittredingsdatum bij een opzegging ontvangen op de gegeven datum, met de artikelen.",
    )
    @action(detail=True, methods=["get"], url_path="exit-date", url_name="exit-date")
    def exit_date(self, request, code=None):
        agreement = self.get_object()
        query = ExitDateQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return Response(query.errors, status=status.HTTP_400_BAD_REQUEST)
        received = query.validated_data["notice_received"]
        if received < agreement.effective_from:
            message = (
                f"{agreement.code} is pas in werking per {format_date(agreement.effective_from)}: een opzegging "
                "daarvóór bestaat niet."
            )
            return Response({"notice_received": [message]}, status=status.HTTP_400_BAD_REQUEST)
        result = earliest_exit(agreement=agreement, notice_received=received)
        return Response(
            {
                "agreement": agreement.code,
                "notice_received": received.isoformat(),
                "earliest_exit": result.date.isoformat() if result.date else None,
                "explanation": result.explanation,
                "decidable": result.decidable,
                "obligations_until": result.obligations_until.isoformat() if result.obligations_until else None,
                "articles": list(result.articles),
            }
        )

    @extend_schema(
        responses={200: dict},
        description=(
            "De afrekenkalender van de overeenkomst: vorm (wm of bno), stappen met dag, betreffend jaar en de "
            "artikelen (WM-SO 6.7, WM-DVO 6.1; BNO 10.5-10.6, 11.1). 404 als de overeenkomst geen kalender heeft."
        ),
    )
    @action(detail=True, methods=["get"], url_path="calendar", url_name="calendar")
    def calendar(self, request, code=None):
        from agreements.settlement_calendar import calendar_payload

        agreement = self.get_object()
        payload = calendar_payload(request.user, agreement)
        if payload is None:
            return Response(
                {"detail": f"Overeenkomst {agreement.code} heeft geen afrekenkalender."},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(payload)


class MandateFilter(filters.FilterSet):
    agreement = filters.CharFilter(field_name="agreement__code", label="code overeenkomst")
    mandating = filters.CharFilter(field_name="mandating__code", label="CBS-code mandaatgever")
    mandated = filters.CharFilter(field_name="mandated__code", label="CBS-code gemandateerde")

    class Meta:
        model = Mandate
        fields = ["agreement", "mandating", "mandated"]


class MandateViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The register of mandates (WM-SO 4.12, 15.3; BNO 5) of the user's regions."""

    queryset = Mandate.objects.all()
    serializer_class = MandateSerializer
    filterset_class = MandateFilter

    def get_queryset(self):
        return selectors.mandates_with_parties(super().get_queryset())


class DeadlineListView(APIView):
    """What is due for the current user's municipality: the next 90 days, overdue first."""

    permission_classes = [TenantPermission]

    @extend_schema(responses={200: DeadlineSerializer(many=True)})
    def get(self, request):
        items = [
            {
                "key": x.key,
                "title": x.title,
                "due": x.due,
                "overdue": x.overdue,
                "source": x.source,
                "article": x.article,
                "url": x.url,
            }
            for x in deadlines_for(request.user)
        ]
        return Response(DeadlineSerializer(items, many=True).data)


class WeightedVoteView(APIView):
    """BNO 6.2: GET shows who votes with which population on 1 January of ``?year=``; POST counts a vote."""

    permission_classes = [TenantPermission]
    # Counting stores nothing: whoever may see the region may count (its POST is a read).
    method_actions = {"POST": VIEW}

    def _region(self, request, code: str) -> Region:
        return get_for_user_or_404(Region.objects.visible_to(request.user), request.user, VIEW, code=code)

    @staticmethod
    def _require_rule(region: Region) -> None:
        """Only where an agreement has the rule (a centrumregeling, BNO 6.2); bad input is answered (400) first."""
        if not has_weighted_vote(region):
            raise NotFound(f"{region.name} kent geen gewogen stemming: die regelt alleen een centrumregeling.")

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="jaar van de inwonertallen (1 januari)")],
        responses={200: dict},
    )
    def get(self, request, code: str):
        region = self._region(request, code)
        try:
            year = parse_year(request.query_params.get("year"), default=timezone.localdate().year, field="year")
        except ValidationError as exc:
            return Response(exc.message_dict, status=400)
        self._require_rule(region)
        voters = voters_of(region=region, year=year)
        figures = dict(
            PopulationFigure.objects.unrestricted()  # the region was restricted above; figures are public CBS data
            .filter(municipality__in=voters, reference_date=f"{year}-01-01")
            .values_list("municipality_id", "inhabitants")
        )
        return Response(
            {
                "region": region.code,
                "year": year,
                "rule": "Aangenomen als de gemeenten die voor stemmen meer dan de helft van de inwoners op 1 januari "
                "hebben en ten minste vier zijn (BNO 6.2).",
                "voters": [{"code": m.code, "name": m.name, "inhabitants": figures.get(m.pk)} for m in voters],
            }
        )

    @extend_schema(request=WeightedVoteSerializer, responses={200: dict, 400: dict})
    def post(self, request, code: str):
        region = self._region(request, code)
        payload = WeightedVoteSerializer(data=request.data)
        if not payload.is_valid():
            return Response(payload.errors, status=status.HTTP_400_BAD_REQUEST)
        self._require_rule(region)
        try:
            result = weighted_vote(region=region, **payload.validated_data)
        except VoteError as exc:
            return Response({"in_favour": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "adopted": result.adopted,
                "population_share": result.share_text,
                "in_favour_count": result.in_favour_count,
                "in_favour_population": result.in_favour_population,
                "total_population": result.total_population,
                "explanation": result.explanation,
            }
        )
