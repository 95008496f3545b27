"""Invoices and payments (issue #6): statutory interest rates, invoicing details, invoices with their lines,
documents (PDF), payments and bank statements.

An issued invoice never changes (Wet OB 1968 art. 35a asks a unique sequential number, dates, parties, VAT; SPEC §6.6):
the model refuses it in ``save``/``delete``, the querysets refuse bulk ``update``/``delete``, and on PostgreSQL a
trigger refuses it (migrations 0003 and 0008). Corrections are credit invoices (``credit_for``). Only the payment
status (forward, see ``NEXT_STATUS``) and the overdue / reminded / interest-claimed marks move after issue
(WM-SO 6.9). A settled bank statement and the payments it booked are written once (see "A settled statement" below).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.formatting import round_cents
from regio.line_sources import line_source_choices
from regio.models import Municipality, Region
from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, Scope, TenantManager, TenantModel, TenantQuerySet

ZERO = Decimal("0.00")


class InvoiceImmutableError(ValidationError):
    """An issued invoice (or a line of it) was about to change: refused (Wet OB art. 35a, SPEC §6.6)."""


class InterestKind(models.TextChoices):
    NON_COMMERCIAL = "non-commercial", _("Wettelijke rente (art. 6:119 BW)")
    COMMERCIAL = "commercial", _("Wettelijke handelsrente (art. 6:119a BW)")


INTEREST_KIND_HELP = _(
    "Welke wettelijke rente geldt bij te late betaling. WM-SO 6.9 noemt de wettelijke rente van art. 6:119 BW "
    "(standaard). Let op: de Rijksoverheid rekent afspraken tussen overheidsorganisaties (haar voorbeeld: een "
    "provincie en het UWV) tot handelstransacties, dus de jurist van de regio kan ook voor de handelsrente "
    "(art. 6:119a BW) kiezen."
)


# --- Statutory interest rates -----------------------------------------------------------------------------------


class StatutoryInterestRate(TenantModel):
    """One half-year's statutory interest rate (art. 6:119 / 6:119a BW), loaded from data/wettelijke-rente.csv.

    Not tenant data: every logged-in user reads the table; nobody changes it through the app (administrators add
    half-years in the Django admin).
    """

    class Verified(models.TextChoices):
        YES = "yes", _("gecontroleerd")
        PARTLY = "partly", _("deels gecontroleerd")
        NO = "no", _("niet gecontroleerd: controleer het Staatsblad")

    kind = models.CharField(_("soort rente"), max_length=20, choices=InterestKind.choices)
    valid_from = models.DateField(_("geldig vanaf"))
    rate = models.DecimalField(_("percentage per jaar"), max_digits=5, decimal_places=2)
    verified = models.CharField(_("gecontroleerd"), max_length=10, choices=Verified.choices, default=Verified.NO)
    source = models.CharField(_("bron"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wettelijke rente")
        verbose_name_plural = _("wettelijke rentes")
        ordering = ["kind", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="invoicing_rate_unique_per_start"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="invoicing_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} vanaf {self.valid_from:%d-%m-%Y}: {self.rate} %"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        # Public law, not tenant data: readable to every logged-in user, writable by nobody through the app.
        return Q() if action == VIEW else NOTHING


# --- Invoicing details of a municipality --------------------------------------------------------------------------

oin_validator = RegexValidator(r"^\d{20}$", _("Een OIN bestaat uit 20 cijfers."))
kvk_validator = RegexValidator(r"^\d{8}$", _("Een KvK-nummer bestaat uit 8 cijfers."))


class InvoicingProfile(TenantModel):
    """What an invoice needs to say about a municipality (Wet OB art. 35a): name, address, VAT number, OIN/KvK, IBAN.

    Copied onto the invoice at issue, so a later change of address never rewrites an issued invoice.
    """

    tenant_municipality = "municipality"

    municipality = models.OneToOneField(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="invoicing_profile"
    )
    legal_name = models.CharField(_("naam op de factuur"), max_length=200)
    street = models.CharField(_("straat en huisnummer"), max_length=200)
    postal_code = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("plaats"), max_length=100)
    country = models.CharField(_("land"), max_length=2, default="NL")
    oin = models.CharField(_("OIN"), max_length=20, blank=True, validators=[oin_validator])
    kvk = models.CharField(_("KvK-nummer"), max_length=8, blank=True, validators=[kvk_validator])
    vat_number = models.CharField(_("btw-identificatienummer"), max_length=20, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    email = models.EmailField(_("e-mailadres facturen"), blank=True)
    payment_term_days = models.PositiveSmallIntegerField(
        _("betalingstermijn (dagen)"), default=30, help_text=_("Standaard 30 dagen.")
    )
    interest_kind = models.CharField(
        _("soort wettelijke rente"),
        max_length=20,
        choices=InterestKind.choices,
        default=InterestKind.NON_COMMERCIAL,
        help_text=INTEREST_KIND_HELP,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("factuurgegevens")
        verbose_name_plural = _("factuurgegevens")
        ordering = ["municipality__name"]

    def __str__(self) -> str:
        return self.legal_name

    def clean(self) -> None:
        from stdnum import iban as stdnum_iban
        from stdnum.nl import btw

        if self.iban and not stdnum_iban.is_valid(self.iban):
            raise ValidationError({"iban": _("Dit is geen geldig IBAN.")})
        if self.vat_number and not btw.is_valid(self.vat_number):
            raise ValidationError({"vat_number": _("Dit is geen geldig Nederlands btw-identificatienummer.")})
        if not (self.oin or self.kvk):
            raise ValidationError(_("Vul een OIN of een KvK-nummer in: de e-factuur noemt de partijen daarmee."))

    def details(self) -> dict:
        """The snapshot stored on an invoice at issue."""
        return {
            "name": self.legal_name,
            "street": self.street,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
            "oin": self.oin,
            "kvk": self.kvk,
            "vat_number": self.vat_number,
            "iban": self.iban,
            "bic": self.bic,
            "email": self.email,
            "cbs_code": self.municipality.code,
        }


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
    """VAT on the coordinating municipality's services is 21 % (WM-SO 6.8); 0 % or outside the scope where so."""

    STANDARD = "21", _("21 % btw")
    ZERO = "0", _("0 % btw")
    OUTSIDE = "outside", _("buiten de reikwijdte van de btw")


VAT_PERCENT = {VatRate.STANDARD: Decimal("21"), VatRate.ZERO: Decimal("0"), VatRate.OUTSIDE: Decimal("0")}
# EN 16931 VAT category codes (UNCL5305) for the e-invoice.
VAT_CATEGORY = {VatRate.STANDARD: "S", VatRate.ZERO: "Z", VatRate.OUTSIDE: "O"}


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
        for rate in (VatRate.STANDARD, VatRate.ZERO, VatRate.OUTSIDE):
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
        return CollectionCost.objects.unrestricted().filter(invoice_id=self.pk).first() if self.pk else None

    def due_date_for(self, invoice_date: date) -> date:
        return invoice_date + timedelta(days=self.payment_term_days)


class InvoiceLineQuerySet(TenantQuerySet):
    def update(self, **kwargs):
        if self.exclude(invoice__status=InvoiceStatus.DRAFT).exists():
            raise InvoiceImmutableError(_("De regels van een verzonden factuur veranderen niet meer."))
        return super().update(**kwargs)

    update.queryset_only = True

    def delete(self):
        if self.exclude(invoice__status=InvoiceStatus.DRAFT).exists():
            raise InvoiceImmutableError(_("De regels van een verzonden factuur veranderen niet meer."))
        return super().delete()

    delete.queryset_only = True


class InvoiceLine(TenantModel):
    """One line: what was supplied, how much, at what price and VAT rate, and where it came from."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("factuur"), on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    description = models.CharField(_("omschrijving"), max_length=300)
    quantity = models.DecimalField(_("aantal"), max_digits=12, decimal_places=4, default=Decimal("1"))
    unit = models.CharField(_("eenheid"), max_length=10, choices=Unit.choices, default=Unit.PIECE)
    unit_price = models.DecimalField(_("prijs per eenheid"), max_digits=14, decimal_places=4)
    vat_rate = models.CharField(_("btw-tarief"), max_length=10, choices=VatRate.choices, default=VatRate.STANDARD)
    total_excl = models.DecimalField(_("bedrag exclusief btw"), max_digits=14, decimal_places=2, default=ZERO)
    # A code registered in regio.line_sources (a callable: a new app's source needs no migration).
    source_type = models.CharField(_("soort bron"), max_length=20, choices=line_source_choices, default="manual")
    source_id = models.CharField(_("bron-id"), max_length=64, blank=True)  # the record's id in the owning app
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(InvoiceLineQuerySet)()

    class Meta:
        verbose_name = _("factuurregel")
        verbose_name_plural = _("factuurregels")
        ordering = ["invoice", "position", "pk"]

    def __str__(self) -> str:
        return self.description

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")

    @property
    def vat_percent(self) -> Decimal:
        return VAT_PERCENT[self.vat_rate]

    def _parent_issued(self) -> bool:
        if not self.invoice_id:
            return False
        status = Invoice.objects.unrestricted().filter(pk=self.invoice_id).values_list("status", flat=True).first()
        return status not in (None, InvoiceStatus.DRAFT)

    def save(self, *args, **kwargs):
        if self._parent_issued():
            raise InvoiceImmutableError(_("De regels van een verzonden factuur veranderen niet meer."))
        # Rounded once, half up, per line: the line amount of the invoice and the e-invoice (BT-131).
        self.total_excl = round_cents(self.quantity * self.unit_price)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._parent_issued():
            raise InvoiceImmutableError(_("De regels van een verzonden factuur veranderen niet meer."))
        return super().delete(*args, **kwargs)


class InvoiceCounter(TenantModel):
    """The last number given per issuer and year; locked (SELECT ... FOR UPDATE) while issuing."""

    tenant_municipality = "issuer"

    issuer = models.ForeignKey(Municipality, verbose_name=_("afzender"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    last = models.PositiveIntegerField(_("laatste volgnummer"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("factuurnummering")
        verbose_name_plural = _("factuurnummeringen")
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="invoicing_counter_unique")]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year}: {self.last}"


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("factuur")
    REMINDER = "reminder", _("aanmaning (betalen binnen 14 dagen)")
    INTEREST_CLAIM = "interest_claim", _("vordering wettelijke rente")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("wordt gemaakt")
    READY = "ready", _("klaar")
    FAILED = "failed", _("mislukt")


class InvoiceDocument(TenantModel):
    """A PDF made from an invoice (the invoice itself, the reminder letter, the interest claim), as private media.

    Separate from the invoice, so that rendering (and retrying a failed render) never touches the invoice.
    """

    invoice = models.ForeignKey(Invoice, verbose_name=_("factuur"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=DocumentKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=DocumentStatus.choices, default="pending")
    file = models.FileField(_("bestand"), upload_to="invoicing/%Y/", blank=True)
    letter_date = models.DateField(_("datum van de brief"), null=True, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    rendered_at = models.DateTimeField(_("gemaakt op"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("factuurdocument")
        verbose_name_plural = _("factuurdocumenten")
        constraints = [models.UniqueConstraint(fields=["invoice", "kind"], name="invoicing_document_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.invoice.number}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")


# --- Payments and bank statements --------------------------------------------------------------------------------
#
# A settled statement (issue 10, "frozen means frozen"): a bank statement is settled from the moment its import
# commits. The file's record (``BankStatement``) and each entry's bank data never change and are never deleted, and
# no entry is added to it later (on PostgreSQL the trigger of migration 0008 refuses a line under a statement that an
# earlier transaction imported). An entry moves forward once, from "needs a person" (unmatched, ambiguous) to
# settled (matched, resolved, ignored), and a settled entry never changes again. What it settled, a ``Payment`` or a
# ``Payout`` (by hand or from an entry), is a booking: never changed, never deleted. A wrong booking is corrected by
# a new record (a credit note), not by rewriting the old one (STYLE.md rule 8).

STATEMENT_MESSAGE = _("Een ingelezen bankafschrift verandert niet en wordt niet verwijderd.")
BOOKING_MESSAGE = _("Een geboekte betaling of uitbetaling verandert niet en wordt niet verwijderd.")


class WrittenOnceQuerySet(TenantQuerySet):
    """Rows written once (bank statements, payments, payouts): bulk update and delete are refused."""

    message = STATEMENT_MESSAGE

    def update(self, **kwargs):
        raise ValidationError(self.message)

    update.queryset_only = True

    def delete(self):
        raise ValidationError(self.message)

    delete.queryset_only = True


class BookingQuerySet(WrittenOnceQuerySet):
    message = BOOKING_MESSAGE


class WrittenOnce:
    """Model mixin: ``save`` only inserts, ``delete`` is refused (the message of the model's queryset)."""

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise ValidationError(type(self).objects.get_queryset().message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(type(self).objects.get_queryset().message)


class StatementFormat(models.TextChoices):
    CAMT053 = "camt053", _("CAMT.053 (XML)")
    MT940 = "mt940", _("MT940")
    CSV = "csv", _("CSV")


class BankStatement(WrittenOnce, TenantModel):
    """An imported bank statement of the issuing municipality; the same file twice is refused (digest). Written once,
    by the import (see "A settled statement" above)."""

    tenant_municipality = "municipality"

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="bank_statements"
    )
    format = models.CharField(_("formaat"), max_length=10, choices=StatementFormat.choices)
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    digest = models.CharField(_("SHA-256"), max_length=64)
    statement_id = models.CharField(_("afschriftnummer"), max_length=100, blank=True)
    imported_at = models.DateTimeField(_("ingelezen op"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingelezen door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(WrittenOnceQuerySet)()

    class Meta:
        verbose_name = _("bankafschrift")
        verbose_name_plural = _("bankafschriften")
        ordering = ["-imported_at"]
        constraints = [models.UniqueConstraint(fields=["municipality", "digest"], name="invoicing_statement_once")]

    def __str__(self) -> str:
        return self.filename

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        # Bank statements are the coordinating municipality's finance work (SPEC §1: registers payments).
        if not scope.has_role(Role.COORDINATOR) or (action != VIEW and scope.read_only):
            return NOTHING
        return Q(municipality_id=scope.municipality_id)


class LineStatus(models.TextChoices):
    MATCHED = "matched", _("gekoppeld")
    UNMATCHED = "unmatched", _("niet gekoppeld")
    AMBIGUOUS = "ambiguous", _("meerdere mogelijkheden")
    RESOLVED = "resolved", _("handmatig gekoppeld")
    IGNORED = "ignored", _("genegeerd (geen factuurbetaling)")


SETTLED_LINE = frozenset({LineStatus.MATCHED, LineStatus.RESOLVED, LineStatus.IGNORED})
# What moves on an entry after import, and only while it needs a person: its status (to settled) and the matching
# notes; the bank's data never.
LINE_MUTABLE = frozenset({"status", "candidates", "note"})
LINE_MESSAGE = _("Een verwerkte afschriftregel verandert niet meer; de gegevens van de bank veranderen nooit.")


class StatementLineQuerySet(TenantQuerySet):
    """No bulk change of entries (a person or the import settles them one by one) and no deletion."""

    def update(self, **kwargs):
        raise ValidationError(LINE_MESSAGE)

    update.queryset_only = True

    def delete(self):
        raise ValidationError(STATEMENT_MESSAGE)

    delete.queryset_only = True


class Direction(models.TextChoices):
    CREDIT = "credit", _("bij (ontvangen)")
    DEBIT = "debit", _("af (uitbetaald)")


class BankStatementLine(TenantModel):
    """One entry of a statement: money in (a payment on an invoice) or out (a payout of a credit note). Unmatched
    and ambiguous lines stay listed for a person, never dropped. ``amount`` is positive; ``direction`` says which
    way the money went."""

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("afschrift"), on_delete=models.PROTECT, related_name="lines"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("regel"))
    booked_on = models.DateField(_("boekdatum"))
    amount = models.DecimalField(_("bedrag"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("bij of af"), max_length=10, choices=Direction.choices, default=Direction.CREDIT)
    counterparty_name = models.CharField(_("tegenpartij"), max_length=200, blank=True)
    counterparty_iban = models.CharField(_("rekening tegenpartij"), max_length=34, blank=True)
    remittance = models.TextField(_("omschrijving"), blank=True)
    bank_reference = models.CharField(_("bankreferentie"), max_length=100, blank=True)
    # Identifies the entry across files (account, date, amount, reference, text): a second import books nothing.
    fingerprint = models.CharField(_("vingerafdruk"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.UNMATCHED)
    candidates = models.JSONField(_("mogelijke facturen"), default=list, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(StatementLineQuerySet)()

    class Meta:
        verbose_name = _("afschriftregel")
        verbose_name_plural = _("afschriftregels")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "fingerprint"], name="invoicing_statement_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.booked_on:%d-%m-%Y} {self.amount} {self.remittance[:40]}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        if not scope.has_role(Role.COORDINATOR) or (action != VIEW and scope.read_only):
            return NOTHING
        return Q(municipality_id=scope.municipality_id)

    @property
    def needs_person(self) -> bool:
        return self.status in (LineStatus.UNMATCHED, LineStatus.AMBIGUOUS)

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            fields = [f.attname for f in self._meta.concrete_fields]
            stored = (
                BankStatementLine.objects.unrestricted("frozen guard: reads the stored row, whoever writes")
                .filter(pk=self.pk)
                .values(*fields)
                .first()
            )
            if stored is not None:
                update_fields = kwargs.get("update_fields")
                names = {self._meta.get_field(n).attname for n in update_fields} if update_fields else set(fields)
                changed = {n for n in names if getattr(self, n) != stored[n]}
                if changed and (stored["status"] in SETTLED_LINE or changed - LINE_MUTABLE):
                    raise ValidationError(LINE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(STATEMENT_MESSAGE)


class Payment(WrittenOnce, TenantModel):
    """A payment on an invoice, registered by hand or from a statement line. Partial payments are allowed."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("factuur"), on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        _("bedrag"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("betaald op"))
    reference = models.CharField(_("kenmerk"), max_length=200, blank=True)
    statement_line = models.OneToOneField(
        BankStatementLine,
        verbose_name=_("afschriftregel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(BookingQuerySet)()

    class Meta:
        verbose_name = _("betaling")
        verbose_name_plural = _("betalingen")
        ordering = ["invoice", "paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="invoicing_payment_positive")]

    def __str__(self) -> str:
        return f"{self.amount} op {self.paid_on:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")


class Payout(WrittenOnce, TenantModel):
    """Money the coordinating municipality paid to a member on a refund credit note (SPEC §6.5: the negative
    difference of the reckoning is settled). Registered by hand or from a debit entry of a bank statement; partial
    payouts are allowed: issued → partly paid out → paid out."""

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("creditfactuur"), on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.DecimalField(
        _("bedrag"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("uitbetaald op"))
    reference = models.CharField(_("kenmerk"), max_length=200, blank=True)
    statement_line = models.OneToOneField(
        BankStatementLine,
        verbose_name=_("afschriftregel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payout",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(BookingQuerySet)()

    class Meta:
        verbose_name = _("uitbetaling")
        verbose_name_plural = _("uitbetalingen")
        ordering = ["invoice", "paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="invoicing_payout_positive")]

    def __str__(self) -> str:
        return f"{self.amount} uitbetaald op {self.paid_on:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")


class CollectionCost(TenantModel):
    """Extrajudicial collection costs (buitengerechtelijke incassokosten, art. 6:96 lid 2 sub c BW) claimed on an
    overdue invoice: the amount, the date and its basis. Payments settle these first, then the interest, then the
    principal (art. 6:44 BW, SPEC §6.6).

    A separate record, so the issued invoice itself never changes (Wet OB art. 35a; the trigger of migration 0003
    stays as it is). One per invoice: a change is a new version in the history, not a second claim.
    """

    invoice = models.OneToOneField(
        Invoice, verbose_name=_("factuur"), on_delete=models.PROTECT, related_name="collection_cost"
    )
    amount = models.DecimalField(
        _("bedrag"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    incurred_on = models.DateField(_("datum"))
    basis = models.CharField(_("grondslag"), max_length=300)
    # What the statutory scale gave when the costs were recorded (the suggestion the person could override).
    statutory_amount = models.DecimalField(_("bedrag volgens de staffel"), max_digits=14, decimal_places=2)
    principal = models.DecimalField(_("hoofdsom waarover berekend"), max_digits=14, decimal_places=2)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incassokosten")
        verbose_name_plural = _("incassokosten")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="invoicing_collection_cost_positive")]

    def __str__(self) -> str:
        return f"{self.amount} incassokosten op {self.invoice}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")


class Overpayment(TenantModel):
    """Money a member paid above what its invoice asked (issue 10, finding 5): not a payment on the invoice, which
    would drive the principal below zero, but a separate, deliberate record with its reason, owed back to the member
    ("terug te betalen") until the coordinating municipality records the refund.

    A bank-statement line that pays more than is open is booked up to the open amount and the rest lands here with
    the reason "bankafschrift": no money is lost and no invoice shows a negative principal.
    """

    invoice = models.ForeignKey(
        Invoice, verbose_name=_("factuur"), on_delete=models.PROTECT, related_name="overpayments"
    )
    amount = models.DecimalField(
        _("te veel betaald"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    received_on = models.DateField(_("ontvangen op"))
    reason = models.CharField(_("reden"), max_length=300)
    reference = models.CharField(_("kenmerk"), max_length=200, blank=True)
    statement_line = models.OneToOneField(
        BankStatementLine,
        verbose_name=_("afschriftregel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="overpayment",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refunded_on = models.DateField(_("terugbetaald op"), null=True, blank=True)
    refund_reference = models.CharField(_("kenmerk terugbetaling"), max_length=200, blank=True)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("terugbetaling geregistreerd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overbetaling")
        verbose_name_plural = _("overbetalingen")
        ordering = ["invoice", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoicing_overpayment_positive"),
            models.CheckConstraint(
                condition=Q(refunded_on__isnull=True) | Q(refunded_on__gte=models.F("received_on")),
                name="invoicing_overpayment_refund_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} te veel betaald op {self.invoice}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return invoice_scope_q(scope, action, prefix="invoice__")

    @property
    def to_refund(self) -> Decimal:
        """What the coordinating municipality still owes the member ("terug te betalen")."""
        return ZERO if self.refunded_on else self.amount
