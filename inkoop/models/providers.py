"""Providers (zorgaanbieders) as records: the supplier management of the coordinating municipality (WM-SO 2.4 d;
MH bijlage 1). A provider belongs to one region's register: every member sees it, only the region's coordinating
staff change it (regio.tenancy's default rule for ``tenant_region``). The same company in two regions is two
records, each kept by its own coordinating municipality."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.bounds import PlausibleDate
from regio.models import Region
from regio.tenancy import TenantModel

KVK_PATTERN = re.compile(r"^\d{8}$")
AGB_PATTERN = re.compile(r"^\d{8}$")


def compact(value: str) -> str:
    """The number without spaces, dots and dashes, upper case: how KvK, VAT and AGB numbers are stored."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_kvk(value: str) -> None:
    """A KvK number is 8 digits (Handelsregisterwet; python-stdnum has no module for it, STYLE.md)."""
    if not KVK_PATTERN.match(compact(value)):
        raise ValidationError(_("Een KvK-nummer bestaat uit 8 cijfers."), code="kvk")


def validate_vat(value: str) -> None:
    """A European VAT identification number with its country prefix (NL...B01 for Dutch providers)."""
    from stdnum.eu import vat

    if value and not vat.is_valid(compact(value)):
        raise ValidationError(
            _("Dit is geen geldig btw-identificatienummer (bijvoorbeeld NL123456789B01)."), code="vat"
        )


def validate_agb(value: str) -> None:
    """The AGB code (Vektis) of a care provider: 8 digits."""
    if value and not AGB_PATTERN.match(compact(value)):
        raise ValidationError(_("Een AGB-code bestaat uit 8 cijfers."), code="agb")


class Domain(models.TextChoices):
    """The social domains a provider works in (issue 16)."""

    WMO = "wmo", _("Wmo")
    YOUTH = "jeugd", _("Jeugd")
    PARTICIPATION = "participatie", _("Participatie")
    PUPIL_TRANSPORT = "leerlingenvervoer", _("Leerlingenvervoer")


class Origin(models.TextChoices):
    REGISTER = "register", _("Vastgelegd in het register")
    PARTY = "partij", _("Overgenomen uit de partijenlijst van een overeenkomst")


class Provider(TenantModel):
    """A provider in a region's register (WM-SO 2.4 d): who it is and where it works."""

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(_("naam"), max_length=200)
    # Blank only for the names taken over from an agreement's party list (MH bijlage 1, migration 0002): the
    # register shows them as incomplete until the coordinating municipality fills in the number.
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True, validators=[validate_kvk])
    vat_number = models.CharField(_("btw-identificatienummer"), max_length=20, blank=True, validators=[validate_vat])
    agb_code = models.CharField(_("AGB-code"), max_length=8, blank=True, validators=[validate_agb])
    city = models.CharField(_("vestigingsplaats"), max_length=100, blank=True)
    website = models.URLField(_("website"), max_length=200, blank=True)
    # The domains as four flags: filterable on PostgreSQL and SQLite alike (the embedded demo), unlike an array.
    wmo = models.BooleanField(_("Wmo"), default=True)
    youth = models.BooleanField(_("Jeugd"), default=False)
    participation = models.BooleanField(_("Participatie"), default=False)
    pupil_transport = models.BooleanField(_("Leerlingenvervoer"), default=False)
    in_kind = models.BooleanField(_("zorg in natura"), default=True)
    personal_budget = models.BooleanField(_("pgb"), default=False)
    active = models.BooleanField(_("actief"), default=True)
    origin = models.CharField(_("herkomst"), max_length=10, choices=Origin.choices, default=Origin.REGISTER)
    history = HistoricalRecords()

    DOMAIN_FIELDS = {
        Domain.WMO: "wmo",
        Domain.YOUTH: "youth",
        Domain.PARTICIPATION: "participation",
        Domain.PUPIL_TRANSPORT: "pupil_transport",
    }

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["region", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kvk_number"], condition=~Q(kvk_number=""), name="provider_unique_kvk_in_region"
            ),
            models.CheckConstraint(
                condition=Q(in_kind=True) | Q(personal_budget=True), name="provider_in_kind_or_pgb"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def domains(self) -> list[str]:
        return [domain.value for domain, field in self.DOMAIN_FIELDS.items() if getattr(self, field)]

    def set_domains(self, domains) -> None:
        chosen = set(domains)
        for domain, field in self.DOMAIN_FIELDS.items():
            setattr(self, field, domain.value in chosen)

    @property
    def complete(self) -> bool:
        return bool(self.kvk_number)

    def clean(self) -> None:
        self.kvk_number = compact(self.kvk_number)
        self.vat_number = compact(self.vat_number)
        self.agb_code = compact(self.agb_code)
        if not (self.in_kind or self.personal_budget):
            raise ValidationError(_("Kies zorg in natura, pgb of beide."))
        if not self.domains:
            raise ValidationError(_("Kies ten minste één domein."))


# --- The provider file (WM-SO 2.4 d; MH 5.2) ----------------------------------------------------------------------


class RequirementKind(models.TextChoices):
    """What the coordinating municipality checks before and during a contract (WM-SO 2.4 d; MH 3.2, 4.1)."""

    QUALITY = "kwaliteit", _("Kwaliteitseisen")
    LEGAL = "wettelijk", _("Wettelijke eisen")
    CONDUCT = "vog", _("Verklaring omtrent het gedrag")
    INSURANCE = "verzekering", _("Verzekeringen")
    FINANCIAL = "financieel", _("Financiële gezondheid")
    WNT = "wnt", _("Wet normering topinkomens")
    EMPLOYER = "werkgeverschap", _("Goed werkgeverschap")


class RequirementOutcome(models.TextChoices):
    MET = "voldaan", _("Voldoet")
    NOT_MET = "niet_voldaan", _("Voldoet niet")


class RequirementCheck(TenantModel):
    """One check of one requirement: when, with what outcome, until when it holds, and the evidence (a private
    document of the register)."""

    tenant_region = "provider__region"

    provider = models.ForeignKey(
        Provider, verbose_name=_("aanbieder"), on_delete=models.CASCADE, related_name="requirement_checks"
    )
    kind = models.CharField(_("eis"), max_length=20, choices=RequirementKind.choices)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=RequirementOutcome.choices)
    checked_on = models.DateField(_("getoetst op"), validators=[PlausibleDate(not_in_future=True)])
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True, validators=[PlausibleDate()])
    evidence = models.ForeignKey(
        "inkoop.PurchasingDocument",
        verbose_name=_("bewijsstuk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("toelichting"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        "regio.User", verbose_name=_("getoetst door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toetsing")
        verbose_name_plural = _("toetsingen")
        ordering = ["provider", "kind", "-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"

    def holds_on(self, on) -> bool:
        return self.outcome == RequirementOutcome.MET and (self.valid_until is None or on <= self.valid_until)


class ContactPerson(TenantModel):
    """A contact person of a provider, per topic, with a deputy (MH 5.2: names and at least an e-mail address)."""

    tenant_region = "provider__region"

    provider = models.ForeignKey(
        Provider, verbose_name=_("aanbieder"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("naam"), max_length=150)
    function = models.CharField(_("functie"), max_length=150, blank=True)
    topic = models.CharField(_("onderwerp"), max_length=150, blank=True, help_text=_("Leeg: algemeen contact."))
    email = models.EmailField(_("e-mailadres"), max_length=200)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    deputy_for = models.ForeignKey(
        "self",
        verbose_name=_("vervanger van"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deputies",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["provider", "topic", "deputy_for_id", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.deputy_for_id and self.deputy_for.provider_id != self.provider_id:
            raise ValidationError({"deputy_for": _("Een vervanger hoort bij dezelfde aanbieder.")})
        if self.deputy_for_id and self.deputy_for.deputy_for_id:
            raise ValidationError({"deputy_for": _("Een vervanger vervangt een contactpersoon, geen vervanger.")})


class Screening(TenantModel):
    """A screening result of the provider from elsewhere, e.g. toezicht's preventive screening (issue 16).

    Toezicht does not import inkoop (side apps do not import each other): it records a result through the hook in
    ``regio.screening`` (``record_screening``), which inkoop registers; the provider is found by region and KvK
    number. Only a reference, date, outcome and a short summary are kept here, never the case itself."""

    tenant_region = "provider__region"

    provider = models.ForeignKey(
        Provider, verbose_name=_("aanbieder"), on_delete=models.CASCADE, related_name="screenings"
    )
    source = models.CharField(_("bron"), max_length=40)
    reference = models.CharField(_("kenmerk"), max_length=100)
    screened_on = models.DateField(_("gescreend op"), validators=[PlausibleDate(not_in_future=True)])
    outcome = models.CharField(_("uitkomst"), max_length=100)
    summary = models.CharField(_("samenvatting"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["provider", "-screened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "source", "reference"], name="screening_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.reference}"


class ProviderParty(TenantModel):
    """An agreement's provider party (MH 4.1, bijlage 1) pointed at its record in the register.

    The link lives here because agreements may not import inkoop (tests/test_architecture.py); migration 0002 links
    the names that were free text until now."""

    tenant_region = "provider__region"

    party = models.OneToOneField(
        "agreements.Party", verbose_name=_("partij"), on_delete=models.CASCADE, related_name="provider_link"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("aanbieder"), on_delete=models.PROTECT, related_name="party_links"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aanbieder als partij")
        verbose_name_plural = _("aanbieders als partij")
        ordering = ["provider", "party"]

    def __str__(self) -> str:
        return f"{self.provider} – {self.party.agreement}"
