"""What the purchasing pages share: the regions the user acts for, service errors onto a form, the private
download of a document."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from agreements.views import documents as agreement_documents
from inkoop.models import PurchasingDocument
from regio.models import Region
from regio.tenancy import acting_region_ids


def acting_regions(user) -> list[Region]:
    """The regions whose purchasing the user keeps: those its municipality coordinates (WM-SO 4.11, BNO 4)."""
    ids = acting_region_ids(user)
    return list(Region.objects.visible_to(user).filter(pk__in=ids).order_by("name")) if ids else []


class ActsForARegion:
    """A page whose POST creates something for a region: only coordinating staff get as far as the form (403)."""

    def check_permission(self, action):
        if not acting_regions(self.request.user):
            raise PermissionDenied(_("Alleen de coördinerende gemeente van een regio legt dit vast."))


def field_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DocumentDownloadView(agreement_documents.DocumentDownloadView):
    """Private media of purchasing (evidence, consents): the agreements' download, on purchasing's documents."""

    model = PurchasingDocument
