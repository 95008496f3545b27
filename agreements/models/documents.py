"""Documents filed with an agreement (issue #4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agreements.models.agreements import Agreement
from agreements.models.governance import Meeting
from regio.models import Region
from regio.tenancy import TenantModel

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
