"""Per-person records (calendar tokens, sent reminders): visible to their owner only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import NOTHING, Scope, TenantModel

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
