"""Serializers of the invoicing API; amounts are strings (COERCE_DECIMAL_TO_STRING), never floats."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from costsharing.invoicing.interest import KINDS
from costsharing.invoicing.models import Invoice, InvoiceDocument, InvoiceLine, Payment


class StatutoryInterestRequestSerializer(serializers.Serializer):
    principal = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.00"),
        error_messages={
            "min_value": "De hoofdsom mag niet negatief zijn.",
            "invalid": "Geef een bedrag, zoals 10000.00.",
        },
    )
    kind = serializers.ChoiceField(
        choices=KINDS,
        default="non-commercial",
        error_messages={"invalid_choice": "Kies 'non-commercial' (art. 6:119 BW) of 'commercial' (art. 6:119a BW)."},
    )

    def get_fields(self):
        fields = super().get_fields()
        # "from" and "to" are Python keywords, so they are declared here.
        date_errors = {"invalid": "Geef een datum als JJJJ-MM-DD.", "required": "Dit veld is verplicht."}
        fields["from"] = serializers.DateField(error_messages=date_errors)
        fields["to"] = serializers.DateField(error_messages=date_errors)
        return fields

    def validate(self, attrs):
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": "De begindatum ligt na de einddatum."})
        return attrs


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "description",
            "quantity",
            "unit",
            "unit_price",
            "vat_rate",
            "total_excl",
            "source_type",
            "source_id",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["amount", "paid_on", "reference"]


class InvoiceSerializer(serializers.ModelSerializer):
    issuer = serializers.CharField(source="issuer.code", read_only=True)
    recipient = serializers.CharField(source="recipient.code", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    credit_for = serializers.CharField(source="credit_for.number", read_only=True, default=None)
    lines = InvoiceLineSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    vat_breakdown = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()
    pdf_status = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "status",
            "subject",
            "region",
            "issuer",
            "recipient",
            "invoice_date",
            "period_start",
            "period_end",
            "payment_term_days",
            "due_on",
            "total_excl",
            "total_vat",
            "total_incl",
            "vat_breakdown",
            "paid",
            "credit_for",
            "credit_reason",
            "mandate_reference",
            "interest_kind",
            "overdue_on",
            "reminded_on",
            "reminder_due_on",
            "interest_claimed_on",
            "issuer_details",
            "recipient_details",
            "lines",
            "payments",
            "pdf_status",
        ]
        read_only_fields = fields

    def get_vat_breakdown(self, invoice) -> list[dict]:
        return [
            {"rate": g["rate"], "category": g["category"], "base": f"{g['base']:.2f}", "vat": f"{g['vat']:.2f}"}
            for g in invoice.vat_breakdown(list(invoice.lines.all()))
        ]

    def get_paid(self, invoice) -> str:
        return f"{sum((p.amount for p in invoice.payments.all()), Decimal('0.00')):.2f}"

    def get_pdf_status(self, invoice) -> str | None:
        for document in invoice.documents.all():
            if document.kind == "invoice":
                return document.status
        return None


class DocumentStatusSerializer(serializers.ModelSerializer):
    invoice = serializers.CharField(source="invoice.number")

    class Meta:
        model = InvoiceDocument
        fields = ["invoice", "kind", "status", "error", "attempts", "rendered_at"]


class PaymentInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": "Een betaling is een positief bedrag.", "invalid": "Geef een bedrag."},
    )
    paid_on = serializers.DateField(error_messages={"invalid": "Geef een datum als JJJJ-MM-DD."})
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
