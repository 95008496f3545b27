"""Beschermd wonen (protected housing, SPEC §7; WM-DVO annexes 1-3 and art. 7): the pseudonymous register.

Special personal data: store the least that works. A client is a pseudonymous reference, the municipality of
residence over time (woonplaatsbeginsel) and at most a year of birth: no name, no BSN (``regio.privacy``).

Who sees what (issue 13, "Access and privacy"):

* the access team (de Toegang): role ``bw`` of the region's coordinating municipality, sees and acts on the whole
  region's register;
* a member's ``bw`` staff: read only, the clients residing in its own municipality today;
* everybody else (portfolio holders, civil servants, supervisors, administrators): no record, counts only
  (``selectors.client_counts``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.privacy import no_bsn
from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, Scope, TenantModel

__all__ = [
    "AdviceKind",
    "Assessment",
    "AssessmentHours",
    "Client",
    "Notification",
    "NotificationKind",
    "Residence",
    "access_team_region_ids",
    "client_filter",
    "report_path",
]


def access_team_region_ids(scope: Scope):
    """Regions whose access team this user is: ``bw`` staff of the municipality that coordinates them today."""
    from regio.models import Membership

    return (
        Membership.objects.unrestricted("the user's own coordinating memberships: what its scope is built from")
        .active_on(timezone.localdate())
        .filter(municipality_id=scope.municipality_id, coordinating=True)
        .values("region_id")
    )


def _resident_client_ids(municipality_id):
    """Clients residing in the municipality today (a member's own view lists them)."""
    today = timezone.localdate()
    return (
        Residence.objects.unrestricted("subquery of the tenancy rule itself: who lives in the user's municipality")
        .filter(
            Q(municipality_id=municipality_id),
            Q(valid_from__lte=today),
            Q(valid_to__isnull=True) | Q(valid_to__gte=today),
        )
        .values("client_id")
    )


def _resident_on_record_date(municipality_id, client: str, on: str) -> Exists:
    """The record's client lived in the municipality on the record's own date (``on``, a path from the record):
    woonplaatsbeginsel over time, so a move on 1 July leaves the earlier records with the old municipality."""
    return Exists(
        Residence.objects.unrestricted("subquery of the tenancy rule itself: where the client lived on that date")
        .filter(client_id=OuterRef(client), municipality_id=municipality_id, valid_from__lte=OuterRef(on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef(on)))
    )


def client_filter(scope: Scope, action: str, prefix: str = "", on: str | None = None) -> Q:
    """The one rule for client records and everything hanging from them (``prefix`` is the path to the client).

    The access team: its region's register, and it acts. A member's ``bw`` staff reads (woonplaatsbeginsel over
    time, issue 13): a client that ever lived in its municipality, and a record of such a client only when the client
    lived there on the record's own date (``on``: the notification's date, the care start of an indication, the
    date a replacement or a disagreement was opened)."""
    if not scope.has_role(Role.PROTECTED_HOUSING):
        return NOTHING
    team = Q(**{f"{prefix}region__in": access_team_region_ids(scope)})
    if action != VIEW:
        return NOTHING if scope.read_only else team
    if on is None:  # the client itself
        ever = Residence.objects.unrestricted("subquery of the tenancy rule itself: who lived in the municipality")
        client_pk = f"{prefix[:-2]}_id" if prefix else "pk"
        return team | Q(**{f"{client_pk}__in": ever.filter(municipality_id=scope.municipality_id).values("client_id")})
    client = f"{prefix[:-2]}_id"
    return team | Q(_resident_on_record_date(scope.municipality_id, client, on))


class Client(TenantModel):
    """A client of beschermd wonen in a region's register, known only by a pseudonymous reference (SPEC §7)."""

    tenant_region = "region"

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="bw_clients"
    )
    reference = models.CharField(
        _("cliëntreferentie"),
        max_length=40,
        unique=True,
        validators=[no_bsn],
        help_text=_("Pseudoniem; nooit een naam of burgerservicenummer."),
    )
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)
    closed_on = models.DateField(_("dossier gesloten op"), null=True, blank=True)
    reduced_on = models.DateField(
        _("dossier beperkt op"),
        null=True,
        blank=True,
        help_text=_("Na de bewaartermijn blijft alleen over wat voor de financiën nodig is."),
    )
    created_at = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cliënt beschermd wonen")
        verbose_name_plural = _("cliënten beschermd wonen")
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return client_filter(scope, action)

    def residence_on(self, on):
        for period in self.residences.all():
            if period.valid_from <= on and (period.valid_to is None or on <= period.valid_to):
                return period
        return None


class Residence(TenantModel):
    """Where a client lives for a period (woonplaatsbeginsel, WM-DVO art. 7): the periods of one client do not
    overlap; an empty ``valid_to`` is open-ended."""

    tenant_region = "client__region"

    client = models.ForeignKey(Client, verbose_name=_("cliënt"), on_delete=models.CASCADE, related_name="residences")
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("woonplaats (gemeente)"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("vanaf"))
    valid_to = models.DateField(_("tot en met"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("woonplaats")
        verbose_name_plural = _("woonplaatsen")
        ordering = ["client", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["client", "valid_from"], name="bw_residence_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="bw_residence_period_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.municipality.name} {self.valid_from:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        """A period of residence is the record of the municipality it names: a member's ``bw`` staff sees the periods
        in its own municipality, not where the client lived before or went after."""
        rule = client_filter(scope, action, prefix="client__")
        if action != VIEW or rule is NOTHING:
            return rule
        return Q(client__region__in=access_team_region_ids(scope)) | Q(municipality_id=scope.municipality_id)

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("De einddatum ligt voor de begindatum.")})


class NotificationKind(models.TextChoices):
    """The two notifications of WM-DVO annex 1 (each with its own activity price)."""

    INTRAMURAL = "intramural", _("intramuraal (beschermd wonen met verblijf)")
    EXTRAMURAL = "extramural", _("extramuraal, met bereikbaarheid en beschikbaarheid")


class Notification(TenantModel):
    """A notification (melding) of a client to the access team (WM-DVO annex 1 and 2): the date, the kind, the
    municipality concerned (where the client lives on that date, woonplaatsbeginsel) and who notified."""

    tenant_region = "client__region"

    client = models.ForeignKey(
        Client, verbose_name=_("cliënt"), on_delete=models.PROTECT, related_name="notifications"
    )
    notified_on = models.DateField(_("datum melding"))
    kind = models.CharField(_("soort"), max_length=20, choices=NotificationKind.choices)
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    notified_by = models.CharField(
        _("gemeld door"),
        max_length=150,
        validators=[no_bsn],
        help_text=_("Wie meldde, bijvoorbeeld: huisarts, wijkteam, de cliënt zelf. Geen namen van cliënten."),
    )
    created_by = models.ForeignKey(
        "regio.User", verbose_name=_("vastgelegd door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("melding beschermd wonen")
        verbose_name_plural = _("meldingen beschermd wonen")
        ordering = ["-notified_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.client} {self.notified_on:%d-%m-%Y} {self.get_kind_display()}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return client_filter(scope, action, prefix="client__", on="notified_on")


class AdviceKind(models.TextChoices):
    NONE = "none", _("geen")
    GGD = "ggd", _("GGD-advies")
    EXTERNAL = "external", _("extern advies")


def report_path(instance, filename: str) -> str:
    # Private media (MEDIA_ROOT is never served): a random name that says nothing about the client.
    import secrets

    return f"beschermdwonen/{secrets.token_hex(16)}.pdf"


class Assessment(TenantModel):
    """The assessment (onderzoek) after a notification (WM-DVO annex 2): hours per function and scale (about 8 per
    notification), a GGD or external advice with its cost (passed on in full, annex 2 §2), consultation hours a
    member asked for (sparring), and the conversation report (gespreksverslag) as a private document."""

    tenant_region = "notification__client__region"

    notification = models.OneToOneField(
        Notification, verbose_name=_("melding"), on_delete=models.PROTECT, related_name="assessment"
    )
    advice_kind = models.CharField(_("advies"), max_length=20, choices=AdviceKind.choices, default=AdviceKind.NONE)
    advice_cost = models.DecimalField(_("kosten advies"), max_digits=14, decimal_places=2, default=0)
    consultation_hours = models.DecimalField(_("sparringuren"), max_digits=6, decimal_places=2, default=0)
    consultation_requested_by = models.ForeignKey(
        "regio.Municipality",
        verbose_name=_("sparring gevraagd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report = models.FileField(_("gespreksverslag"), upload_to=report_path, max_length=300, blank=True)
    report_size = models.PositiveIntegerField(_("grootte verslag (bytes)"), default=0)
    created_by = models.ForeignKey(
        "regio.User", verbose_name=_("vastgelegd door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("onderzoek beschermd wonen")
        verbose_name_plural = _("onderzoeken beschermd wonen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(advice_cost__gte=0), name="bw_assessment_advice_cost_not_negative"),
            models.CheckConstraint(condition=Q(consultation_hours__gte=0), name="bw_assessment_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Onderzoek {self.notification}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return client_filter(scope, action, prefix="notification__client__", on="notification__notified_on")


class AssessmentHours(TenantModel):
    """Hours spent on an assessment by one function at one salary scale (WM-DVO annex 1: e.g. Allround consulent Wmo,
    scale 10, 7 hours; Medewerker Beheer en Planning, scale 8, 1 hour)."""

    tenant_region = "assessment__notification__client__region"

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("onderzoek"), on_delete=models.CASCADE, related_name="hours"
    )
    function = models.CharField(_("functie"), max_length=100, validators=[no_bsn])
    scale = models.PositiveSmallIntegerField(_("schaal"))
    hours = models.DecimalField(_("uren"), max_digits=6, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uren onderzoek")
        verbose_name_plural = _("uren onderzoek")
        ordering = ["assessment", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="bw_assessment_hours_positive"),
            models.CheckConstraint(condition=Q(scale__gte=1) & Q(scale__lte=18), name="bw_assessment_scale_range"),
        ]

    def __str__(self) -> str:
        return f"{self.function} schaal {self.scale}: {self.hours} uur"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return client_filter(
            scope, action, prefix="assessment__notification__client__", on="assessment__notification__notified_on"
        )
