"""What the purchasing pages share: the regions the user acts for, service errors onto a form, the private
download of a document."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from inkoop.models import PurchasingDocument
from regio.models import Region
from regio.tenancy import VIEW, TenantViewMixin, acting_region_ids, get_for_user_or_404


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


class DocumentDownloadView(TenantViewMixin, View):
    """Private media: only who may see the document's region gets the file."""

    model = PurchasingDocument

    def get(self, request, pk: int):
        document = get_for_user_or_404(PurchasingDocument.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        try:
            with document.file.open("rb") as fh:
                content = fh.read()
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = HttpResponse(content, content_type="application/pdf")
        safe = "".join(c for c in document.original_name if c.isalnum() or c in " ._-") or "document.pdf"
        response["Content-Disposition"] = f'attachment; filename="{safe}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
