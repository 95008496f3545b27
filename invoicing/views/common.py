"""Helpers shared by the invoicing pages: the invoice behind a URL (404 for another municipality's), error lists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from invoicing.models import (
    Invoice,
)
from regio.tenancy import VIEW, can, get_for_user_or_404


def _invoice(request, pk: int, action: str = VIEW) -> Invoice:
    """The invoice if the user may see it (else 404); for an action, 403 when visible but not allowed."""
    invoice = get_for_user_or_404(
        Invoice.objects.visible_to(request.user).select_related("issuer", "recipient", "region", "credit_for"),
        request.user,
        VIEW,
        pk=pk,
    )
    if action != VIEW and not can(request.user, action, invoice):
        raise PermissionDenied(_("Alleen de coördinerende gemeente die de factuur maakt, mag dit doen."))
    return invoice


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _add_errors(form, exc: ValidationError) -> None:
    """A service's errors on the form: per field where the form has that field, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _issued_page(request, invoice):
    return render(
        request,
        "invoicing/invoice_issued.html",
        {"invoice": invoice, "errors": [_("Een verzonden factuur verandert niet meer; maak een creditfactuur.")]},
        status=409,
    )
