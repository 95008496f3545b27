"""Serializers of the invoicing API; amounts are strings (COERCE_DECIMAL_TO_STRING), never floats."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from invoicing.interest import KINDS
from invoicing.models import (
    Invoice,
    InvoiceDocument,
    InvoiceLine,
    Overpayment,
    Payment,
    Payout,
    SourceType,
    Unit,
    VatRate,
)
from regio.amounts import AmountSerializerField
from regio.bounds import PlausibleDate


class StatutoryInterestRequestSerializer(serializers.Serializer):
    principal = AmountSerializerField(minimum=Decimal("0.00"), error_messages={"required": "Dit veld is verplicht."})
    kind = serializers.ChoiceField(
        choices=KINDS,
        default="non-commercial",
        error_messages={"invalid_choice": "Kies 'non-commercial' (art. 6:119 BW) of 'commercial' (art. 6:119a BW)."},
    )

    def get_fields(self):
        fields = super().get_fields()
        # "from" and "to" are Python keywords, so they are declared here.
        date_errors = {"invalid": "Geef een datum als JJJJ-MM-DD.", "required": "Dit veld is verplicht."}
        fields["from"] = serializers.DateField(validators=[PlausibleDate()], error_messages=date_errors)
        fields["to"] = serializers.DateField(validators=[PlausibleDate()], error_messages=date_errors)
        return fields

    def validate(self, attrs):
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"from": "De begindatum ligt na de einddatum."})
        return attrs


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = [
            "id",
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


class PayoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payout
        fields = ["amount", "paid_on", "reference"]


class OverpaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Overpayment
        fields = ["id", "amount", "received_on", "reason", "reference", "refunded_on", "refund_reference"]
        read_only_fields = fields


class InvoiceSerializer(serializers.ModelSerializer):
    issuer = serializers.CharField(source="issuer.code", read_only=True)
    recipient = serializers.CharField(source="recipient.code", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    credit_for = serializers.CharField(source="credit_for.number", read_only=True, default=None)
    lines = InvoiceLineSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    payouts = PayoutSerializer(many=True, read_only=True)
    overpayments = OverpaymentSerializer(many=True, read_only=True)
    collection_costs = serializers.SerializerMethodField()
    vat_breakdown = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()
    pdf_status = serializers.SerializerMethodField()

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "document_type",
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
            "vat_rate",
            "vat_reason",
            "vat_article",
            "vat_exemption_code",
            "paid",
            "credit_for",
            "credit_reason",
            "credit_reference",
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
            "payouts",
            "overpayments",
            "collection_costs",
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

    def get_collection_costs(self, invoice) -> dict | None:
        from django.core.exceptions import ObjectDoesNotExist

        try:
            record = invoice.collection_cost  # select_related by the viewset
        except ObjectDoesNotExist:
            return None
        return {
            "amount": f"{record.amount:.2f}",
            "incurred_on": record.incurred_on.isoformat(),
            "basis": record.basis,
            "statutory_amount": f"{record.statutory_amount:.2f}",
        }

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
    amount = AmountSerializerField(error_messages={"required": "Dit veld is verplicht."})
    paid_on = serializers.DateField(error_messages={"invalid": "Geef een datum als JJJJ-MM-DD."})
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OverpaymentInputSerializer(serializers.Serializer):
    """Money received above what is open (issue 10, finding 5): ``amount`` is all that was received; the open part
    is booked as a payment, the rest recorded as an overpayment (terug te betalen) with its ``reason``."""

    amount = AmountSerializerField(error_messages={"required": "Dit veld is verplicht."})
    received_on = serializers.DateField(error_messages={"invalid": "Geef een datum als JJJJ-MM-DD."})
    reason = serializers.CharField(
        max_length=300, error_messages={"required": "Geef de reden van de overbetaling.", "blank": "Geef de reden."}
    )
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OverpaymentRefundInputSerializer(serializers.Serializer):
    paid_on = serializers.DateField(error_messages={"invalid": "Geef een datum als JJJJ-MM-DD."})
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OffsetInputSerializer(serializers.Serializer):
    invoice = serializers.CharField(
        max_length=20,
        error_messages={"required": "Geef het nummer van de openstaande factuur.", "blank": "Geef een factuurnummer."},
    )
    on = serializers.DateField(
        validators=[PlausibleDate()], required=False, error_messages={"invalid": "Geef een datum als JJJJ-MM-DD."}
    )


DATE_ERRORS = {"invalid": "Geef een datum als JJJJ-MM-DD.", "required": "Dit veld is verplicht."}
REQUIRED = {"required": "Dit veld is verplicht.", "blank": "Dit veld mag niet leeg zijn."}


class InvoiceCreateSerializer(serializers.Serializer):
    """A draft by hand: ``recipient`` is the member's CBS code; ``region`` (code) only when the member belongs to more
    than one region the user's municipality coordinates. The issuer is the user's municipality, never the payload."""

    recipient = serializers.CharField(max_length=6, error_messages={**REQUIRED, "max_length": "Geef een CBS-code."})
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    subject = serializers.CharField(max_length=200, error_messages={**REQUIRED, "max_length": "Hoogstens 200 tekens."})
    period_start = serializers.DateField(validators=[PlausibleDate()], error_messages=DATE_ERRORS)
    period_end = serializers.DateField(validators=[PlausibleDate()], error_messages=DATE_ERRORS)

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError({"period_end": "De leveringsperiode eindigt voor ze begint."})
        return attrs


MANUAL_SOURCE_TYPES = [SourceType.PASS_THROUGH, SourceType.BW_FEE, SourceType.MANUAL]


class LineInputSerializer(serializers.Serializer):
    """A line of a draft; amounts as strings ("1234.56"), never floats."""

    description = serializers.CharField(
        max_length=300, error_messages={**REQUIRED, "max_length": "Hoogstens 300 tekens."}
    )
    quantity = AmountSerializerField(
        decimals=4,
        minimum=Decimal("0.0001"),
        maximum=Decimal("99999999.9999"),  # InvoiceLine.quantity: max_digits=12, decimal_places=4
        number=True,
        what="Het aantal",
        error_messages={"required": "Dit veld is verplicht."},
    )
    unit = serializers.ChoiceField(
        choices=Unit.choices,
        default=Unit.PIECE,
        error_messages={"invalid_choice": "Kies stuk, uur, dag, maand of jaar."},
    )
    unit_price = AmountSerializerField(
        decimals=4,
        minimum=Decimal("0"),  # EN 16931 BR-27: the unit price is not negative
        maximum=Decimal("9999999999.9999"),  # InvoiceLine.unit_price: max_digits=14, decimal_places=4
        what="De prijs per eenheid",
        error_messages={"required": "Dit veld is verplicht."},
    )
    vat_rate = serializers.ChoiceField(
        choices=VatRate.choices,
        required=False,
        help_text="Leeg: het btw-tarief van de factuur, dat uit haar overeenkomst komt (WM-SO 6.8).",
        error_messages={
            "invalid_choice": "Kies '21', '9', '0', 'exempt' (vrijgesteld) of 'outside' (buiten de reikwijdte van de "
            "btw)."
        },
    )
    source_type = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in MANUAL_SOURCE_TYPES],
        default=SourceType.MANUAL,
        error_messages={"invalid_choice": "Kies 'pass_through', 'bw_fee' of 'manual'."},
    )
    source_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": "Hoogstens 64 tekens."},
    )
