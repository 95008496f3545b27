"""Helpers shared by the invoicing pages: the invoice behind a URL (404 for another municipality's), error lists,
the form page that acts on one invoice."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from invoicing.models import (
    Invoice,
)
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404


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


class InvoiceFormView(TenantViewMixin, View):
    """A form page that acts on one invoice the user may change (payment, payout, collection costs, overpayment):
    GET shows the form, POST validates it and calls ``act`` (one service); the service's refusal shows on the form
    (400), success shows its message and returns to the invoice."""

    model = Invoice
    form_class: type[forms.Form]
    template_name: str

    def context(self, request, invoice, form) -> dict:
        return {"invoice": invoice, "form": form}

    def act(self, request, invoice, data: dict) -> str:
        """Do the service call with the cleaned data; answer the success message."""
        raise NotImplementedError

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(request, self.template_name, self.context(request, invoice, self.form_class()))

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.act(request, invoice, form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("invoice-detail", pk=invoice.pk)
        return render(request, self.template_name, self.context(request, invoice, form), status=400)
