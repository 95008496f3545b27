"""Invoicing details of a municipality: OIN, KvK, bank account (issue #6)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from invoicing.models.interest import INTEREST_KIND_HELP, InterestKind
from regio.models import Municipality
from regio.tenancy import TenantModel

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
