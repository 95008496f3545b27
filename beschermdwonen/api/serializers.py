"""Serializers of the beschermd-wonen API. No name, no BSN out: a BSN that comes in is write-only and becomes its
pseudonym in the service; error messages never repeat it."""

from __future__ import annotations

from rest_framework import serializers

from beschermdwonen.models import Assessment, AssessmentHours, Client, Notification, NotificationKind, Residence
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
