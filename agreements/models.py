"""Agreements, parties, exit rules, mandates, workflows, meetings, plans, documents and reminders (issue #4).

Every model is tenant-scoped through its region (the cooperation, SPEC §1): members see the regional documents of
the cooperations they take part in; only the region's coordinating staff change them. Per-person records (calendar
tokens, sent reminders) are visible to their owner only. Every model keeps an audit trail (django-simple-history).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.models import Municipality, Region
from regio.tenancy import NOTHING, Scope, TenantModel

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
    # SPEC §6.6: a setting per agreement, defaulting to art. 6:119 BW as WM-SO 6.9 says.
    STATUTORY = "wettelijke_rente", _("Wettelijke rente (art. 6:119 BW)")
    COMMERCIAL = "handelsrente", _("Wettelijke handelsrente (art. 6:119a/6:119b BW)")


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

    # --- payment (SPEC §6.6) ---
    payment_term_days = models.PositiveSmallIntegerField(_("betalingstermijn (dagen)"), default=30)
    interest_kind = models.CharField(
        _("soort wettelijke rente"),
        max_length=20,
        choices=InterestKind.choices,
        default=InterestKind.STATUTORY,
        help_text=INTEREST_KIND_HELP,
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
        if errors:
            raise ValidationError(errors)


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


# --- workflows --------------------------------------------------------------------------------------------------


class NoticeKind(models.TextChoices):
    TERMINATION = "opzegging", _("Opzegging")
    WITHDRAWAL = "uittreding", _("Uittreding")
    DISSOLUTION = "ontbinding", _("Ontbinding na ingebrekestelling")


class NoticeStatus(models.TextChoices):
    RECEIVED = "ontvangen", _("Ontvangen")
    REGISTERED = "geregistreerd", _("Geregistreerd, uittredingsdatum berekend")
    EFFECTED = "uitgetreden", _("Uitgetreden")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


class Notice(TenantModel):
    """A notice of termination or withdrawal by one party (WM-SO 16; WM-2015 6.4-6.7; BNO 15)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="notices"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("opzeggende gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.TERMINATION)
    status = models.CharField(_("status"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.RECEIVED)
    received_on = models.DateField(_("ontvangen op"))
    registered_letter = models.BooleanField(_("per aangetekende brief"), default=False)
    letter_reference = models.CharField(_("kenmerk brief"), max_length=100, blank=True)
    decision_announced_on = models.DateField(_("besluit bekendgemaakt op"), null=True, blank=True)
    exit_date = models.DateField(_("uittredingsdatum"), null=True, blank=True)
    obligations_until = models.DateField(_("verplichtingen tot"), null=True, blank=True)
    explanation = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opzegging")
        verbose_name_plural = _("opzeggingen")
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.agreement.code} door {self.municipality.name}"


class AccessionStatus(models.TextChoices):
    REQUESTED = "aangevraagd", _("Aangevraagd")
    JOINED = "toegetreden", _("Toegetreden")
    REFUSED = "geweigerd", _("Geweigerd")


class Accession(TenantModel):
    """A municipality asks to join; every current party must consent (WM-SO 13; WM-2015 6.1; BNO 14)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="accessions"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("toetredende gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("aangevraagd op"))
    status = models.CharField(
        _("status"), max_length=20, choices=AccessionStatus.choices, default=AccessionStatus.REQUESTED
    )
    joined_on = models.DateField(_("toegetreden per"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toetreding")
        verbose_name_plural = _("toetredingen")
        ordering = ["-requested_on"]

    def __str__(self) -> str:
        return f"Toetreding {self.municipality.name} tot {self.agreement.code}"


class AmendmentStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("Voorgesteld")
    ADOPTED = "vastgesteld", _("Vastgesteld en gehecht")
    REJECTED = "verworpen", _("Verworpen")


class Amendment(TenantModel):
    """A change or addendum: proposed, approved per party, adopted only when every party approved (WM-SO 12.2-12.3,
    WM-2015 6.2-6.3, BNO 13), then attached to the agreement with its own effective date."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="amendments"
    )
    title = models.CharField(_("titel"), max_length=300)
    is_addendum = models.BooleanField(_("addendum"), default=True)
    description = models.TextField(_("omschrijving"), blank=True)
    proposed_on = models.DateField(_("voorgesteld op"))
    proposed_by = models.ForeignKey(
        Municipality, verbose_name=_("voorgesteld door"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AmendmentStatus.choices, default=AmendmentStatus.PROPOSED
    )
    adopted_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    effective_from = models.DateField(_("in werking vanaf"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("wijziging of addendum")
        verbose_name_plural = _("wijzigingen en addenda")
        ordering = ["-proposed_on"]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.title}"


class Decision(TenantModel):
    """One party's consent or approval in an accession or amendment, dated and attributed."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    accession = models.ForeignKey(Accession, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    in_favour = models.BooleanField(_("stemt in"))
    decided_on = models.DateField(_("besloten op"))
    council_consent_on = models.DateField(_("toestemming raad op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("besluit van een partij")
        verbose_name_plural = _("besluiten van partijen")
        ordering = ["decided_on"]
        constraints = [
            models.UniqueConstraint(fields=["accession", "municipality"], name="decision_once_per_accession"),
            models.UniqueConstraint(fields=["amendment", "municipality"], name="decision_once_per_amendment"),
            models.CheckConstraint(
                condition=Q(accession__isnull=False, amendment__isnull=True)
                | Q(accession__isnull=True, amendment__isnull=False),
                name="decision_one_subject",
            ),
        ]

    def __str__(self) -> str:
        verb = "stemt in" if self.in_favour else "stemt niet in"
        return f"{self.municipality.name} {verb} ({self.decided_on:%d-%m-%Y})"


class WorkflowEvent(TenantModel):
    """A dated, attributed step of a workflow (notice, accession, amendment, agreement end): the timeline's source."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("datum"))
    action = models.CharField(_("stap"), max_length=300)
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    accession = models.ForeignKey(Accession, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    amendment = models.ForeignKey(Amendment, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["on", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.on:%d-%m-%Y} {self.action}"


# --- governance -------------------------------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    ADMINISTRATIVE = "bestuurlijk", _("Bestuurlijk overleg / portefeuillehoudersoverleg")
    POLICY = "ambtelijk_beleid", _("Ambtelijk overleg (beleid)")
    OPERATIONAL = "ambtelijk_uitvoerend", _("Ambtelijk overleg (uitvoering)")
    DEVELOPMENT_TABLE = "ontwikkeltafel", _("Ontwikkeltafel")


class MeetingRequirement(TenantModel):
    """A minimum number of meetings of a kind per year, as the agreement says (WM-SO 3.1-3.2; BNO 8.2)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="meeting_requirements")
    kind = models.CharField(_("soort overleg"), max_length=30, choices=MeetingKind.choices)
    per_year = models.PositiveSmallIntegerField(_("minimaal per jaar"))
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minimale overlegfrequentie")
        verbose_name_plural = _("minimale overlegfrequenties")
        constraints = [models.UniqueConstraint(fields=["agreement", "kind"], name="meeting_requirement_unique")]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.get_kind_display()} ≥ {self.per_year}/jaar"


class Meeting(TenantModel):
    tenant_region = "region"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="meetings")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("soort overleg"), max_length=30, choices=MeetingKind.choices)
    date = models.DateField(_("datum"))
    title = models.CharField(_("titel"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    participants = models.ManyToManyField(Municipality, verbose_name=_("deelnemers"), blank=True, related_name="+")
    extra_request = models.ForeignKey(
        "ExtraMeetingRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["region", "kind", "date"], name="meeting_unique_per_day")]

    def __str__(self) -> str:
        return f"{self.title or self.get_kind_display()} {self.date:%d-%m-%Y}"


class ExtraMeetingRequest(TenantModel):
    """BNO 8.3-8.4: portfolio holders ask, with reasons, for an extra meeting; once a third asked, it is held within
    two weeks."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="extra_meeting_requests")
    subject = models.CharField(_("onderwerp"), max_length=300)
    threshold_reached_on = models.DateField(_("een derde bereikt op"), null=True, blank=True)
    due_on = models.DateField(_("uiterlijk te houden op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verzoek extra overleg")
        verbose_name_plural = _("verzoeken extra overleg")

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.subject}"


class ExtraMeetingSupport(TenantModel):
    tenant_region = "request__agreement__region"

    request = models.ForeignKey(ExtraMeetingRequest, on_delete=models.CASCADE, related_name="supports")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("gevraagd op"))
    reasons = models.TextField(_("redenen"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "municipality"], name="extra_meeting_support_once")]

    def __str__(self) -> str:
        return f"{self.municipality.name} vraagt extra overleg ({self.on:%d-%m-%Y})"


class Recurrence(models.TextChoices):
    ONCE = "once", _("Eenmalig")
    YEARLY = "yearly", _("Jaarlijks")
    BIENNIAL = "biennial", _("Tweejaarlijks")


class PlanObligation(TenantModel):
    """A plan or report due by a date (BNO 6.1, 10.5; WM-SO 3.3, 12.1; WM-DVO algemeen 6)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="plan_obligations")
    key = models.SlugField(_("sleutel"), max_length=60)
    title = models.CharField(_("titel"), max_length=300)
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    recurrence = models.CharField(_("herhaling"), max_length=10, choices=Recurrence.choices, default=Recurrence.YEARLY)
    due_month = models.PositiveSmallIntegerField(
        _("uiterlijk maand"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        _("uiterlijk dag"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    first_year = models.PositiveSmallIntegerField(_("eerste jaar"))
    last_year = models.PositiveSmallIntegerField(_("laatste jaar"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan of verslag met termijn")
        verbose_name_plural = _("plannen en verslagen met termijn")
        constraints = [models.UniqueConstraint(fields=["agreement", "key"], name="plan_obligation_unique_key")]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.title}"


class PlanSubmission(TenantModel):
    """A plan or report delivered for one year: it no longer shows as a deadline."""

    tenant_region = "obligation__agreement__region"

    obligation = models.ForeignKey(PlanObligation, on_delete=models.CASCADE, related_name="submissions")
    year = models.PositiveSmallIntegerField(_("jaar"))
    submitted_on = models.DateField(_("ingediend op"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["obligation", "year"], name="plan_submission_once")]

    def __str__(self) -> str:
        return f"{self.obligation.title} {self.year}: ingediend {self.submitted_on:%d-%m-%Y}"


# --- documents --------------------------------------------------------------------------------------------------


def document_path(instance: Document, filename: str) -> str:
    # Private media (settings.MEDIA_ROOT is never served): a random name, the original name kept in the record.
    import secrets

    return f"agreements/{instance.region_id}/{secrets.token_hex(16)}.pdf"


class DocumentKind(models.TextChoices):
    SIGNED = "ondertekend", _("Ondertekende overeenkomst")
    ANNEX = "bijlage", _("Bijlage")
    MINUTES = "verslag", _("Verslag van overleg")
    OTHER = "overig", _("Overig")


class Document(TenantModel):
    """A PDF (signed agreement, annex, minutes); each upload with the same title is a new version."""

    tenant_region = "region"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.SIGNED)
    title = models.CharField(_("titel"), max_length=300)
    version = models.PositiveIntegerField(_("versie"), default=1)
    file = models.FileField(_("bestand"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("oorspronkelijke naam"), max_length=255)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["title", "-version"]

    def __str__(self) -> str:
        return f"{self.title} (versie {self.version})"


# --- per person -------------------------------------------------------------------------------------------------


class _OwnRecordsOnly(TenantModel):
    """Records of one person (calendar tokens, sent reminders): visible to that person only."""

    tenant_municipality = "user__municipality"

    class Meta:
        abstract = True

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        # A person sees and manages their own records, whatever their role; nobody else does.
        if not scope.authenticated:
            return NOTHING
        return Q(user_id=scope.user_id)


class CalendarToken(_OwnRecordsOnly):
    """The secret of a person's iCalendar feed; revoking it makes the old URL answer 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    label = models.CharField(_("naam"), max_length=100, blank=True, help_text=_("Bijv. 'Outlook op het werk'."))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self) -> str:
        return f"Agenda-abonnement {self.label or self.pk}"


class ReminderSent(_OwnRecordsOnly):
    """A reminder e-mailed once per (deadline key, person): the unique constraint makes a second run a no-op."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    deadline_key = models.CharField(max_length=200)
    due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")
        constraints = [models.UniqueConstraint(fields=["deadline_key", "user"], name="reminder_once_per_key_user")]

    def __str__(self) -> str:
        return f"Herinnering {self.deadline_key}"
