"""API actions on one indication (issue 13): ``POST /api/v1/beschermd-wonen/indications/{id}/end/`` ends it and
``POST .../{id}/own-contribution/`` records when the own contribution was reported to the CAK (annex 2 §1). Only the
access team (as the other indication actions): another region's or member's indication answers 404, a member's
``bw`` staff that sees it 403, both before the input is read. Bad dates: 400 with Dutch field messages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from beschermdwonen import services
from beschermdwonen.api.serializers import IndicationSerializer
from regio.bounds import PlausibleDate
from regio.models import log_access
from regio.tenancy import CHANGE, can


class IndicationEndSerializer(serializers.Serializer):
    ends_on = serializers.DateField(validators=[PlausibleDate()], help_text="laatste dag van de zorg (jjjj-mm-dd)")


class OwnContributionSerializer(serializers.Serializer):
    reported_on = serializers.DateField(
        validators=[PlausibleDate(not_in_future=True)], help_text="datum van de melding aan het CAK (jjjj-mm-dd)"
    )


class IndicationActionsMixin:
    """Added to ``IndicationViewSet``. GET: the indication and whether this user may take the action now (as the
    reckoning's ``approve``); POST: take it. Both answer the indication as its serializer shows it."""

    def _answer(self, indication, may_act=None):
        if may_act is not None:  # a read of the indication
            log_access(
                user=self.request.user,
                obj=indication,
                municipality=indication.responsible_municipality,
                request=self.request,
            )
        data = dict(IndicationSerializer(indication).data)
        if may_act is not None:
            data["may_act"] = may_act
        return Response(data)

    @extend_schema(request=IndicationEndSerializer, responses={200: IndicationSerializer})
    @action(detail=True, methods=["get", "post"], url_path="end", url_name="end")
    def end(self, request, pk=None):
        indication = self.get_object()
        if request.method == "GET":
            return self._answer(indication, can(request.user, CHANGE, indication) and indication.ends_on is None)
        data = IndicationEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ended = services.end_indication(
            user=request.user, indication=indication, ends_on=data.validated_data["ends_on"]
        )
        return self._answer(ended)

    @extend_schema(request=OwnContributionSerializer, responses={200: IndicationSerializer})
    @action(detail=True, methods=["get", "post"], url_path="own-contribution", url_name="own-contribution")
    def own_contribution(self, request, pk=None):
        indication = self.get_object()
        if request.method == "GET":
            return self._answer(indication, can(request.user, CHANGE, indication))
        data = OwnContributionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reported = services.report_own_contribution(
            user=request.user, indication=indication, reported_on=data.validated_data["reported_on"]
        )
        return self._answer(reported)
