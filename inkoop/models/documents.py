"""Private documents of the purchasing side: evidence of a provider's checks, a member's written consent, the file
of a procurement procedure. Stored under a random name in private media (never served), downloaded only through a
view that checks tenancy; only PDFs (``agreements.documents.validate_pdf``)."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.models import Region
from regio.tenancy import TenantModel


def document_path(instance: PurchasingDocument, filename: str) -> str:
    return f"inkoop/{instance.region_id}/{secrets.token_hex(16)}.pdf"


class PurchasingDocument(TenantModel):
    """A PDF kept by the region's purchasing team: every member sees it, the coordinating staff add it."""

    tenant_region = "region"

    region = models.ForeignKey(Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(_("bestand"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("oorspronkelijke naam"), max_length=255)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        "regio.User", verbose_name=_("geüpload door"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inkoopdocument")
        verbose_name_plural = _("inkoopdocumenten")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title
