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


class Provider(TenantModel):
    """A provider in a region's register (WM-SO 2.4 d): who it is and where it works."""

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(_("naam"), max_length=200)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, validators=[validate_kvk])
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
            models.UniqueConstraint(fields=["region", "kvk_number"], name="provider_unique_kvk_per_region"),
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

    def clean(self) -> None:
        self.kvk_number = compact(self.kvk_number)
        self.vat_number = compact(self.vat_number)
        self.agb_code = compact(self.agb_code)
        if not (self.in_kind or self.personal_budget):
            raise ValidationError(_("Kies zorg in natura, pgb of beide."))
        if not self.domains:
            raise ValidationError(_("Kies ten minste één domein."))
