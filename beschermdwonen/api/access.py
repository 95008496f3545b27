"""The API of advice requests, disagreements and replacements (WM-DVO annex 2 §2-4), what the pages offer:

Each step action answers GET with the record (as its page shows it with the form) and runs on POST.

* ``/api/v1/beschermd-wonen/advice-requests/``: list, detail; ``POST`` (a member's ``bw`` staff asks through the
  intake format, annex 2 §4); ``POST {id}/advice/`` (the access team advises, §2: ``advised_on``,
  ``advice_begeleiding``, ``advice_bb``, ``advice_text``, optional ``client``); ``POST {id}/decision/`` (the member
  that asked records its own decision, §2);
* ``/api/v1/beschermd-wonen/disagreements/``: list, detail with its steps; ``POST`` (the access team opens one on a
  client, §4); ``POST {id}/steps/``; ``POST {id}/close/`` (only with an outcome);
* ``/api/v1/beschermd-wonen/replacements/``: list, detail; ``POST`` (the access team reports an untenable situation,
  §3); ``POST {id}/case-meeting/``, ``POST {id}/handover/``, ``POST {id}/close/`` (only after the warm hand-over).

Who sees what is the pages' rule (the restricted querysets); another region's record answers 404, an action the user
may not take on a record it sees 403, both before the input is read. Each call is one service call of
``beschermdwonen.services`` (the services the pages call); bad input answers 400 with Dutch field messages. Every
read of a record (detail, and the record an action answers with) is written to the access log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from beschermdwonen import selectors, services
from beschermdwonen.api import access_serializers as s
from beschermdwonen.models import AdviceRequest, Client, Disagreement, Replacement
from regio.models import log_access
from regio.tenancy import ADD, CHANGE, TenantPermission, TenantViewSetMixin, scope_of


class CreatePermission(TenantPermission):
    """A create names no object: only who may open such a record gets to its input (the view's ``may_create``)."""

    def has_permission(self, request, view) -> bool:
        if self.action(request, view) == ADD and not view.kwargs.get(view.lookup_url_kwarg or view.lookup_field):
            return view.may_create(request.user)
        return super().has_permission(request, view)


def _valid(serializer_class, request) -> dict:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _client(request, reference: str) -> Client:
    """A client of the user's register it may act on (the access team's); otherwise a field error, not a leak."""
    client = Client.objects.restrict(request.user, CHANGE).filter(reference=reference).first()
    if client is None:
        raise ValidationError({"client": ["Deze cliëntreferentie staat niet in uw register."]})
    return client


class _CaseViewSet(TenantViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """List, detail (logged) and create of one kind of case; the subclasses add the step actions."""

    permission_classes = [CreatePermission]
    serializer_class = None
    service_arg = ""  # the keyword the step services take the record by

    def may_create(self, user) -> bool:
        return selectors.is_access_team(user)

    def logged_municipality(self, obj):
        return None

    def answer(self, request, obj, code=status.HTTP_200_OK) -> Response:
        """The record as the detail shows it, its read logged (it is part of a client file)."""
        obj = self.get_queryset().get(pk=obj.pk)
        log_access(user=request.user, obj=obj, municipality=self.logged_municipality(obj), request=request)
        return Response(self.serializer_class(obj).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self.answer(request, self.get_object())

    def _step(self, request, service, serializer_class) -> Response:
        """A step that is one service call with the record (as ``service_arg``) and the validated input."""
        return self.step(
            request,
            lambda obj: service(user=request.user, **{self.service_arg: obj}, **_valid(serializer_class, request)),
        )

    def step(self, request, run, *, allowed=None, denied: str = "") -> Response:
        """A step action: GET shows the record (as the page shows it with its form), POST runs ``run(obj)`` (one
        service call). ``allowed(obj)`` says, before any input is read, who of those that may change the record
        takes this step (403 with ``denied`` otherwise)."""
        obj = self.get_object()
        if request.method == "POST":
            if allowed is not None and not allowed(obj):
                raise PermissionDenied(denied)
            run(obj)
        return self.answer(request, obj)


class AdviceRequestViewSet(_CaseViewSet):
    queryset = AdviceRequest.objects.all()
    serializer_class = s.AdviceRequestSerializer

    def may_create(self, user) -> bool:
        return bool(selectors.asking_regions(user))

    def logged_municipality(self, obj):
        return obj.requested_by

    def get_queryset(self):
        return (
            super().get_queryset().select_related("region", "requested_by", "client").order_by("-requested_on", "-pk")
        )

    @extend_schema(request=s.AdviceRequestCreateSerializer, responses={201: s.AdviceRequestSerializer})
    def create(self, request, *args, **kwargs):
        values = _valid(s.AdviceRequestCreateSerializer, request)
        regions = selectors.asking_regions(request.user)
        code = values.pop("region", "")
        region = next((r for r in regions if r.code == code), None) if code else regions[0]
        if region is None:
            raise ValidationError({"region": ["Uw gemeente vraagt in deze regio geen advies."]})
        advice = services.request_advice(user=request.user, region=region, **values)
        return self.answer(request, advice, status.HTTP_201_CREATED)

    @extend_schema(request=s.GiveAdviceSerializer, responses={200: s.AdviceRequestSerializer})
    @action(detail=True, methods=["get", "post"])
    def advice(self, request, pk=None):
        def run(advice):
            values = _valid(s.GiveAdviceSerializer, request)
            client = _client(request, values["client"]) if values.get("client") else None
            services.give_advice(
                user=request.user,
                advice=advice,
                advised_on=values["advised_on"],
                begeleiding=values["advice_begeleiding"],
                bb=values["advice_bb"],
                text=values["advice_text"],
                client=client,
            )

        allowed = lambda advice: services.is_team_for(request.user, advice.region)  # noqa: E731
        return self.step(request, run, allowed=allowed, denied=services.NOT_ACCESS_TEAM)

    @extend_schema(request=s.DecisionSerializer, responses={200: s.AdviceRequestSerializer})
    @action(detail=True, methods=["get", "post"])
    def decision(self, request, pk=None):
        def run(advice):
            values = _valid(s.DecisionSerializer, request)
            services.record_member_decision(user=request.user, advice=advice, **values)

        allowed = lambda advice: advice.requested_by_id == scope_of(request.user).municipality_id  # noqa: E731
        return self.step(request, run, allowed=allowed, denied=services.NOT_REQUESTER)


class DisagreementViewSet(_CaseViewSet):
    queryset = Disagreement.objects.all()
    serializer_class = s.DisagreementSerializer
    service_arg = "disagreement"

    def get_queryset(self):
        return super().get_queryset().select_related("client").prefetch_related("steps").order_by("-opened_on", "-pk")

    @extend_schema(request=s.DisagreementCreateSerializer, responses={201: s.DisagreementSerializer})
    def create(self, request, *args, **kwargs):
        values = _valid(s.DisagreementCreateSerializer, request)
        client = _client(request, values["client"])
        advice = None
        if values.get("advice_request"):
            advice = selectors.advice_requests_for(request.user).filter(pk=values["advice_request"]).first()
            if advice is None:
                raise ValidationError({"advice_request": ["Deze adviesvraag staat niet in uw register."]})
        case = services.open_disagreement(
            user=request.user, client=client, opened_on=values["opened_on"], subject=values["subject"], advice=advice
        )
        return self.answer(request, case, status.HTTP_201_CREATED)

    @extend_schema(request=s.StepSerializer, responses={200: s.DisagreementSerializer})
    @action(detail=True, methods=["get", "post"])
    def steps(self, request, pk=None):
        return self._step(request, services.add_disagreement_step, s.StepSerializer)

    @extend_schema(request=s.CloseDisagreementSerializer, responses={200: s.DisagreementSerializer})
    @action(detail=True, methods=["get", "post"])
    def close(self, request, pk=None):
        return self._step(request, services.close_disagreement, s.CloseDisagreementSerializer)


class ReplacementViewSet(_CaseViewSet):
    queryset = Replacement.objects.all()
    serializer_class = s.ReplacementSerializer
    service_arg = "replacement"

    def get_queryset(self):
        return super().get_queryset().select_related("client").order_by("reported_on", "pk")

    @extend_schema(request=s.ReplacementCreateSerializer, responses={201: s.ReplacementSerializer})
    def create(self, request, *args, **kwargs):
        values = _valid(s.ReplacementCreateSerializer, request)
        client = _client(request, values.pop("client"))
        replacement = services.report_untenable(user=request.user, client=client, **values)
        return self.answer(request, replacement, status.HTTP_201_CREATED)

    @extend_schema(request=s.CaseMeetingSerializer, responses={200: s.ReplacementSerializer})
    @action(detail=True, methods=["get", "post"], url_path="case-meeting", url_name="case-meeting")
    def case_meeting(self, request, pk=None):
        return self._step(request, services.plan_case_meeting, s.CaseMeetingSerializer)

    @extend_schema(request=s.HandoverSerializer, responses={200: s.ReplacementSerializer})
    @action(detail=True, methods=["get", "post"])
    def handover(self, request, pk=None):
        return self._step(request, services.record_handover, s.HandoverSerializer)

    @extend_schema(request=s.CloseReplacementSerializer, responses={200: s.ReplacementSerializer})
    @action(detail=True, methods=["get", "post"])
    def close(self, request, pk=None):
        return self._step(request, services.close_replacement, s.CloseReplacementSerializer)
