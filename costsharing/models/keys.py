"""Allocation keys, their versions and shares, and the key per category (SPEC §6, issue #5)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from costsharing.models.choices import WEIGHT, Basis, Category
from regio.tenancy import TenantModel

# --- Allocation keys ---------------------------------------------------------------------------------------------


class AllocationKey(TenantModel):
    """A verdeelsleutel of a region (SPEC §6.1). Its versions say how it split costs over time."""

    tenant_region = "region"

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="allocation_keys"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("naam"), max_length=200)
    source = models.CharField(_("bron (artikel)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verdeelsleutel")
        verbose_name_plural = _("verdeelsleutels")
        ordering = ["region__name", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="allocation_key_unique_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class KeyVersion(TenantModel):
    """One version of a key: its basis, reference date, validity and (except for FTE) its shares.

    An FTE version has no shares of its own: its weights are the supervision capacity of the year in
    ``toezicht.SupervisionCapacity`` (one source of truth, WM-DVO annex 4).
    """

    tenant_region = "key__region"

    key = models.ForeignKey(
        AllocationKey, verbose_name=_("sleutel"), on_delete=models.CASCADE, related_name="versions"
    )
    basis = models.CharField(_("grondslag"), max_length=20, choices=Basis.choices)
    reference_date = models.DateField(_("peildatum"), null=True, blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sleutelversie")
        verbose_name_plural = _("sleutelversies")
        ordering = ["key", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="key_version_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="key_version_period_valid",
            ),
        ]

    def __str__(self) -> str:
        until = f"{self.valid_until:%d-%m-%Y}" if self.valid_until else "…"
        return f"{self.key.code} {self.valid_from:%d-%m-%Y} – {until} ({self.get_basis_display()})"

    def is_valid_on(self, on) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def clean(self) -> None:
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Het einde van de geldigheid ligt voor het begin.")})


class KeyShare(TenantModel):
    """A municipality's weight in a key version: inhabitants, FTE, clients or a percentage, exactly as given."""

    tenant_region = "version__key__region"

    version = models.ForeignKey(KeyVersion, verbose_name=_("versie"), on_delete=models.CASCADE, related_name="shares")
    municipality = models.ForeignKey("regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT)
    weight = models.DecimalField(_("gewicht"), **WEIGHT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aandeel")
        verbose_name_plural = _("aandelen")
        ordering = ["version", "municipality__code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "municipality"], name="key_share_unique_member"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="key_share_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.weight}"


class CategoryKey(TenantModel):
    """Which key splits a cost category in a region (e.g. supervision by the FTE key, WM-DVO annex 4)."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("kostensoort"), max_length=30, choices=Category.choices)
    key = models.ForeignKey(AllocationKey, verbose_name=_("sleutel"), on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sleutel per kostensoort")
        verbose_name_plural = _("sleutels per kostensoort")
        constraints = [models.UniqueConstraint(fields=["region", "category"], name="category_key_unique")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.key.code}"
