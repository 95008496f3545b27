"""The agreement itself: code, kind, term, exit rules, interest kind and VAT treatment (issue #4, SPEC §1; #12)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.vat import VAT_NEEDS_REASON, VatTreatment, vatex_validator
from regio.models import Municipality, Region
from regio.tenancy import TenantModel

AGREEMENT_CODE_RE = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$"
agreement_code_validator = RegexValidator(
    AGREEMENT_CODE_RE,
    _("Een code bestaat uit letters en cijfers met koppeltekens, bijvoorbeeld WM-SO-2025."),
    code="invalid_agreement_code",
)


class AgreementKind(models.TextChoices):
    COOPERATION = "samenwerkingsovereenkomst", _("Samenwerkingsovereenkomst")
    SERVICE = "dienstverleningsovereenkomst", _("Dienstverleningsovereenkomst")
    CENTRAL_SCHEME = "centrumregeling", _("Centrumregeling (Wgr)")
    MANDATE_DECISION = "mandaatbesluit", _("Mandaatbesluit")
    PROCESSING = "verwerkersovereenkomst", _("Verwerkersovereenkomst")
    ADDENDUM = "addendum", _("Addendum")


class InterestKind(models.TextChoices):
    """The one kind of statutory interest, shared by agreements and invoicing (invoicing imports it from here).

    SPEC §6.6: a setting per agreement, defaulting to art. 6:119 BW as WM-SO 6.9 says; invoices and invoicing
    profiles take it over. The values are the ones invoicing always stored and its API answers; agreements stored
    ``wettelijke_rente`` / ``handelsrente`` until migration agreements 0004 translated them.
    """

    NON_COMMERCIAL = "non-commercial", _("Wettelijke rente (art. 6:119 BW)")
    COMMERCIAL = "commercial", _("Wettelijke handelsrente (art. 6:119a/6:119b BW)")


INTEREST_KIND_HELP = _(
    "Welke wettelijke rente geldt bij te late betaling (WM-SO 6.9 noemt de wettelijke rente van art. 6:119 BW). "
    "Let op: de rijksoverheid rekent in haar eigen handreiking overeenkomsten tussen publieke organisaties (haar "
    "voorbeeld: een provincie en het UWV) tot handelstransacties; de jurist van de regio kan dus ook voor de "
    "handelsrente (art. 6:119a/6:119b BW) kiezen."
)


class Agreement(TenantModel):
    """An agreement of a cooperation (SO, DVO, centrumregeling, ...) with its exit rules as data (SPEC §3).

    ``effective_until`` is the last day the agreement is in force (inclusive); empty means indefinite.
    An exit date ("per 1 april 2029") is the first day a party is no longer bound.
    """

    tenant_region = "region"

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[agreement_code_validator])
    kind = models.CharField(_("soort"), max_length=40, choices=AgreementKind.choices)
    title = models.CharField(_("titel"), max_length=300)
    citation_title = models.CharField(_("citeertitel"), max_length=400, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="agreements")
    coordinator = models.ForeignKey(
        Municipality,
        verbose_name=_("coördinerende gemeente"),
        on_delete=models.PROTECT,
        related_name="coordinated_agreements",
        null=True,
        blank=True,
    )
    effective_from = models.DateField(
        _("in werking vanaf"), help_text=_("Mag voor de ondertekening liggen: terugwerkende kracht (WM-SO 15.1).")
    )
    effective_until = models.DateField(
        _("in werking tot en met"), null=True, blank=True, help_text=_("Leeg: voor onbepaalde tijd.")
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("vervangt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        help_text=_("De overeenkomst die deze vervangt (WM-SO 15.2)."),
    )
    replaces_text = models.CharField(
        _("vervangt (buiten het systeem)"),
        max_length=400,
        blank=True,
        help_text=_("Naam van een vervangen overeenkomst die niet in het systeem staat."),
    )
    elaborates = models.ForeignKey(
        "self",
        verbose_name=_("werkt uit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elaborations",
        help_text=_(
            "De overeenkomst die deze uitwerkt en waarboven deze gaat bij strijdigheid; eindigt van rechtswege "
            "met die overeenkomst (WM-DVO algemeen 1, 8.4)."
        ),
    )
    signed_on = models.DateField(_("ondertekend op"), null=True, blank=True)
    end_reason = models.CharField(_("reden van beëindiging"), max_length=400, blank=True)

    # --- exit rules (SPEC §3) ---
    exit_first_possible_end = models.DateField(
        _("eerst mogelijke einddatum"), null=True, blank=True, help_text=_("WM-SO 16.1: 1 april 2029.")
    )
    exit_min_notice_months = models.PositiveSmallIntegerField(
        _("minimale opzegtermijn (maanden)"), null=True, blank=True, help_text=_("WM-SO 16.1: 12; MH 3.5: 6.")
    )
    exit_fixed_end_month = models.PositiveSmallIntegerField(
        _("uittreden alleen per maand"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("BNO 15.2: uitsluitend per 1 januari (maand 1, dag 1)."),
    )
    exit_fixed_end_day = models.PositiveSmallIntegerField(
        _("uittreden alleen per dag"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    exit_only_on = models.DateField(
        _("uittreden alleen per datum"),
        null=True,
        blank=True,
        help_text=_("Een overeenkomst die maar op één datum kan eindigen; na die datum beslist het systeem niet."),
    )
    exit_min_months_after_decision = models.PositiveSmallIntegerField(
        _("minimaal maanden na bekendmaking besluit"), null=True, blank=True, help_text=_("WM-2015 6.6: 6.")
    )
    exit_requires_registered_letter = models.BooleanField(
        _("aangetekende brief vereist"), default=False, help_text=_("WM-2015 6.4; BNO 15.3.")
    )
    exit_requires_special_circumstances = models.BooleanField(
        _("alleen wegens bijzondere omstandigheden"), default=False, help_text=_("MH 3.5.")
    )
    exit_obligations_until = models.DateField(
        _("verplichtingen lopen door tot"),
        null=True,
        blank=True,
        help_text=_("BNO 15.4: uitvoeringskosten en contractuele verplichtingen tot 1 januari 2024."),
    )
    exit_obligations_text = models.TextField(_("verplichtingen na uittreding"), blank=True)
    exit_citations = models.JSONField(
        _("artikelen bij de uittredingsregels"),
        default=dict,
        blank=True,
        help_text=_(
            'Per regel het artikel waarop zij rust, bijv. {"notice": "BNO 15.3", "fixed_day": "BNO 15.2"}. '
            "Sleutels: notice, first_end, fixed_day, only_on, after_decision, registered_letter, "
            "special_circumstances, obligations, term, default_notice, ends_with."
        ),
    )
    default_notice_days = models.PositiveSmallIntegerField(
        _("termijn ingebrekestelling (dagen)"),
        null=True,
        blank=True,
        help_text=_("WM-SO 16.2: ontbinding na schriftelijke ingebrekestelling met ten minste 30 dagen."),
    )
    accession_rule = models.CharField(
        _("regel voor toetreding"), max_length=300, blank=True, help_text=_("WM-SO 13; WM-2015 6.1; BNO 14.")
    )
    amendment_rule = models.CharField(
        _("regel voor wijziging"), max_length=300, blank=True, help_text=_("WM-SO 12.2-12.3; WM-2015 6.3; BNO 13.")
    )
    consent_needs_council = models.BooleanField(
        _("instemming vraagt toestemming van de raad"),
        default=False,
        help_text=_("BNO 13.3, 14.1: alle colleges na verkregen toestemming van hun raden."),
    )

    amendment_needs_advice = models.BooleanField(
        _("wijziging vraagt eerst een positief advies van het portefeuillehoudersoverleg"),
        default=False,
        help_text=_("BNO 13.2: pas na dat advies gaat het voorstel naar de colleges."),
    )
    withdrawal_needs_council = models.BooleanField(
        _("uittreding vraagt een collegebesluit na toestemming van de raad"),
        default=False,
        help_text=_("BNO 15.1: de regiogemeente treedt uit bij collegebesluit na toestemming van de raad."),
    )
    dispute_routes = models.JSONField(
        _("escalatie van geschillen"),
        default=list,
        blank=True,
        help_text=_(
            'Welke routes de overeenkomst kent, bijv. [{"route": "mediation", "article": "MH 10.4"}, {"route": '
            '"rechter", "article": "WM-SO 14.4", "forum": "rechtbank Limburg"}]. Leeg: de route van de soort '
            "overeenkomst (centrumregeling: Gedeputeerde Staten, art. 28 Wgr; anders de bevoegde rechter)."
        ),
    )

    # --- payment (SPEC §6.6) ---
    payment_term_days = models.PositiveSmallIntegerField(_("betalingstermijn (dagen)"), default=30)
    interest_kind = models.CharField(
        _("soort wettelijke rente"),
        max_length=20,
        choices=InterestKind.choices,
        default=InterestKind.NON_COMMERCIAL,
        help_text=INTEREST_KIND_HELP,
    )

    # --- VAT (issue 12; WM-SO 6.8) ---
    vat_rate = models.CharField(
        _("btw op de facturen"),
        max_length=10,
        choices=VatTreatment.choices,
        default=VatTreatment.STANDARD,
        help_text=_("WM-SO 6.8: btw verschuldigd (21 %). Vrijgesteld of buiten de reikwijdte: geef de reden."),
    )
    vat_reason = models.CharField(_("reden van de btw-behandeling"), max_length=400, blank=True)
    vat_article = models.CharField(_("artikel (btw)"), max_length=100, blank=True)
    vat_exemption_code = models.CharField(
        _("vrijstellingscode (VATEX)"), max_length=30, blank=True, validators=[vatex_validator]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overeenkomst")
        verbose_name_plural = _("overeenkomsten")
        ordering = ["region__name", "-effective_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True) | Q(effective_until__gte=models.F("effective_from")),
                name="agreement_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def short_code(self) -> str:
        """The article prefix used in SPEC.md ("WM-SO 16.1"): the code without its year."""
        parts = self.code.split("-")
        return "-".join(parts[:-1]) if len(parts) > 1 and parts[-1].isdigit() and len(parts) > 2 else self.code

    def is_in_force_on(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_until is None or on <= self.effective_until)

    def clean(self) -> None:
        errors = {}
        if self.effective_until and self.effective_from and self.effective_until < self.effective_from:
            errors["effective_until"] = _("De einddatum ligt voor de ingangsdatum.")
        if (self.exit_fixed_end_month is None) != (self.exit_fixed_end_day is None):
            errors["exit_fixed_end_day"] = _("Vul zowel de maand als de dag in (of geen van beide).")
        elif self.exit_fixed_end_month:
            try:
                date(2001, self.exit_fixed_end_month, self.exit_fixed_end_day)
            except ValueError:
                errors["exit_fixed_end_day"] = _("Die dag bestaat niet in die maand.")
        if self.pk and self.elaborates_id == self.pk:
            errors["elaborates"] = _("Een overeenkomst kan zichzelf niet uitwerken.")
        if self.pk and self.replaces_id == self.pk:
            errors["replaces"] = _("Een overeenkomst kan zichzelf niet vervangen.")
        if self.elaborates_id and self.elaborates.region_id != self.region_id:
            errors["elaborates"] = _("De uitgewerkte overeenkomst hoort bij een andere regio.")
        if self.vat_rate in VAT_NEEDS_REASON and not self.vat_reason.strip():
            errors["vat_reason"] = _(
                "Geef de reden van de vrijstelling of waarom de btw buiten de reikwijdte valt (EN 16931 BR-E-10, "
                "BR-O-10)."
            )
        if errors:
            raise ValidationError(errors)
