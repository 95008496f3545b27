"""Information requests, data deliveries and progress reports (BNO 10.1-10.4, 10.7; WM-DVO algemeen 2-3; issue #15).

Each request between the centre (coordinating) municipality and a member has a due date that the deadline service
shows until it is answered; a progress report on the purchasing process is put to the colleges for information
(BNO 10.4), dated.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from regio.models import Municipality
from regio.tenancy import NOTHING, VIEW, Scope, TenantModel


class InformationKind(models.TextChoices):
    INFORMATION = "informatie", _("Verzoek om informatie (BNO 10.1-10.2)")
    DATA_DELIVERY = "gegevenslevering", _("Gegevenslevering (WM-DVO algemeen 2-3)")


class RequestState(models.TextChoices):
    OPEN = "open", _("Open")
    OVERDUE = "te_laat", _("Termijn verstreken")
    ANSWERED = "beantwoord", _("Beantwoord")


class InformationRequest(TenantModel):
    """A request for information or data between the centre municipality and a member, with its due date."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="information_requests"
    )
    kind = models.CharField(
        _("soort"), max_length=20, choices=InformationKind.choices, default=InformationKind.INFORMATION
    )
    requested_by = models.ForeignKey(
        Municipality, verbose_name=_("gevraagd door"), on_delete=models.PROTECT, related_name="+"
    )
    addressed_to = models.ForeignKey(
        Municipality, verbose_name=_("gevraagd aan"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("onderwerp"), max_length=300)
    article = models.CharField(_("artikel"), max_length=100, blank=True)
    requested_on = models.DateField(_("gevraagd op"))
    due_on = models.DateField(_("uiterlijk te leveren op"))
    answered_on = models.DateField(_("geleverd op"), null=True, blank=True)
    answer = models.TextField(_("antwoord of omschrijving van de levering"), blank=True, max_length=10_000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("informatieverzoek")
        verbose_name_plural = _("informatieverzoeken")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("requested_on")), name="information_due_after")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.subject}"

    def state(self, today: date | None = None) -> str:
        if self.answered_on:
            return RequestState.ANSWERED
        return RequestState.OVERDUE if self.due_on < (today or timezone.localdate()) else RequestState.OPEN

    @property
    def state_label(self) -> str:
        return str(RequestState(self.state()).label)

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        """Members of the region see the requests; the coordinating staff record them, and the municipality a
        request is addressed to answers it (BNO 10.2: the members deliver what the centre needs)."""
        if action == VIEW:
            return Q(agreement__region__in=scope.member_region_ids)
        if scope.read_only:
            return NOTHING
        return Q(agreement__region__in=scope.coordinated_region_ids) | Q(addressed_to__in=scope.own_municipality_ids)


class ProgressReport(TenantModel):
    """A progress report on the purchasing process, put to the colleges for information (BNO 10.4)."""

    tenant_region = "agreement__region"

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("overeenkomst"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    title = models.CharField(_("titel"), max_length=300)
    period = models.CharField(_("periode"), max_length=100, blank=True)
    article = models.CharField(_("artikel"), max_length=100, blank=True, default="BNO 10.4")
    due_on = models.DateField(_("uiterlijk aan de colleges op"))
    sent_on = models.DateField(_("ter kennisname aan de colleges op"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voortgangsrapportage")
        verbose_name_plural = _("voortgangsrapportages")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement.code}: {self.title}"

    def state(self, today: date | None = None) -> str:
        if self.sent_on:
            return RequestState.ANSWERED
        return RequestState.OVERDUE if self.due_on < (today or timezone.localdate()) else RequestState.OPEN

    @property
    def state_label(self) -> str:
        labels = {RequestState.ANSWERED: _("Aan de colleges gezonden")}
        state = self.state()
        return str(labels.get(state, RequestState(state).label))
