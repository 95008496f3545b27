"""Serializers of the beschermd-wonen API. No name, no BSN out: a BSN that comes in is write-only and becomes its
pseudonym in the service; error messages never repeat it."""

from __future__ import annotations

from rest_framework import serializers

from beschermdwonen.models import (
    Assessment,
    AssessmentHours,
    Client,
    Delivery,
    Indication,
    IndicationProduct,
    Notification,
    NotificationKind,
    RegionSetting,
    Residence,
)
from regio.bounds import PlausibleDate
from regio.privacy import no_bsn


class ResidenceSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")
    municipality_name = serializers.CharField(source="municipality.name")

    class Meta:
        model = Residence
        fields = ["municipality", "municipality_name", "valid_from", "valid_to"]


class ClientSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    residences = ResidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Client
        fields = ["reference", "region", "birth_year", "closed_on", "reduced_on", "residences"]


class ClientCreateSerializer(serializers.Serializer):
    region = serializers.SlugField(max_length=60)
    municipality = serializers.RegexField(
        r"^GM\d{4}$", max_length=6, error_messages={"invalid": "Een CBS-code, bijvoorbeeld GM1883."}
    )
    valid_from = serializers.DateField(validators=[PlausibleDate()])
    reference = serializers.CharField(max_length=40, required=False, allow_blank=True, validators=[no_bsn])
    # A BSN from the municipal message traffic: pseudonymised at the door, never stored or returned.
    bsn = serializers.CharField(max_length=20, required=False, allow_blank=True, write_only=True)
    birth_year = serializers.IntegerField(required=False, allow_null=True, min_value=1900, max_value=2100)


class NotificationSerializer(serializers.ModelSerializer):
    client = serializers.CharField(source="client.reference")
    municipality = serializers.CharField(source="municipality.code")

    class Meta:
        model = Notification
        fields = ["id", "client", "notified_on", "kind", "municipality", "notified_by"]


class NotificationCreateSerializer(serializers.Serializer):
    client = serializers.CharField(max_length=40, validators=[no_bsn])
    notified_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    kind = serializers.ChoiceField(
        choices=NotificationKind.choices, error_messages={"invalid_choice": "Kies intramural of extramural."}
    )
    notified_by = serializers.CharField(max_length=150, validators=[no_bsn])


class AssessmentHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentHours
        fields = ["function", "scale", "hours"]


class AssessmentSerializer(serializers.ModelSerializer):
    """The assessment without its conversation report: that is served only to the access team, by the page."""

    notification = serializers.IntegerField(source="notification_id")
    client = serializers.CharField(source="notification.client.reference")
    consultation_requested_by = serializers.CharField(source="consultation_requested_by.code", default=None)
    hours = AssessmentHoursSerializer(many=True, read_only=True)
    has_report = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "notification",
            "client",
            "advice_kind",
            "advice_cost",
            "consultation_hours",
            "consultation_requested_by",
            "hours",
            "has_report",
        ]

    def get_has_report(self, obj) -> bool:
        return bool(obj.report)


class IndicationSerializer(serializers.ModelSerializer):
    """An indication; ``existing_by_indication`` / ``existing_by_start`` answer annex 3 §1 and §2-3 for the region's
    objective-model start date (``None`` start: every client is existing)."""

    client = serializers.CharField(source="client.reference")
    decided_by = serializers.CharField(source="decided_by.code")
    responsible_municipality = serializers.CharField(source="responsible_municipality.code")
    existing_by_indication = serializers.SerializerMethodField()
    existing_by_start = serializers.SerializerMethodField()

    class Meta:
        model = Indication
        fields = [
            "id",
            "client",
            "product",
            "decided_on",
            "care_start",
            "ends_on",
            "decided_by",
            "responsible_municipality",
            "delivery",
            "own_contribution_reported_on",
            "existing_by_indication",
            "existing_by_start",
        ]

    def _start(self, obj):
        starts = self.context.setdefault("objective_starts", {})
        if obj.client.region_id not in starts:
            starts[obj.client.region_id] = RegionSetting.objective_start_for(obj.client.region_id)
        return starts[obj.client.region_id]

    def get_existing_by_indication(self, obj) -> bool:
        return obj.is_existing_by_indication(self._start(obj))

    def get_existing_by_start(self, obj) -> bool:
        return obj.is_existing_by_start(self._start(obj))


class IndicationCreateSerializer(serializers.Serializer):
    client = serializers.CharField(max_length=40, validators=[no_bsn])
    product = serializers.ChoiceField(
        choices=IndicationProduct.choices,
        error_messages={"invalid_choice": "Kies arrangement, begeleiding, bb_basis, bb_intensief of intramuraal."},
    )
    decided_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    care_start = serializers.DateField(validators=[PlausibleDate()])
    ends_on = serializers.DateField(required=False, allow_null=True, validators=[PlausibleDate()])
    decided_by = serializers.CharField(required=False, allow_blank=True, max_length=10)
    delivery = serializers.ChoiceField(
        choices=Delivery.choices, required=False, error_messages={"invalid_choice": "Kies in_kind of pgb."}
    )
    own_contribution_reported_on = serializers.DateField(
        required=False, allow_null=True, validators=[PlausibleDate(not_in_future=True)]
    )
