"""Serializers of the API of advice requests, disagreements and replacements (WM-DVO annex 2 §2-4). Reading: the
records as the pages show them (pseudonymous references only). Writing: the input of one service call each; the
services check who may act and the rules (dates, the order of the steps), and answer in Dutch."""

from __future__ import annotations

from rest_framework import serializers

from beschermdwonen.models import AdviceRequest, Disagreement, DisagreementStep, MemberDecision, Replacement
from regio.bounds import PlausibleDate
from regio.privacy import no_bsn

TEXT = {"max_length": 4000, "validators": [no_bsn]}


class AdviceRequestSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    requested_by = serializers.CharField(source="requested_by.code")
    client = serializers.CharField(source="client.reference", default=None)
    status = serializers.CharField()

    class Meta:
        model = AdviceRequest
        fields = [
            "id",
            "region",
            "requested_by",
            "requested_on",
            "case_reference",
            "question",
            "situation",
            "current_support",
            "client",
            "status",
            "advised_on",
            "advice_begeleiding",
            "advice_bb",
            "advice_text",
            "decision",
            "decided_on",
            "decision_note",
        ]


class AdviceRequestCreateSerializer(serializers.Serializer):
    """The intake format (annex 2 §4); ``region`` only when the member's staff may ask in more than one region."""

    region = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    requested_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    case_reference = serializers.CharField(max_length=40, validators=[no_bsn])
    question = serializers.CharField(**TEXT)
    situation = serializers.CharField(**TEXT)
    current_support = serializers.CharField(required=False, allow_blank=True, **TEXT)


class GiveAdviceSerializer(serializers.Serializer):
    """The access team's advice (annex 2 §2: Begeleiding and B&B basis/intensief), named as the request shows it."""

    advised_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    advice_begeleiding = serializers.BooleanField(required=False, default=False)
    advice_bb = serializers.ChoiceField(
        choices=AdviceRequest._meta.get_field("advice_bb").choices,  # the model's: "", basis, intensief
        required=False,
        default="",
        error_messages={"invalid_choice": "Kies '', basis of intensief."},
    )
    advice_text = serializers.CharField(max_length=8000, validators=[no_bsn])
    client = serializers.CharField(max_length=40, required=False, allow_blank=True, validators=[no_bsn])


class DecisionSerializer(serializers.Serializer):
    """The member's own decision (annex 2 §2: "die zelfstandig een besluit neemt")."""

    decision = serializers.ChoiceField(
        choices=MemberDecision.choices,
        error_messages={"invalid_choice": "Kies followed, partly of not_followed."},
    )
    decided_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    note = serializers.CharField(required=False, allow_blank=True, **TEXT)


class DisagreementStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisagreementStep
        fields = ["taken_on", "step", "note"]


class DisagreementSerializer(serializers.ModelSerializer):
    client = serializers.CharField(source="client.reference")
    advice_request = serializers.IntegerField(source="advice_request_id", default=None)
    steps = DisagreementStepSerializer(many=True, read_only=True)

    class Meta:
        model = Disagreement
        fields = ["id", "client", "advice_request", "opened_on", "subject", "steps", "outcome", "closed_on"]


class DisagreementCreateSerializer(serializers.Serializer):
    client = serializers.CharField(max_length=40, validators=[no_bsn])
    opened_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    subject = serializers.CharField(**TEXT)
    advice_request = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)


class StepSerializer(serializers.Serializer):
    taken_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    step = serializers.CharField(max_length=150, validators=[no_bsn])
    note = serializers.CharField(required=False, allow_blank=True, **TEXT)


class CloseDisagreementSerializer(serializers.Serializer):
    closed_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    outcome = serializers.CharField(**TEXT)


class ReplacementSerializer(serializers.ModelSerializer):
    client = serializers.CharField(source="client.reference")
    age_days = serializers.SerializerMethodField()

    class Meta:
        model = Replacement
        fields = [
            "id",
            "client",
            "reported_on",
            "reason",
            "responsible_provider",
            "meeting_on",
            "invited_providers",
            "receiving_provider",
            "handover_on",
            "closed_on",
            "age_days",
        ]

    def get_age_days(self, obj) -> int:
        return obj.age_days()


class ReplacementCreateSerializer(serializers.Serializer):
    client = serializers.CharField(max_length=40, validators=[no_bsn])
    reported_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    reason = serializers.CharField(**TEXT)
    responsible_provider = serializers.CharField(max_length=200, validators=[no_bsn])


class CaseMeetingSerializer(serializers.Serializer):
    meeting_on = serializers.DateField(validators=[PlausibleDate()])
    invited_providers = serializers.CharField(max_length=2000, validators=[no_bsn])


class HandoverSerializer(serializers.Serializer):
    receiving_provider = serializers.CharField(max_length=200, validators=[no_bsn])
    handover_on = serializers.DateField(validators=[PlausibleDate()])


class CloseReplacementSerializer(serializers.Serializer):
    closed_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
