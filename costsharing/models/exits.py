"""Secondment (WM-SO 4.10) and the leaver's bill (WM-SO 16.3-16.6, WM-2015 6.7, BNO 15.4).

A secondment is staff a member lends to the coordinating municipality to fill the formation; its cost is owed to
that member. An exit statement lists what a member that leaves (or every member, when the agreement ends as a whole)
still owes under its agreement's exit articles. Rules live in ``costsharing/services/secondment.py`` and
``costsharing/services/leavers.py``; nobody sets a status by hand (STYLE.md rule 3).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from costsharing.models.choices import AMOUNT
from regio.tenancy import TenantModel


class SecondmentSettlement(models.TextChoices):
    CREDIT = "credit", _("aparte creditregel aan de detacherende gemeente")
    OFFSET = "offset", _("verrekenen met de bijdrage van de detacherende gemeente")


class SecondmentSetting(TenantModel):
    """How a region settles the cost of seconded staff with the member that seconds them (WM-SO 4.10): a credit of
    its own, or set off against that member's fee. A region setting, loaded from the region file."""

    tenant_region = "region"

    region = models.OneToOneField("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    settlement = models.CharField(
        _("verrekening"), max_length=10, choices=SecondmentSettlement.choices, default=SecondmentSettlement.CREDIT
    )
    article = models.CharField(_("artikel"), max_length=100, default="WM-SO 4.10")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("instelling detachering")
        verbose_name_plural = _("instellingen detachering")

    def __str__(self) -> str:
        return f"{self.region}: {self.get_settlement_display()}"


class Secondment(TenantModel):
    """Staff a member seconds to the coordinating municipality in a year (WM-SO 4.10: "De benodigde formatie ...
    kan worden ingevuld vanuit de deelnemende gemeenten op basis van detachering"). They are part of the formation
    (the fee counts them); their cost is owed to the seconding member."""

    tenant_region = "region"
    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("jaar"))
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("detacherende gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    function = models.CharField(_("functie"), max_length=200)
    scale = models.PositiveSmallIntegerField(_("schaal"), null=True, blank=True)
    fte = models.DecimalField(_("fte"), max_digits=8, decimal_places=4)
    amount = models.DecimalField(_("kosten verschuldigd aan de gemeente"), **AMOUNT)
    basis = models.TextField(_("grondslag van het bedrag"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("detachering")
        verbose_name_plural = _("detacheringen")
        ordering = ["region", "year", "municipality__name", "function"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "municipality", "function"], name="secondment_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="secondment_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(fte__gt=0), name="secondment_fte_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.function} ({self.municipality}) {self.year}"


class ExitScenario(models.TextChoices):
    LEAVER = "uittreding", _("Uittreding van één gemeente")
    FULL = "geheel", _("Gehele beëindiging van de overeenkomst")


class ExitStatus(models.TextChoices):
    DRAFT = "concept", _("Concept")
    FINAL = "vastgesteld", _("Vastgesteld")
    INVOICED = "gefactureerd", _("Gefactureerd")


class ExitLineKind(models.TextChoices):
    PRO_RATA = "pro_rata", _("Aandeel in de kosten tot de uittredingsdatum")
    FEE_INVOICED = "fee_invoiced", _("Al gefactureerde bijdrage van het uittredingsjaar")
    STAFF = "staff", _("Personeel: overname of kosten")
    OBLIGATIONS = "obligations", _("Uitvoeringskosten en contractuele verplichtingen")
    LIQUIDATION = "liquidation", _("Aandeel in de opheffings- of liquidatiekosten")
    CONSEQUENCES = "consequences", _("Financiële en personele gevolgen van gehele opzegging")


class ExitStatement(TenantModel):
    """The final statement of a member that leaves (WM-SO 16.3-16.4, WM-2015 6.7, BNO 15.4), or of each member when
    the agreement ends as a whole (WM-SO 16.6). Draft while amounts are entered; final (frozen) once adopted;
    invoiced through invoicing's draft/issue services."""

    tenant_region = "region"
    tenant_municipality = "municipality"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(
        "agreements.Agreement", verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="+"
    )
    notice = models.ForeignKey(
        "agreements.Notice",
        verbose_name=_("opzegging"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    scenario = models.CharField(_("soort"), max_length=20, choices=ExitScenario.choices, default=ExitScenario.LEAVER)
    exit_date = models.DateField(_("uittredingsdatum"))
    obligations_until = models.DateField(_("verplichtingen tot"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ExitStatus.choices, default=ExitStatus.DRAFT)
    explanation = models.TextField(_("toelichting"), blank=True)
    drawn_up_at = models.DateTimeField(_("opgesteld op"), auto_now_add=True)
    finalised_at = models.DateTimeField(_("vastgesteld op"), null=True, blank=True)
    invoiced_at = models.DateTimeField(_("gefactureerd op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eindafrekening bij uittreding")
        verbose_name_plural = _("eindafrekeningen bij uittreding")
        ordering = ["-exit_date", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "municipality", "scenario", "exit_date"], name="exit_statement_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Eindafrekening {self.agreement.code} {self.municipality.name}"

    @property
    def is_draft(self) -> bool:
        return self.status == ExitStatus.DRAFT


class ExitStatementLine(TenantModel):
    """One item of an exit statement: computed (the pro rata share, a key share of a total) or entered (an amount
    with its basis), always naming its article."""

    tenant_region = "statement__region"
    tenant_municipality = "statement__municipality"

    statement = models.ForeignKey(ExitStatement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    kind = models.CharField(_("soort"), max_length=20, choices=ExitLineKind.choices)
    description = models.CharField(_("omschrijving"), max_length=300)
    basis = models.TextField(_("grondslag"))
    article = models.CharField(_("artikel"), max_length=100)
    total = models.DecimalField(
        _("totaal voor de regio"),
        null=True,
        blank=True,
        help_text=_("Bij een aandeel via de verdeelsleutel: het bedrag dat verdeeld is."),
        **AMOUNT,
    )
    key_version = models.ForeignKey(
        "costsharing.KeyVersion",
        verbose_name=_("sleutelversie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("bedrag"), **AMOUNT)
    entered = models.BooleanField(_("ingevoerd bedrag"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regel van een eindafrekening")
        verbose_name_plural = _("regels van eindafrekeningen")
        ordering = ["statement", "position", "pk"]

    def _frozen(self) -> bool:
        ids = {self.statement_id}
        if not self._state.adding and self.pk is not None:
            ids |= set(
                ExitStatementLine.objects.unrestricted("guard: the stored row's statement")
                .filter(pk=self.pk)
                .values_list("statement_id", flat=True)
            )
        return (
            ExitStatement.objects.unrestricted("guard: the statement's current status")
            .filter(pk__in=ids)
            .exclude(status=ExitStatus.DRAFT)
            .exists()
        )

    def save(self, *args, **kwargs):
        if self._frozen():
            raise ValidationError(_("Een vastgestelde eindafrekening verandert niet."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._frozen():
            raise ValidationError(_("Een vastgestelde eindafrekening verandert niet."))
        return super().delete(*args, **kwargs)
