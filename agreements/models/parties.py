"""Parties to an agreement and the mandates they give (issue #4)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from regio.models import Municipality
from regio.tenancy import TenantModel


class PartyRole(models.TextChoices):
    COORDINATING = "coordinerend", _("Coördinerende gemeente / gastheergemeente")
    CENTRE = "centrumgemeente", _("Centrumgemeente")
    MEMBER = "deelnemer", _("Deelnemende gemeente")
    PROVIDER = "dienstverlener", _("Dienstverlener (aanbieder)")


class Party(TenantModel):
    """A party to an agreement: a municipality or, for Maastricht-Heuvelland, a provider (MH 4.1, bijlage 1)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.CASCADE, related_name="parties"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("gemeente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    provider_name = models.CharField(_("naam dienstverlener"), max_length=200, blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=PartyRole.choices, default=PartyRole.MEMBER)
    signatory = models.CharField(_("ondertekenaar"), max_length=200, blank=True)
    signatory_function = models.CharField(_("functie ondertekenaar"), max_length=200, blank=True)
    represented_by = models.CharField(_("vertegenwoordigd door"), max_length=300, blank=True)
    college_decision_on = models.DateField(_("datum collegebesluit"), null=True, blank=True)
    signed_on = models.DateField(_("ondertekend op"), null=True, blank=True)
    joined_on = models.DateField(_("partij vanaf"), null=True, blank=True)
    left_on = models.DateField(
        _("partij tot"), null=True, blank=True, help_text=_("De uittredingsdatum: vanaf deze dag geen partij meer.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")
        ordering = ["agreement", "municipality__name", "provider_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "municipality"],
                condition=Q(municipality__isnull=False),
                name="party_unique_municipality",
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=False) | ~Q(provider_name=""),
                name="party_is_municipality_or_provider",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.municipality.name if self.municipality_id else self.provider_name

    def is_party_on(self, on: date) -> bool:
        started = self.joined_on or self.agreement.effective_from
        return started <= on and (self.left_on is None or on < self.left_on)

    def clean(self) -> None:
        if not self.municipality_id and not self.provider_name:
            raise ValidationError(_("Een partij is een gemeente of een dienstverlener met een naam."))
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("De uittredingsdatum ligt voor de toetredingsdatum.")})


class Power(models.TextChoices):
    """The register of powers (WM-SO 4.12; BNO 4-5; SPEC §5)."""

    PURCHASING = "purchasing", _("Inkoop en aanbesteding")
    CONTRACT_MANAGEMENT = "contract_management", _("Contractmanagement en contractbeheer")
    SUPPLIER_MANAGEMENT = "supplier_management", _("Leveranciersmanagement")
    FRAMEWORK_CONTRACTS = "framework_contracts", _("Raamcontracten sluiten")
    INVOICING = "invoicing", _("Factureren en innen")
    PROTECTED_HOUSING_ACCESS = "protected_housing_access", _("Toegang beschermd wonen")
    SUPERVISION = "supervision", _("Toezicht Wmo")


class MandatedBody(models.TextChoices):
    COLLEGE = "college", _("College van burgemeester en wethouders")
    MAYOR = "burgemeester", _("Burgemeester")


class Mandate(TenantModel):
    """A mandate (mandaat, volmacht, machtiging) from one municipality to another's body (SPEC §5).

    It never outlasts its agreement (WM-SO 15.3): validation refuses it, and ending the agreement ends it.
    """

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="mandates"
    )
    mandating = models.ForeignKey(
        Municipality, verbose_name=_("mandaatgever"), on_delete=models.PROTECT, related_name="mandates_given"
    )
    mandated = models.ForeignKey(
        Municipality, verbose_name=_("gemandateerde gemeente"), on_delete=models.PROTECT, related_name="mandates_held"
    )
    mandated_body = models.CharField(_("gemandateerd orgaan"), max_length=20, choices=MandatedBody.choices)
    powers = models.JSONField(_("bevoegdheden"), default=list, help_text=_("Codes uit het bevoegdhedenregister."))
    detail = models.TextField(_("omschrijving"), blank=True)
    sub_mandate_allowed = models.BooleanField(_("ondermandaat toegestaan"), default=False, help_text=_("BNO 5.2."))
    sub_mandate_to = models.CharField(_("ondermandaat aan"), max_length=300, blank=True)
    legal_basis = models.CharField(_("grondslag"), max_length=300, blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    end_reason = models.CharField(_("reden van beëindiging"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mandaat")
        verbose_name_plural = _("mandaten")
        ordering = ["agreement", "mandating__name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="mandate_period_valid",
            ),
        ]

    def __str__(self) -> str:
        body = self.get_mandated_body_display().lower()
        return f"{self.mandating.name} → {body} {self.mandated.name} ({self.agreement.code})"

    @property
    def power_labels(self) -> list[str]:
        return [str(Power(p).label) for p in self.powers if p in Power.values]

    def is_valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if not isinstance(self.powers, list) or not self.powers:
            errors["powers"] = [_("Kies ten minste één bevoegdheid.")]
        else:
            unknown = [p for p in self.powers if p not in Power.values]
            if unknown:
                errors["powers"] = [
                    _("Onbekende bevoegdheid: %(codes)s (kies uit: %(known)s).")
                    % {"codes": ", ".join(map(str, unknown)), "known": ", ".join(Power.values)}
                ]
        if self.sub_mandate_to and not self.sub_mandate_allowed:
            errors["sub_mandate_to"] = [_("Ondermandaat aan iemand vraagt dat ondermandaat is toegestaan.")]
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            errors["valid_until"] = [_("De einddatum ligt voor de begindatum.")]
        if self.agreement_id:
            agreement = self.agreement
            # WM-SO 15.3: the (sub)mandate holds at most for the duration of the agreement.
            if agreement.effective_until and (
                self.valid_until is None or self.valid_until > agreement.effective_until
            ):
                errors.setdefault("valid_until", []).append(
                    _("Een mandaat duurt niet langer dan zijn overeenkomst (WM-SO 15.3): die loopt tot en met %(d)s.")
                    % {"d": agreement.effective_until.strftime("%d-%m-%Y")}
                )
            if self.valid_from and self.valid_from < agreement.effective_from:
                errors.setdefault("valid_from", []).append(
                    _("Een mandaat begint niet voor zijn overeenkomst (in werking vanaf %(d)s).")
                    % {"d": agreement.effective_from.strftime("%d-%m-%Y")}
                )
        if self.mandating_id and self.mandating_id == self.mandated_id:
            errors["mandated"] = [_("Een gemeente geeft zichzelf geen mandaat.")]
        if errors:
            raise ValidationError(errors)
