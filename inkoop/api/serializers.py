"""Serializers of the purchasing API (issue 16). Input serializers validate shape and bounds in Dutch; the rules
are in ``inkoop.services``."""

from __future__ import annotations

from rest_framework import serializers

from inkoop.models import ConsentDecision, Domain, FrameworkContract, MemberConsent, Provider
from inkoop.models.providers import validate_agb, validate_kvk, validate_vat
from regio.bounds import PlausibleDate


class ProviderSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    domains = serializers.ListField(child=serializers.CharField(), read_only=True)
    complete = serializers.BooleanField(read_only=True)

    class Meta:
        model = Provider
        fields = [
            "id",
            "region",
            "name",
            "kvk_number",
            "vat_number",
            "agb_code",
            "city",
            "website",
            "domains",
            "in_kind",
            "personal_budget",
            "active",
            "complete",
        ]


class ProviderInSerializer(serializers.Serializer):
    """A new provider (POST, ``region`` required) or a change (PATCH, every field optional)."""

    region = serializers.SlugField(max_length=60, required=False)
    name = serializers.CharField(max_length=200)
    kvk_number = serializers.CharField(max_length=20, validators=[validate_kvk])
    vat_number = serializers.CharField(max_length=30, required=False, allow_blank=True, validators=[validate_vat])
    agb_code = serializers.CharField(max_length=20, required=False, allow_blank=True, validators=[validate_agb])
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    domains = serializers.ListField(
        child=serializers.ChoiceField(choices=Domain.choices), min_length=1, max_length=len(Domain.values)
    )
    in_kind = serializers.BooleanField(required=False, default=True)
    personal_budget = serializers.BooleanField(required=False, default=False)
    active = serializers.BooleanField(required=False, default=True)


class ConsentSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    document = serializers.CharField(source="document.title", read_only=True, default=None)
    mandate = serializers.IntegerField(source="mandate_id", read_only=True)

    class Meta:
        model = MemberConsent
        fields = ["municipality", "municipality_name", "decision", "decided_on", "document", "mandate", "note"]


class ContractSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    provider = serializers.IntegerField(source="provider_id", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    notice_deadline = serializers.DateField(read_only=True)
    consents = ConsentSerializer(many=True, read_only=True)

    class Meta:
        model = FrameworkContract
        fields = [
            "reference",
            "region",
            "provider",
            "provider_name",
            "title",
            "status",
            "starts_on",
            "ends_on",
            "extension_options",
            "extension_months",
            "extensions_used",
            "notice_months",
            "notice_deadline",
            "signed_on",
            "refused_on",
            "refusal_reason",
            "consents",
        ]


class ContractInSerializer(serializers.Serializer):
    region = serializers.SlugField(max_length=60)
    provider = serializers.IntegerField(min_value=1)
    reference = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=200)
    starts_on = serializers.DateField(validators=[PlausibleDate()])
    ends_on = serializers.DateField(validators=[PlausibleDate()])
    extension_options = serializers.IntegerField(min_value=0, max_value=10, default=0)
    extension_months = serializers.IntegerField(min_value=1, max_value=60, default=12)
    notice_months = serializers.IntegerField(min_value=0, max_value=36, default=6)


class ConsentInSerializer(serializers.Serializer):
    """A member's written decision (WM-SO 4.11): multipart, with the PDF as ``document``."""

    municipality = serializers.CharField(max_length=6)
    decision = serializers.ChoiceField(choices=ConsentDecision.choices)
    decided_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])
    document = serializers.FileField(required=False, allow_empty_file=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class SignInSerializer(serializers.Serializer):
    signed_on = serializers.DateField(validators=[PlausibleDate(not_in_future=True)])


class SigningSerializer(serializers.Serializer):
    reference = serializers.CharField()
    may_sign = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())
