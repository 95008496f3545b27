"""Invoices: statuses, VAT, the issued-invoice guard (Wet OB 1968 art. 35a; SPEC §6.6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from invoicing.models.interest import INTEREST_KIND_HELP, InterestKind
from regio.formatting import round_cents
from regio.models import Municipality, Region
from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, Scope, TenantManager, TenantModel, TenantQuerySet

ZERO = Decimal("0.00")


class InvoiceImmutableError(ValidationError):
    """An issued invoice (or a line of it) was about to change: refused (Wet OB art. 35a, SPEC §6.6)."""


# --- Invoices ----------------------------------------------------------------------------------------------------


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("concept")
    ISSUED = "issued", _("verzonden")
    PARTLY_PAID = "partly_paid", _("deels betaald")
    PAID = "paid", _("betaald")
    # A credit note on which the coordinating municipality owes the member money (a refund from the reckoning).
    PARTLY_PAID_OUT = "partly_paid_out", _("deels uitbetaald")
    PAID_OUT = "paid_out", _("uitbetaald")


class DocumentType(models.TextChoices):
    """What the document is (EN 16931 BT-3): an invoice (380) or a credit note (381).

    A credit note either corrects an earlier invoice (``credit_for``) or stands on its own with a reason, e.g. a
    member's refund from the December reckoning (SPEC §6.5: "the positive or negative difference ... is settled").
    """

    INVOICE = "invoice", _("factuur")
    CREDIT_NOTE = "credit_note", _("creditfactuur")


class VatRate(models.TextChoices):
    """The VAT of a line. Which one a new draft takes is its agreement's (issue 12; ``agreements.VatTreatment``, same
    values): WM-SO 6.8 gives 21 % on the coordinating municipality's services; exempt or outside the scope where the
    agreement says so, with the reason on the invoice."""

    STANDARD = "21", _("21 % btw")
    REDUCED = "9", _("9 % btw")
    ZERO = "0", _("0 % btw")
    EXEMPT = "exempt", _("vrijgesteld van btw")
    OUTSIDE = "outside", _("buiten de reikwijdte van de btw")


VAT_PERCENT = {
    VatRate.STANDARD: Decimal("21"),
    VatRate.REDUCED: Decimal("9"),
    VatRate.ZERO: Decimal("0"),
    VatRate.EXEMPT: Decimal("0"),
    VatRate.OUTSIDE: Decimal("0"),
}
# EN 16931 VAT category codes (UNCL5305) for the e-invoice: S standard, Z zero rated, E exempt, O outside the scope.
VAT_CATEGORY = {
    VatRate.STANDARD: "S",
    VatRate.REDUCED: "S",
    VatRate.ZERO: "Z",
    VatRate.EXEMPT: "E",
    VatRate.OUTSIDE: "O",
}
VAT_ORDER = (VatRate.STANDARD, VatRate.REDUCED, VatRate.ZERO, VatRate.EXEMPT, VatRate.OUTSIDE)


class Unit(models.TextChoices):
    PIECE = "stuk", _("stuk")
    HOUR = "uur", _("uur")
    DAY = "dag", _("dag")
    MONTH = "maand", _("maand")
    YEAR = "jaar", _("jaar")


# UN/ECE recommendation 20 unit codes for the e-invoice.
UNIT_CODE = {Unit.PIECE: "C62", Unit.HOUR: "HUR", Unit.DAY: "DAY", Unit.MONTH: "MON", Unit.YEAR: "ANN"}


class SourceType(models.TextChoices):
    """The codes of the line sources that invoicing's own code writes or offers (ROADMAP: lines carry a generic
    source). What a line may carry, its label and its link are the registry's (``regio.line_sources``): each app
    registers its own sources in its ``AppConfig.ready`` (cost sharing the reckoning line, beschermd wonen its fee,
    invoicing the rest), and the field below takes its choices from there."""

    RECKONING_LINE = "reckoning_line", _("regel van de afrekening")
    ANNUAL_REPORT = "annual_report", _("voorstel voor afrekening (jaarverslag)")
    BW_FEE = "bw_fee", _("vergoeding beschermd wonen")
    PASS_THROUGH = "pass_through", _("doorbelaste kosten")
    CREDIT = "credit", _("creditering")
    MANUAL = "manual", _("handmatig")


# Fields that may still change after issue; everything else is frozen (also in the PostgreSQL trigger, 0002).
MUTABLE_AFTER_ISSUE = frozenset(
    {"status", "overdue_on", "reminded_on", "reminder_due_on", "interest_claimed_on", "updated_at"}
)

# The status moves an invoice may make (STYLE.md rule 3; the same table is in the trigger of migration
# 0008_settled_records_forward_only): issued once, then only forward by what the payments (or payouts) settle.
# Payments and payouts are never removed, so nothing goes back to "issued" once money moved. The one way back is
# paid → partly paid: collection costs recorded after the last payment reopen the invoice (art. 6:96 BW, settled
# before interest and principal, art. 6:44 BW).
NEXT_STATUS = {
    InvoiceStatus.DRAFT: {InvoiceStatus.DRAFT, InvoiceStatus.ISSUED},
    InvoiceStatus.ISSUED: {
        InvoiceStatus.ISSUED,
        InvoiceStatus.PARTLY_PAID,
        InvoiceStatus.PAID,
        InvoiceStatus.PARTLY_PAID_OUT,
        InvoiceStatus.PAID_OUT,
    },
    InvoiceStatus.PARTLY_PAID: {InvoiceStatus.PARTLY_PAID, InvoiceStatus.PAID},
    InvoiceStatus.PAID: {InvoiceStatus.PAID, InvoiceStatus.PARTLY_PAID},
    InvoiceStatus.PARTLY_PAID_OUT: {InvoiceStatus.PARTLY_PAID_OUT, InvoiceStatus.PAID_OUT},
    InvoiceStatus.PAID_OUT: {InvoiceStatus.PAID_OUT},
}
STATUS_MESSAGE = _(
    "De status van een factuur verandert alleen via verzenden en betalen, en nooit terug naar concept; maak een "
    "creditfactuur."
)


def invoice_scope_q(scope: Scope, action: str, prefix: str = "") -> Q:
    """Who reaches an invoice (issue #6): the recipient municipality sees issued invoices addressed to it; the
    issuer's coordinating staff see (and act on) those it issued, drafts included. Nobody else: 404."""
    p = prefix
    issuer_staff = Q(**{f"{p}issuer_id": scope.municipality_id}) if scope.has_role(Role.COORDINATOR) else NOTHING
    if action == VIEW:
        recipient = Q(**{f"{p}recipient_id": scope.municipality_id}) & ~Q(**{f"{p}status": InvoiceStatus.DRAFT})
        return recipient | issuer_staff
    if scope.read_only:
        return NOTHING
    return issuer_staff


class InvoiceQuerySet(TenantQuerySet):
    def issued(self):
        return self.exclude(status=InvoiceStatus.DRAFT)

    def update(self, **kwargs):
        if "status" in kwargs:  # issuing numbers the invoice; payments move the status (services._settle_status)
            raise InvoiceImmutableError(STATUS_MESSAGE)
        frozen = set(kwargs) - MUTABLE_AFTER_ISSUE
        if frozen and self.issued().exists():
            raise InvoiceImmutableError(
                _("Een verzonden factuur verandert niet meer; maak een creditfactuur (Wet OB art. 35a).")
            )
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.issued().exists():
            raise InvoiceImmutableError(_("Een verzonden factuur kan niet worden verwijderd; maak een creditfactuur."))
        return super().delete()

    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if any(obj.status != InvoiceStatus.DRAFT for obj in objs):
            raise InvoiceImmutableError(STATUS_MESSAGE)
        return super().bulk_create(objs, *args, **kwargs)


class Invoice(TenantModel):
    """An invoice of the coordinating municipality to a member (SPEC §6.6, WM-SO 6.7-6.9, Wet OB art. 35a)."""

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="invoices")
    issuer = models.ForeignKey(
        Municipality, verbose_name=_("afzender"), on_delete=models.PROTECT, related_name="issued_invoices"
    )
    recipient = models.ForeignKey(
        Municipality, verbose_name=_("geadresseerde"), on_delete=models.PROTECT, related_name="received_invoices"
    )
    status = models.CharField(_("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT)
    subject = models.CharField(_("omschrijving"), max_length=200)
    # Given at issue, in the same transaction, from the issuer's counter: an unbroken sequence per issuer and year.
    number = models.CharField(_("factuurnummer"), max_length=20, blank=True, default="")
    year = models.PositiveSmallIntegerField(_("jaar van de nummering"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("volgnummer"), null=True, blank=True)
    invoice_date = models.DateField(_("factuurdatum"), null=True, blank=True)
    period_start = models.DateField(_("leveringsperiode vanaf"))
    period_end = models.DateField(_("leveringsperiode tot en met"))
    payment_term_days = models.PositiveSmallIntegerField(_("betalingstermijn (dagen)"), default=30)
    due_on = models.DateField(_("uiterste betaaldatum"), null=True, blank=True)
    interest_kind = models.CharField(
        _("soort wettelijke rente"),
        max_length=20,
        choices=InterestKind.choices,
        default=InterestKind.NON_COMMERCIAL,
        help_text=INTEREST_KIND_HELP,
    )
    issuer_details = models.JSONField(_("gegevens afzender"), default=dict, blank=True)
    recipient_details = models.JSONField(_("gegevens geadresseerde"), default=dict, blank=True)
    total_excl = models.DecimalField(_("totaal exclusief btw"), max_digits=14, decimal_places=2, default=ZERO)
    total_vat = models.DecimalField(_("btw"), max_digits=14, decimal_places=2, default=ZERO)
    total_incl = models.DecimalField(_("totaal inclusief btw"), max_digits=14, decimal_places=2, default=ZERO)
    credit_for = models.ForeignKey(
        "self",
        verbose_name=_("creditfactuur voor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
    )
    credit_reason = models.CharField(_("reden van creditering"), max_length=300, blank=True)
    document_type = models.CharField(
        _("soort document"), max_length=20, choices=DocumentType.choices, default=DocumentType.INVOICE
    )
    # The preceding document a credit note without ``credit_for`` names (EN 16931 BT-25, NLCIUS BR-NL-9): e.g. the
    # member's invoice of the previous reckoning version, else the reckoning itself.
    credit_reference = models.CharField(_("referentie creditering"), max_length=100, blank=True)
    # The mandate under which the coordinating municipality invoiced for the member (SPEC §5, WM-SO 4.12), as
    # agreements.services.may_act answered at issue; the text keeps what it said.
    mandate = models.ForeignKey(
        "agreements.Mandate",
        verbose_name=_("mandaat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    mandate_reference = models.CharField(_("mandaat (omschrijving)"), max_length=300, blank=True)
    # The VAT treatment of the agreement when the draft was made (issue 12; WM-SO 6.8): the default rate of new lines,
    # and the reason (with article and VATEX code) the PDF and the e-invoice give for an exempt or outside-scope
    # invoice (EN 16931 BR-E-10, BR-O-10). Frozen at issue with the rest.
    vat_rate = models.CharField(_("btw-behandeling"), max_length=10, choices=VatRate.choices, default=VatRate.STANDARD)
    vat_reason = models.CharField(_("reden van de btw-behandeling"), max_length=400, blank=True)
    vat_article = models.CharField(_("artikel (btw)"), max_length=100, blank=True)
    vat_exemption_code = models.CharField(_("vrijstellingscode (VATEX)"), max_length=30, blank=True)
    # Natural key of what this invoice was made from (e.g. "reckoning:12:GM0888"): invoicing twice creates nothing.
    source_key = models.CharField(_("bron"), max_length=100, blank=True, default="")
    issued_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verzonden door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Marks after issue (WM-SO 6.9).
    overdue_on = models.DateField(_("te laat sinds"), null=True, blank=True)
    reminded_on = models.DateField(_("aanmaning verstuurd op"), null=True, blank=True)
    reminder_due_on = models.DateField(_("betalen uiterlijk (aanmaning)"), null=True, blank=True)
    interest_claimed_on = models.DateField(_("rente gevorderd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(InvoiceQuerySet)()

    class Meta:
        verbose_name = _("factuur")
        verbose_name_plural = _("facturen")
        ordering = ["-invoice_date", "-sequence", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number"], condition=~Q(number=""), name="invoicing_number_unique_per_issuer"
            ),
            models.UniqueConstraint(
                fields=["issuer", "year", "sequence"],
                condition=Q(sequence__isnull=False),
                name="invoicing_sequence_unique_per_issuer_year",
            ),
            models.UniqueConstraint(
                fields=["issuer", "source_key"], condition=~Q(source_key=""), name="invoicing_source_once"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(number="") & Q(invoice_date__isnull=False)),
                name="invoicing_issued_has_number_and_date",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="invoicing_period"),
            # A correction always is a credit note; a credit note of its own says why (reason) and what it settles.
            models.CheckConstraint(
                condition=Q(credit_for__isnull=True) | Q(document_type="credit_note"),
                name="invoicing_credit_for_is_credit_note",
            ),
            models.CheckConstraint(
                condition=~Q(document_type="credit_note") | Q(credit_for__isnull=False) | ~Q(credit_reason=""),
                name="invoicing_credit_note_has_source",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "status"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"Factuur {self.number or '(concept)'} aan {self.recipient.name}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = dict(zip(field_names, values, strict=True))
        return instance

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT

    @property
    def is_credit_note(self) -> bool:
        return self.document_type == DocumentType.CREDIT_NOTE

    @property
    def is_refund(self) -> bool:
        """A credit note of its own (not correcting an invoice): the coordinating municipality pays it out."""
        return self.is_credit_note and self.credit_for_id is None

    @property
    def billing_reference(self) -> str:
        """The preceding document a credit note names (EN 16931 BT-25; NLCIUS BR-NL-9)."""
        if self.credit_for_id:
            return self.credit_for.number
        return self.credit_reference

    def _was_issued(self) -> bool:
        loaded = getattr(self, "_loaded", None)
        return bool(self.pk and loaded and loaded.get("status") not in (None, InvoiceStatus.DRAFT))

    def save(self, *args, **kwargs):
        if self._state.adding and self.status != InvoiceStatus.DRAFT:
            raise InvoiceImmutableError(STATUS_MESSAGE)  # every invoice starts as a draft and is numbered at issue
        loaded_status = getattr(self, "_loaded", {}).get("status") if self.pk else None
        if loaded_status is not None and self.status not in NEXT_STATUS[loaded_status]:
            raise InvoiceImmutableError(STATUS_MESSAGE)
        if self._was_issued():
            update_fields = kwargs.get("update_fields")
            if update_fields:
                names = {self._meta.get_field(name).attname for name in update_fields}
            else:
                names = {f.attname for f in self._meta.concrete_fields}
            changed = {
                name
                for name in names - MUTABLE_AFTER_ISSUE
                if name in self._loaded and getattr(self, name) != self._loaded[name]
            }
            if changed or self.status == InvoiceStatus.DRAFT:
                raise InvoiceImmutableError(
                    _("Factuur %(number)s is verzonden en verandert niet meer (%(fields)s); maak een creditfactuur.")
                    % {"number": self._loaded.get("number"), "fields": ", ".join(sorted(changed)) or "status"}
                )
        super().save(*args, **kwargs)
        self._loaded = {f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields}

    def delete(self, *args, **kwargs):
        if self._was_issued() or not self.is_draft:
            raise InvoiceImmutableError(_("Een verzonden factuur kan niet worden verwijderd; maak een creditfactuur."))
        return super().delete(*args, **kwargs)

    # --- amounts -------------------------------------------------------------------------------------------------

    def vat_breakdown(self, lines=None) -> list[dict]:
        """Amounts per VAT rate, VAT rounded once per rate (EN 16931 BR-CO-17; Wet OB art. 35a: amounts per rate)."""
        lines = list(self.lines.all()) if lines is None else lines
        groups: dict[str, Decimal] = {}
        for line in lines:
            groups[line.vat_rate] = groups.get(line.vat_rate, ZERO) + line.total_excl
        out = []
        for rate in VAT_ORDER:
            if rate in groups:
                base = groups[rate]
                out.append(
                    {
                        "rate": rate,
                        "label": VatRate(rate).label,
                        "percent": VAT_PERCENT[rate],
                        "category": VAT_CATEGORY[rate],
                        "base": base,
                        "vat": round_cents(base * VAT_PERCENT[rate] / Decimal(100)),
                    }
                )
        return out

    def computed_totals(self, lines=None) -> tuple[Decimal, Decimal, Decimal]:
        breakdown = self.vat_breakdown(lines)
        excl = sum((g["base"] for g in breakdown), ZERO)
        vat = sum((g["vat"] for g in breakdown), ZERO)
        return excl, vat, excl + vat

    def paid_amount(self) -> Decimal:
        return self.payments.unrestricted().aggregate(s=models.Sum("amount"))["s"] or ZERO

    def credited(self) -> Decimal:
        """The (negative) total of the issued credit invoices that correct this invoice."""
        return (
            Invoice.objects.unrestricted()
            .filter(credit_for=self)
            .exclude(status=InvoiceStatus.DRAFT)
            .aggregate(s=models.Sum("total_incl"))["s"]
            or ZERO
        )

    def amount_due(self) -> Decimal:
        return self.total_incl + self.credited()

    def outstanding(self) -> Decimal:
        return self.amount_due() - self.paid_amount()

    def paid_out_amount(self) -> Decimal:
        return self.payouts.unrestricted().aggregate(s=models.Sum("amount"))["s"] or ZERO

    def payable_out(self) -> Decimal:
        """What the coordinating municipality owes the member on a refund credit note (a positive amount)."""
        return -self.total_incl if self.is_refund else ZERO

    def to_pay_out(self) -> Decimal:
        return self.payable_out() - self.paid_out_amount() if self.is_refund else ZERO

    def collection_cost_record(self):
        """The recorded collection costs (``CollectionCost``) or None."""
        from invoicing.models.collection import CollectionCost  # collection.py imports Invoice: import here

        return CollectionCost.objects.unrestricted().filter(invoice_id=self.pk).first() if self.pk else None

    def due_date_for(self, invoice_date: date) -> date:
        return invoice_date + timedelta(days=self.payment_term_days)
