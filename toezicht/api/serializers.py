"""Serializers of toezicht's API. Input is checked again in the services (one place per rule, STYLE.md rule 1)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from regio.amounts import AmountSerializerField
from regio.privacy import no_bsn_validator
from toezicht.models import Funding, Signal, SignalKind, SignalSource, SupervisionKind, SupervisorAppointment


class AppointmentSerializer(serializers.ModelSerializer):
    supervisor = serializers.CharField(source="supervisor.__str__", read_only=True)
    appointing_municipality = serializers.CharField(source="appointing_municipality.code", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    municipalities = serializers.SerializerMethodField()
    mandates = serializers.SerializerMethodField()

    class Meta:
        model = SupervisorAppointment
        fields = [
            "id",
            "region",
            "supervisor",
            "kind",
            "appointing_municipality",
            "decision_date",
            "decision_reference",
            "municipalities",
            "mandates",
            "active_from",
            "active_until",
        ]
        read_only_fields = fields

    def get_municipalities(self, obj) -> list[str]:
        return [m.code for m in obj.municipalities.all()]

    def get_mandates(self, obj) -> list[dict]:
        return [{"id": m.pk, "mandating": m.mandating.code, "valid_from": m.valid_from} for m in obj.mandates.all()]


class HoursInSerializer(serializers.Serializer):
    municipality = serializers.CharField(max_length=6)
    week = serializers.DateField()
    hours = AmountSerializerField(decimals=2, minimum=Decimal("0"), maximum=Decimal("168"), number=True)


class SignalSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", read_only=True)

    class Meta:
        model = Signal
        fields = [
            "reference",
            "municipality",
            "received_on",
            "source",
            "provider_name",
            "kind",
            "funding",
            "description",
            "contact",
            "triage",
            "triage_reasons",
            "triaged_at",
        ]
        read_only_fields = fields


class MeldpuntSerializer(serializers.Serializer):
    """The public Meldpunt's input: the same fields as the form, nothing more (no BSN, contact optional)."""

    municipality = serializers.CharField(max_length=6)
    kind = serializers.ChoiceField(choices=SignalKind.choices)
    funding = serializers.ChoiceField(choices=Funding.choices, required=False, default=Funding.UNKNOWN)
    provider_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[no_bsn_validator]
    )
    description = serializers.CharField(max_length=5000, validators=[no_bsn_validator])
    contact = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[no_bsn_validator]
    )
    website = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AppointmentInSerializer(serializers.Serializer):
    """Appoint a supervisor (the coordinating municipality's staff): the same fields as the page."""

    region = serializers.CharField(max_length=60)
    supervisor = serializers.CharField(max_length=150, help_text="gebruikersnaam van de toezichthouder")
    kind = serializers.ChoiceField(choices=SupervisionKind.choices)
    decision_date = serializers.DateField()
    decision_reference = serializers.CharField(max_length=200)
    municipalities = serializers.ListField(child=serializers.CharField(max_length=6), min_length=1, max_length=100)
    active_from = serializers.DateField()
    active_until = serializers.DateField(required=False, allow_null=True, default=None)


class SignalInSerializer(serializers.Serializer):
    """A supervisor records a signal that reached them otherwise than through the Meldpunt."""

    municipality = serializers.CharField(max_length=6)
    received_on = serializers.DateField()
    source = serializers.ChoiceField(choices=SignalSource.choices)
    kind = serializers.ChoiceField(choices=SignalKind.choices)
    funding = serializers.ChoiceField(choices=Funding.choices, required=False, default=Funding.UNKNOWN)
    provider_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[no_bsn_validator]
    )
    description = serializers.CharField(max_length=5000, validators=[no_bsn_validator])
