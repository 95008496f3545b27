"""A college's information requests and the supervisors' disclosures to a college (WM-DVO annex 4; SPEC §8).

* ``InformationRequest``: when the college of Beek or Stein wants information for its legal tasks in between, the
  supervisors give it within at most 14 days (annex 4, "Beleidskader en uitvoering"). The due date is set once, from
  the received date; the deadline service reminds the supervisors before it and flags it overdue after it.
* ``Disclosure``: supervisors may on their own initiative, and must on request, give the college personal data
  obtained in supervision (art. 5.2.4 Wmo 2015, quoted in annex 4). A recorded disclosure is the only way case data
  leave the supervisors; it is never changed afterwards (a correction is a new disclosure) and every one is in the
  access log.

Both are casework: visible only to the assigned supervisors and their team manager (``casework_filter``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import TenantManager, TenantModel, TenantQuerySet
from toezicht.models.confidential import casework_filter

# WM-DVO annex 4: "dan verstrekken de toezichthouders deze binnen maximaal 14 dagen".
ANSWER_DAYS = 14


def answer_due(received_on):
    """The last day of the answer term: received date + 14 days (annex 4)."""
    return received_on + timedelta(days=ANSWER_DAYS)


class InformationRequest(TenantModel):
    """A college's request for information to the supervisors (annex 4). ``municipality`` is the asking college."""

    tenant_municipality = "municipality"

    reference = models.CharField(_("kenmerk"), max_length=40, unique=True, editable=False)
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("vragend college"), on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(_("datum ontvangst"))
    due_on = models.DateField(_("uiterste antwoorddatum"), editable=False)
    subject = models.CharField(_("onderwerp"), max_length=200)
    question = models.TextField(_("vraag"), max_length=5000)
    requested_by = models.CharField(
        _("aangevraagd door"), max_length=200, blank=True, help_text=_("Naam of functie bij het college.")
    )
    investigation = models.ForeignKey(
        "toezicht.Investigation",
        verbose_name=_("onderzoek"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="information_requests",
    )
    answered_on = models.DateField(_("datum beantwoord"), null=True, blank=True)
    answer_summary = models.TextField(_("samenvatting antwoord"), max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        "regio.User",
        verbose_name=_("beantwoord door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        "regio.User", verbose_name=_("vastgelegd door"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("informatieverzoek")
        verbose_name_plural = _("informatieverzoeken")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_on__isnull=True) | models.Q(answered_on__gte=models.F("received_on")),
                name="toezicht_request_answered_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")), name="toezicht_request_due_after_received"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def is_overdue(self, today) -> bool:
        """Unanswered after the due date, or answered after it (annex 4: at most 14 days)."""
        if self.answered_on is not None:
            return self.answered_on > self.due_on
        return today > self.due_on

    @property
    def answer_days(self) -> int | None:
        return None if self.answered_on is None else (self.answered_on - self.received_on).days

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        return casework_filter(scope, action)


class DisclosureBasis(models.TextChoices):
    ON_REQUEST = "on_request", _("Op verzoek van het college (art. 5.2.4 Wmo 2015)")
    OWN_INITIATIVE = "own_initiative", _("Uit eigen beweging (art. 5.2.4 Wmo 2015)")


class FrozenQuerySet(TenantQuerySet):
    """Recorded disclosures are never changed or removed, not even in bulk (STYLE.md rule 8)."""

    def update(self, **kwargs):
        raise ValueError("Een vastgelegde verstrekking verandert niet; leg een nieuwe vast.")

    def delete(self):
        raise ValueError("Een vastgelegde verstrekking wordt niet verwijderd.")


class Disclosure(TenantModel):
    """A recorded disclosure of case data to a college (art. 5.2.4 Wmo 2015): what, to whom, on which request, on
    which legal basis. Frozen once recorded. ``municipality`` is the receiving college."""

    tenant_municipality = "municipality"

    reference = models.CharField(_("kenmerk"), max_length=40, unique=True, editable=False)
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("ontvangend college"), on_delete=models.PROTECT, related_name="+"
    )
    recipient = models.CharField(_("ontvanger"), max_length=200, help_text=_("Naam en functie bij het college."))
    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("informatieverzoek"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    investigation = models.ForeignKey(
        "toezicht.Investigation",
        verbose_name=_("onderzoek"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    legal_basis = models.CharField(_("grondslag"), max_length=20, choices=DisclosureBasis.choices)
    data_disclosed = models.TextField(_("verstrekte gegevens"), max_length=5000)
    purpose = models.CharField(_("doel (wettelijke taak college)"), max_length=500)
    disclosed_on = models.DateField(_("datum verstrekking"))
    disclosed_by = models.ForeignKey(
        "regio.User", verbose_name=_("verstrekt door"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TenantManager.from_queryset(FrozenQuerySet)()

    class Meta:
        verbose_name = _("verstrekking aan college")
        verbose_name_plural = _("verstrekkingen aan college")
        ordering = ["-disclosed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis="on_request") | models.Q(request__isnull=False),
                name="toezicht_disclosure_on_request_names_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} aan {self.recipient}"

    def save(self, *args, **kwargs):
        # Frozen once recorded (STYLE.md rule 8): a correction is a new disclosure.
        if self.pk is not None:
            raise ValueError("Een vastgelegde verstrekking verandert niet; leg een nieuwe vast.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Een vastgelegde verstrekking wordt niet verwijderd.")

    @classmethod
    def tenant_filter(cls, scope, action: str) -> models.Q:
        return casework_filter(scope, action)
