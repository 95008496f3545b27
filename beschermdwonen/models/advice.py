"""Advice requests, advice and the member's own decision; disagreements (WM-DVO annex 2 §2 and §4).

For Begeleiding individueel with Bereikbaarheid en Beschikbaarheid (basis) of new clients the coordinating
municipality assesses and sends an advice; the member "zelfstandig een besluit neemt (evt. op basis van het advies)"
(annex 2 §2). A member asks through an intake format ("een format met informatie ... vanuit een adviesvraag",
annex 2 §4); the advice comes back with a conversation report; per case the coordinating municipality also advises on
B&B and "het is aan de afzonderlijke gemeente om een eigen besluit te nemen" (annex 2 §4). Cases the members disagree
on follow "een vastgestelde procedure" (annex 2 §4): recorded with its steps and outcome.

Who sees an advice request: the access team of the region, and the ``bw`` staff of the member that sent it (whether or
not the client lives there today); who acts: the access team gives the advice, the sending member records its own
decision (``services.advice``). Nobody else sees a record.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beschermdwonen.models.register import Client, access_team_region_ids, client_filter
from regio.privacy import no_bsn
from regio.roles import Role
from regio.tenancy import NOTHING, VIEW, Scope, TenantModel

__all__ = [
    "AdviceRequest",
    "AdviceStatus",
    "Disagreement",
    "DisagreementStep",
    "MemberDecision",
    "advice_request_filter",
]


class MemberDecision(models.TextChoices):
    FOLLOWED = "followed", _("advies gevolgd")
    PARTLY = "partly", _("advies deels gevolgd")
    NOT_FOLLOWED = "not_followed", _("advies niet gevolgd")


class AdviceStatus(models.TextChoices):
    REQUESTED = "requested", _("aangevraagd")
    ADVISED = "advised", _("advies gegeven, wacht op besluit gemeente")
    DECIDED = "decided", _("besloten door de gemeente")


def advice_request_filter(scope: Scope, action: str, prefix: str = "") -> Q:
    """The access team sees and acts on every request of its region; a member's ``bw`` staff sees and acts on
    (asks, records its decision) the requests it sent. The services say which of them may do what."""
    if not scope.has_role(Role.PROTECTED_HOUSING) or (scope.read_only and action != VIEW):
        return NOTHING
    team = Q(**{f"{prefix}region__in": access_team_region_ids(scope)})
    return team | Q(**{f"{prefix}requested_by_id": scope.municipality_id})


class AdviceRequest(TenantModel):
    """A member's request for advice (intake format, annex 2 §4) and the advice back (annex 2 §2), with the member's
    own decision and its date."""

    tenant_region = "region"

    region = models.ForeignKey(
        "regio.Region", verbose_name=_("regio"), on_delete=models.PROTECT, related_name="bw_advice_requests"
    )
    case_reference = models.CharField(
        _("kenmerk gemeente"),
        max_length=40,
        validators=[no_bsn],
        help_text=_("Het eigen, pseudonieme kenmerk van de vragende gemeente; nooit een naam of BSN."),
    )
    client = models.ForeignKey(
        Client,
        verbose_name=_("cliënt in het register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advice_requests",
        help_text=_("De Toegang koppelt de cliënt bij het advies."),
    )
    requested_by = models.ForeignKey(
        "regio.Municipality", verbose_name=_("aangevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("datum adviesvraag"))
    # The intake format (annex 2 §4): what the member knows of the case, no names, no BSN.
    question = models.TextField(_("adviesvraag"), max_length=4000, validators=[no_bsn])
    situation = models.TextField(_("situatie en hulpvraag"), max_length=4000, validators=[no_bsn])
    current_support = models.TextField(_("huidige ondersteuning"), max_length=4000, blank=True, validators=[no_bsn])
    # The advice (annex 2 §2: minimal Begeleiding + B&B; §4: B&B per case).
    advised_on = models.DateField(_("datum advies"), null=True, blank=True)
    advice_begeleiding = models.BooleanField(_("advies: Begeleiding individueel"), default=False)
    advice_bb = models.CharField(
        _("advies: Bereikbaarheid en Beschikbaarheid"),
        max_length=10,
        blank=True,
        choices=[("", _("geen")), ("basis", _("basis")), ("intensief", _("intensief"))],
    )
    advice_text = models.TextField(_("inhoud advies"), max_length=8000, blank=True, validators=[no_bsn])
    # The member's own decision (annex 2 §2 and §4).
    decision = models.CharField(_("besluit gemeente"), max_length=20, blank=True, choices=MemberDecision.choices)
    decided_on = models.DateField(_("datum besluit gemeente"), null=True, blank=True)
    decision_note = models.TextField(_("toelichting besluit"), max_length=4000, blank=True, validators=[no_bsn])
    created_by = models.ForeignKey(
        "regio.User", verbose_name=_("vastgelegd door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adviesvraag beschermd wonen")
        verbose_name_plural = _("adviesvragen beschermd wonen")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(advised_on__isnull=False), name="bw_advice_decided_after"
            ),
        ]

    def __str__(self) -> str:
        return f"Adviesvraag {self.case_reference} {self.requested_on:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return advice_request_filter(scope, action)

    @property
    def status(self) -> str:
        if self.decided_on:
            return AdviceStatus.DECIDED
        if self.advised_on:
            return AdviceStatus.ADVISED
        return AdviceStatus.REQUESTED

    def get_status_display(self) -> str:
        return AdviceStatus(self.status).label


class Disagreement(TenantModel):
    """A case on which the members disagree (annex 2 §4: "een vastgestelde procedure ... die door de gemeenten wordt
    opgesteld"): the subject, the steps of the procedure and the outcome. Closed only with an outcome."""

    tenant_region = "client__region"

    client = models.ForeignKey(
        Client, verbose_name=_("cliënt"), on_delete=models.PROTECT, related_name="disagreements"
    )
    advice_request = models.ForeignKey(
        AdviceRequest,
        verbose_name=_("adviesvraag"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disagreements",
    )
    opened_on = models.DateField(_("geopend op"))
    subject = models.TextField(_("waarover"), max_length=4000, validators=[no_bsn])
    outcome = models.TextField(_("uitkomst"), max_length=4000, blank=True, validators=[no_bsn])
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("geschil beschermd wonen")
        verbose_name_plural = _("geschillen beschermd wonen")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | ~Q(outcome=""), name="bw_disagreement_closed_with_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"Geschil {self.client} {self.opened_on:%d-%m-%Y}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return client_filter(scope, action, prefix="client__", on="opened_on")


class DisagreementStep(TenantModel):
    """One step of the agreed procedure: its date, who and what (e.g. "ambtelijk overleg", "bestuurlijk overleg")."""

    tenant_region = "disagreement__client__region"

    disagreement = models.ForeignKey(
        Disagreement, verbose_name=_("geschil"), on_delete=models.CASCADE, related_name="steps"
    )
    taken_on = models.DateField(_("datum"))
    step = models.CharField(_("stap"), max_length=150, validators=[no_bsn])
    note = models.TextField(_("toelichting"), max_length=4000, blank=True, validators=[no_bsn])
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stap geschil")
        verbose_name_plural = _("stappen geschil")
        ordering = ["disagreement", "taken_on", "pk"]

    def __str__(self) -> str:
        return f"{self.taken_on:%d-%m-%Y} {self.step}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        return client_filter(scope, action, prefix="disagreement__client__", on="disagreement__opened_on")
