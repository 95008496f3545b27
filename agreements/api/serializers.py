"""Serializers of the agreements API (issue #4). Natural keys in the output: agreement codes and CBS codes."""

from __future__ import annotations

from rest_framework import serializers

from agreements.models import VAT_CATEGORY, Agreement, Mandate, MeetingRequirement, Party
from regio.bounds import PlausibleDate

DATE_ERRORS = {
    "invalid": "Geef een datum als JJJJ-MM-DD, bijvoorbeeld 2027-06-01.",
    "required": "Dit veld is verplicht: geef een datum als JJJJ-MM-DD.",
    "null": "Dit veld is verplicht: geef een datum als JJJJ-MM-DD.",
}


class PartySerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Party
        fields = [
            "municipality",
            "name",
            "provider_name",
            "role",
            "signatory",
            "signatory_function",
            "represented_by",
            "college_decision_on",
            "signed_on",
            "joined_on",
            "left_on",
        ]


class MeetingRequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingRequirement
        fields = ["kind", "per_year", "article"]


class AgreementSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    coordinator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    replaces = serializers.SlugRelatedField(slug_field="code", read_only=True)
    elaborates = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    exit = serializers.SerializerMethodField()
    vat = serializers.SerializerMethodField()
    meeting_requirements = MeetingRequirementSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "code",
            "kind",
            "title",
            "citation_title",
            "region",
            "coordinator",
            "effective_from",
            "effective_until",
            "signed_on",
            "replaces",
            "replaces_text",
            "elaborates",
            "end_reason",
            "parties",
            "exit",
            "accession_rule",
            "amendment_rule",
            "consent_needs_council",
            "payment_term_days",
            "interest_kind",
            "vat",
            "meeting_requirements",
        ]

    def get_vat(self, obj: Agreement) -> dict:
        """The VAT treatment of the agreement's invoices (issue 12; WM-SO 6.8), with the EN 16931 category."""
        return {
            "rate": obj.vat_rate,
            "category": VAT_CATEGORY[obj.vat_rate],
            "reason": obj.vat_reason,
            "article": obj.vat_article,
            "exemption_code": obj.vat_exemption_code,
        }

    def get_exit(self, obj: Agreement) -> dict:
        fixed = (
            {"month": obj.exit_fixed_end_month, "day": obj.exit_fixed_end_day} if obj.exit_fixed_end_month else None
        )
        return {
            "first_possible_end": obj.exit_first_possible_end,
            "min_notice_months": obj.exit_min_notice_months,
            "fixed_end": fixed,
            "only_on": obj.exit_only_on,
            "min_months_after_decision": obj.exit_min_months_after_decision,
            "registered_letter": obj.exit_requires_registered_letter,
            "special_circumstances": obj.exit_requires_special_circumstances,
            "obligations_until": obj.exit_obligations_until,
            "obligations": obj.exit_obligations_text,
            "default_notice_days": obj.default_notice_days,
            "articles": obj.exit_citations or {},
        }


class ExitDateQuerySerializer(serializers.Serializer):
    notice_received = serializers.DateField(
        validators=[PlausibleDate()], input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS
    )

    def validate_notice_received(self, value):
        if not 1900 <= value.year <= 2200:
            raise serializers.ValidationError("Geef een datum tussen 1900 en 2200.")
        return value


class MandateSerializer(serializers.ModelSerializer):
    agreement = serializers.SlugRelatedField(slug_field="code", read_only=True)
    mandating = serializers.SlugRelatedField(slug_field="code", read_only=True)
    mandating_name = serializers.CharField(source="mandating.name", read_only=True)
    mandated = serializers.SlugRelatedField(slug_field="code", read_only=True)
    mandated_name = serializers.CharField(source="mandated.name", read_only=True)
    power_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Mandate
        fields = [
            "id",
            "agreement",
            "mandating",
            "mandating_name",
            "mandated",
            "mandated_name",
            "mandated_body",
            "powers",
            "power_labels",
            "detail",
            "sub_mandate_allowed",
            "sub_mandate_to",
            "legal_basis",
            "valid_from",
            "valid_until",
            "end_reason",
        ]


class WeightedVoteSerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=1900,
        max_value=2200,
        error_messages={
            "required": "Geef het jaar (de inwonertallen op 1 januari van dat jaar tellen).",
            "invalid": "Het jaar is een geheel getal, bijvoorbeeld 2018.",
            "min_value": "Geef een jaar vanaf 1900.",
            "max_value": "Geef een jaar tot 2200.",
            "null": "Geef het jaar.",
        },
    )
    in_favour = serializers.ListField(
        child=serializers.CharField(error_messages={"invalid": "Een CBS-code is tekst, bijvoorbeeld GM0828."}),
        allow_empty=True,
        error_messages={
            "required": "Geef de CBS-codes van de gemeenten die voor stemmen (in_favour).",
            "not_a_list": 'in_favour is een lijst van CBS-codes, bijvoorbeeld ["GM0828"].',
            "null": "Geef een lijst van CBS-codes.",
        },
    )


class DeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    due = serializers.DateField()
    overdue = serializers.BooleanField()
    source = serializers.CharField()
    article = serializers.CharField()
    url = serializers.CharField()
