"""The development table of Maastricht-Heuvelland (MH: Samenwerkingsovereenkomst Inkoop Sociaal Domein).

* ``Signatory``: a provider that joined by signing (MH 4.1), on the participant list of annex 1 (MH 10.2) with the
  date it signed and, when it left (MH 3.5: six months' notice), the date it left. The list is published.
* ``DevelopmentTable``: a table per theme (MH 1.5); its physical composition with the reason for each seat (market
  share, domain, in kind vs pgb: MH 4.3, 7.4) is published once the municipalities set it.
* ``TableMeeting``: a physical meeting, planned by the municipalities or asked for by a signatory (MH 7.1).
* ``Proposal``: a provisional proposal of any signatory (MH 1.6, 5.4); the table decides whether to work it out
  (MH 7.5); a worked-out proposal (MH 1.7) is published for reactions, then put to each municipal board, each of
  which decides (``BoardDecision``). Every step is a dated ``ProposalStep`` (and the audit history).
* ``Contribution``: a reaction to a published proposal or a signal sent through the public website (MH 6.2, 6.4);
  the municipalities decide whether it reaches the table's agenda (MH 6.5). Only what is needed is stored: the text,
  an optional name and organisation, the day it came in; no address, no e-mail, no IP.

Everything belongs to the region: its members' staff see it, the coordinating municipality's staff (the project
leaders of MH 5.3) act; a member records its own board's decision.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.privacy import no_bsn
from regio.tenancy import TenantModel

__all__ = [
    "BoardDecision",
    "Contribution",
    "ContributionKind",
    "DevelopmentTable",
    "MeetingStatus",
    "Proposal",
    "ProposalStatus",
    "ProposalStep",
    "SeatReason",
    "Signatory",
    "TableMeeting",
    "TableSeat",
    "AgendaDecision",
]


def _by():
    return models.ForeignKey(
        "regio.User",
        verbose_name=_("vastgelegd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Signatory(TenantModel):
    """A provider on the participant list (MH annex 1): joined by signing on ``signed_on`` (MH 4.1)."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "inkoop.Provider", verbose_name=_("aanbieder"), on_delete=models.PROTECT, related_name="signatures"
    )
    signed_on = models.DateField(_("ondertekend op"))
    left_on = models.DateField(_("uitgetreden op"), null=True, blank=True)
    created_by = _by()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deelnemer (bijlage 1)")
        verbose_name_plural = _("deelnemers (bijlage 1)")
        ordering = ["region", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "provider"], name="inkoop_signatory_once"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("signed_on")),
                name="inkoop_signatory_dates",
            ),
        ]

    def __str__(self) -> str:
        return str(self.provider)


class DevelopmentTable(TenantModel):
    """A development table (ontwikkeltafel, MH 1.5) on one theme."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    theme = models.CharField(_("thema"), max_length=150, validators=[no_bsn])
    description = models.TextField(_("toelichting"), max_length=2000, blank=True, validators=[no_bsn])
    composition_published_on = models.DateField(_("samenstelling gepubliceerd op"), null=True, blank=True)
    created_by = _by()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ontwikkeltafel")
        verbose_name_plural = _("ontwikkeltafels")
        ordering = ["region", "theme"]
        constraints = [models.UniqueConstraint(fields=["region", "theme"], name="inkoop_table_theme_once")]

    def __str__(self) -> str:
        return self.theme


class SeatReason(models.TextChoices):
    """Why a provider sits at the physical table (MH 4.3: market share, domain, money flows; MH 7.4)."""

    LARGE = "groot", _("marktaandeel: grote aanbieder")
    SMALL = "klein", _("marktaandeel: kleine aanbieder")
    DOMAIN = "domein", _("verdeling per domein")
    IN_KIND = "zin", _("geldstroom zorg in natura (ZiN)")
    PGB = "pgb", _("geldstroom persoonsgebonden budget (pgb)")
    ON_REQUEST = "verzoek", _("op eigen verzoek toegelaten (MH 4.3)")


class TableSeat(TenantModel):
    """A signatory's seat at a table's physical meeting, with the reason for the selection (MH 4.3, 7.4)."""

    tenant_region = "table__region"

    table = models.ForeignKey(
        DevelopmentTable, verbose_name=_("tafel"), on_delete=models.CASCADE, related_name="seats"
    )
    signatory = models.ForeignKey(Signatory, verbose_name=_("deelnemer"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reden"), max_length=10, choices=SeatReason.choices)
    explanation = models.CharField(_("toelichting"), max_length=300, blank=True, validators=[no_bsn])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("zetel aan de ontwikkeltafel")
        verbose_name_plural = _("samenstelling ontwikkeltafel")
        ordering = ["table", "signatory__provider__name"]
        constraints = [models.UniqueConstraint(fields=["table", "signatory"], name="inkoop_seat_once")]


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", _("gevraagd")
    PLANNED = "planned", _("gepland")
    HELD = "held", _("gehouden")


class TableMeeting(TenantModel):
    """A physical meeting of a table (MH 7.1): planned by the municipalities, or asked for by a signatory."""

    tenant_region = "table__region"

    table = models.ForeignKey(
        DevelopmentTable, verbose_name=_("tafel"), on_delete=models.CASCADE, related_name="meetings"
    )
    status = models.CharField(_("status"), max_length=10, choices=MeetingStatus.choices)
    requested_by = models.ForeignKey(
        Signatory, verbose_name=_("gevraagd door"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("gevraagd op"), null=True, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=200, validators=[no_bsn])
    held_on = models.DateField(_("datum overleg"), null=True, blank=True)
    minutes = models.TextField(_("verslag"), max_length=5000, blank=True, validators=[no_bsn])
    created_by = _by()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("overleg ontwikkeltafel")
        verbose_name_plural = _("overleggen ontwikkeltafel")
        ordering = ["table", "-held_on", "-requested_on", "-pk"]


class ProposalStatus(models.TextChoices):
    """The life of a proposal (MH 1.6, 1.7, 5.4, 7.5); only the services move it on."""

    PROVISIONAL = "provisional", _("voorlopig voorstel")
    DECLINED = "declined", _("niet uitgewerkt")
    ELABORATING = "elaborating", _("wordt uitgewerkt")
    CONSULTATION = "consultation", _("gepubliceerd voor reacties")
    AT_BOARDS = "at_boards", _("voorgelegd aan de colleges")
    DECIDED = "decided", _("besloten")


PUBLISHED = (ProposalStatus.CONSULTATION, ProposalStatus.AT_BOARDS, ProposalStatus.DECIDED)


class Proposal(TenantModel):
    """A proposal at a development table. ``published_on`` is set when the worked-out proposal is published for
    reactions (MH 7.5); before that nobody outside the region sees it."""

    tenant_region = "table__region"

    table = models.ForeignKey(
        DevelopmentTable, verbose_name=_("tafel"), on_delete=models.PROTECT, related_name="proposals"
    )
    number = models.PositiveIntegerField(_("nummer"))
    title = models.CharField(_("titel"), max_length=200, validators=[no_bsn])
    summary = models.TextField(_("voorstel"), max_length=5000, validators=[no_bsn])
    elaboration = models.TextField(_("uitgewerkt voorstel"), max_length=20000, blank=True, validators=[no_bsn])
    # Any signatory submits (MH 1.6, 5.4): a provider on the list, or one of the municipalities.
    submitted_by_signatory = models.ForeignKey(
        Signatory,
        verbose_name=_("ingediend door (aanbieder)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by_municipality = models.ForeignKey(
        "regio.Municipality",
        verbose_name=_("ingediend door (gemeente)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=15, choices=ProposalStatus.choices, default=ProposalStatus.PROVISIONAL
    )
    submitted_on = models.DateField(_("ingediend op"))
    published_on = models.DateField(_("gepubliceerd op"), null=True, blank=True)
    reactions_until = models.DateField(_("reageren kan tot en met"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voorstel ontwikkeltafel")
        verbose_name_plural = _("voorstellen ontwikkeltafel")
        ordering = ["-submitted_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["table", "number"], name="inkoop_proposal_number"),
            models.CheckConstraint(
                condition=Q(submitted_by_signatory__isnull=False) | Q(submitted_by_municipality__isnull=False),
                name="inkoop_proposal_submitter",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(status__in=[s.value for s in PUBLISHED]),
                name="inkoop_proposal_published_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def reference(self) -> str:
        return f"OT-{self.table_id}-{self.number}"

    @property
    def submitter(self) -> str:
        if self.submitted_by_signatory_id:
            return str(self.submitted_by_signatory.provider)
        return self.submitted_by_municipality.name if self.submitted_by_municipality_id else ""

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED


class ProposalStep(TenantModel):
    """One dated step of a proposal: what happened, when, and the note that goes with it (MH 1.6, 1.7, 7.5)."""

    tenant_region = "proposal__table__region"

    proposal = models.ForeignKey(Proposal, verbose_name=_("voorstel"), on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("nieuwe status"), max_length=15, choices=ProposalStatus.choices)
    on = models.DateField(_("datum"))
    note = models.TextField(_("toelichting"), max_length=2000, blank=True, validators=[no_bsn])
    created_by = _by()
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stap van een voorstel")
        verbose_name_plural = _("stappen van een voorstel")
        ordering = ["proposal", "on", "pk"]


class BoardDecision(TenantModel):
    """A municipal board's decision on a worked-out proposal (MH 1.7, 7.5): each board decides for itself."""

    tenant_region = "proposal__table__region"

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("voorstel"), on_delete=models.CASCADE, related_name="board_decisions"
    )
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.PROTECT, related_name="+"
    )
    adopted = models.BooleanField(_("aangenomen"))
    decided_on = models.DateField(_("besloten op"))
    note = models.CharField(_("toelichting"), max_length=500, blank=True, validators=[no_bsn])
    created_by = _by()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("besluit van een college")
        verbose_name_plural = _("besluiten van de colleges")
        ordering = ["proposal", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "municipality"], name="inkoop_board_decides_once"),
        ]


class ContributionKind(models.TextChoices):
    REACTION = "reaction", _("reactie op een voorstel")
    SIGNAL = "signal", _("signaal")


class AgendaDecision(models.TextChoices):
    PENDING = "pending", _("nog te beoordelen")
    AGENDA = "agenda", _("geagendeerd voor de ontwikkeltafel")
    NOT_AGENDA = "not_agenda", _("niet geagendeerd")


class Contribution(TenantModel):
    """A reaction or signal from the public website (MH 6.2, 6.4): the text and what its sender chose to add."""

    tenant_region = "region"

    region = models.ForeignKey("regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("voorstel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    kind = models.CharField(_("soort"), max_length=10, choices=ContributionKind.choices)
    text = models.TextField(_("tekst"), max_length=3000, validators=[no_bsn])
    name = models.CharField(_("naam (optioneel)"), max_length=100, blank=True, validators=[no_bsn])
    organisation = models.CharField(_("organisatie (optioneel)"), max_length=150, blank=True, validators=[no_bsn])
    received_on = models.DateField(_("ontvangen op"), default=timezone.localdate)
    agenda = models.CharField(
        _("agendering (MH 6.5)"), max_length=12, choices=AgendaDecision.choices, default=AgendaDecision.PENDING
    )
    agenda_decided_on = models.DateField(_("beoordeeld op"), null=True, blank=True)
    agenda_note = models.CharField(_("toelichting beoordeling"), max_length=500, blank=True, validators=[no_bsn])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reactie of signaal")
        verbose_name_plural = _("reacties en signalen")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="signal") | Q(proposal__isnull=False), name="inkoop_reaction_has_proposal"
            ),
        ]
