"""Payments, interest claims, payouts, offsets, collection costs and overpayments (issue #6, issue #10)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from invoicing import services
from invoicing.forms import (
    CollectionCostForm,
    OverpaymentForm,
    OverpaymentRefundForm,
    PaymentForm,
    PayoutForm,
)
from invoicing.models import (
    CollectionCost,
    Invoice,
    Overpayment,
)
from invoicing.views.common import InvoiceFormView, _add_errors, _errors, _invoice
from regio.formatting import format_amount
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, get_for_user_or_404


class PaymentCreateView(InvoiceFormView):
    """Register a payment by hand (partial payments allowed); the coordinating municipality's staff (SPEC §1)."""

    form_class = PaymentForm
    template_name = "invoicing/payment_form.html"

    def act(self, request, invoice, data):
        services.register_payment(user=request.user, invoice=invoice, **data)
        return _("De betaling is geregistreerd.")


class InterestClaimView(TenantViewMixin, View):
    """Claim the statutory interest (WM-SO 6.9): mark the invoice and prepare the claim letter (PDF)."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(
            request,
            "invoicing/interest_claim.html",
            {"invoice": invoice, "interest": services.interest_on_invoice(invoice)},
        )

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        try:
            services.claim_interest(user=request.user, invoice=invoice)
        except ValidationError as exc:
            return render(
                request,
                "invoicing/interest_claim.html",
                {"invoice": invoice, "interest": None, "errors": _errors(exc)},
                status=400,
            )
        messages.success(request, _("De rentevordering wordt gemaakt."))
        return redirect("invoice-detail", pk=invoice.pk)


# --- payouts of refund credit notes, collection costs -----------------------------------------------------------


class PayoutCreateView(InvoiceFormView):
    """Register a payout of a refund credit note by hand (date, amount, reference; partial payouts allowed)."""

    form_class = PayoutForm
    template_name = "invoicing/payout_form.html"

    def act(self, request, invoice, data):
        services.register_payout(user=request.user, credit_note=invoice, **data)
        return _("De uitbetaling is geregistreerd.")


class OffsetView(TenantViewMixin, View):
    """Offset a refund credit note against an open invoice of the same member (verrekenen): a payment on the
    invoice and a payout on the credit note of the same amount, in one transaction."""

    model = Invoice

    def _render(self, request, note, error=None, status=200):
        options = services.offsettable_invoices(note)
        return render(
            request,
            "invoicing/offset_form.html",
            {"invoice": note, "options": options, "error": error},
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, _invoice(request, pk, CHANGE))

    def post(self, request, pk):
        note = _invoice(request, pk, CHANGE)
        choice = request.POST.get("invoice", "")
        target = Invoice.objects.visible_to(request.user).filter(pk=int(choice)).first() if choice.isdigit() else None
        if target is None:
            return self._render(request, note, _("Kies de factuur waarmee u wilt verrekenen."), status=400)
        try:
            payment, _payout = services.offset(user=request.user, credit_note=note, invoice=target)
        except ValidationError as exc:
            return self._render(request, note, " ".join(exc.messages), status=400)
        messages.success(
            request,
            _("%(amount)s van creditfactuur %(note)s is verrekend met factuur %(invoice)s.")
            % {"amount": format_amount(payment.amount), "note": note.number, "invoice": target.number},
        )
        return redirect("invoice-detail", pk=note.pk)


class CollectionCostView(InvoiceFormView):
    """Record the collection costs of an overdue invoice; the statutory scale is the suggestion (Besluit vergoeding
    voor buitengerechtelijke incassokosten), the person may record another amount with its basis."""

    form_class = CollectionCostForm
    template_name = "invoicing/collection_cost_form.html"

    def context(self, request, invoice, form):
        return {
            "invoice": invoice,
            "form": form,
            "suggested": services.suggested_collection_costs(invoice),
            "current": CollectionCost.objects.visible_to(request.user).filter(invoice=invoice).first(),
        }

    def act(self, request, invoice, data):
        services.record_collection_costs(user=request.user, invoice=invoice, **data)
        return _("De incassokosten zijn vastgelegd.")


# --- overpayments (issue 10, finding 5) -------------------------------------------------------------------------


class OverpaymentCreateView(InvoiceFormView):
    """Register money received above what is open: the open part is booked as a payment, the rest stands as
    "terug te betalen" with its reason (a deliberate act, never a side effect of a payment)."""

    form_class = OverpaymentForm
    template_name = "invoicing/overpayment_form.html"

    def act(self, request, invoice, data):
        _payment, overpayment = services.register_overpayment(user=request.user, invoice=invoice, **data)
        return _("%(amount)s staat als te veel betaald: terug te betalen aan %(name)s.") % {
            "amount": format_amount(overpayment.amount),
            "name": invoice.recipient.name,
        }


class OverpaymentRefundView(TenantViewMixin, View):
    """Record that an overpayment was paid back to the member."""

    model = Overpayment

    def permission_target(self):
        # The URL names the invoice (pk) and its overpayment (opk): the write acts on the invoice's money.
        return _invoice(self.request, self.kwargs["pk"], VIEW)

    def _overpayment(self, request, pk, opk):
        invoice = _invoice(request, pk, CHANGE)
        overpayment = get_for_user_or_404(
            Overpayment.objects.visible_to(request.user), request.user, VIEW, pk=opk, invoice=invoice
        )
        return invoice, overpayment

    def get(self, request, pk, opk):
        invoice, overpayment = self._overpayment(request, pk, opk)
        context = {"invoice": invoice, "overpayment": overpayment, "form": OverpaymentRefundForm()}
        return render(request, "invoicing/overpayment_refund_form.html", context)

    def post(self, request, pk, opk):
        invoice, overpayment = self._overpayment(request, pk, opk)
        form = OverpaymentRefundForm(request.POST)
        if form.is_valid():
            try:
                services.refund_overpayment(user=request.user, overpayment=overpayment, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("De terugbetaling is geregistreerd."))
                return redirect("invoice-detail", pk=invoice.pk)
        context = {"invoice": invoice, "overpayment": overpayment, "form": form}
        return render(request, "invoicing/overpayment_refund_form.html", context, status=400)
