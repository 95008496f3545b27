"""Drafts and lines by hand (coordinating municipality's staff) (issue #6)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from invoicing import services
from invoicing.forms import (
    DraftForm,
    LineForm,
)
from invoicing.models import (
    Invoice,
    InvoiceLine,
)
from invoicing.views.common import _add_errors, _invoice, _issued_page
from regio.models import Membership
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, get_for_user_or_404

# --- drafts and lines by hand (coordinating municipality's staff) -----------------------------------------------


def _draft_form(request, data=None):
    regions = services.invoicing_regions(request.user)
    if not regions:
        raise PermissionDenied(_("Alleen medewerkers van de coördinerende gemeente maken facturen."))
    own = request.user.municipality_id
    members: dict[int, list] = {}
    for membership in (
        Membership.objects.visible_to(request.user)
        .filter(region__in=regions)
        .exclude(municipality_id=own)
        # Offered: today's members (an ended municipality such as Schinnen, 2018, is not; a leaver's last bill is
        # still possible through the service for a period in which it was a member).
        .exclude(valid_until__lt=timezone.localdate())
        .exclude(municipality__active_until__lt=timezone.localdate())
        .select_related("municipality")
        .order_by("municipality__name")
    ):
        group = members.setdefault(membership.region_id, [])
        if membership.municipality not in group:
            group.append(membership.municipality)
    return DraftForm(data, regions=regions, members=members)


class InvoiceCreateView(TenantViewMixin, View):
    """Nieuwe conceptfactuur: the coordinating municipality's staff choose a member of the region, the supply period
    and a description; the lines follow on the draft's page. Needs the member's invoicing mandate (SPEC §5)."""

    model = Invoice

    def permission_target(self):
        # Drafts are made by the staff of a coordinating municipality; the service checks the chosen region.
        return self.own_municipality()

    def get(self, request):
        return render(request, "invoicing/invoice_create.html", {"form": _draft_form(request)})

    def post(self, request):
        form = _draft_form(request, request.POST)
        if form.is_valid():
            region, recipient = form.region_and_recipient()
            try:
                invoice = services.new_draft(
                    user=request.user,
                    region=region,
                    recipient=recipient,
                    subject=form.cleaned_data["subject"],
                    period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Conceptfactuur gemaakt; voeg nu de regels toe."))
                return redirect("invoice-detail", pk=invoice.pk)
        return render(request, "invoicing/invoice_create.html", {"form": form}, status=400)


class InvoiceDeleteView(TenantViewMixin, View):
    """Delete a draft (GET: confirm). An issued invoice is never deleted (Wet OB art. 35a)."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        if not invoice.is_draft:
            return _issued_page(request, invoice)
        return render(request, "invoicing/invoice_delete.html", {"invoice": invoice})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        try:
            services.delete_draft(user=request.user, invoice=invoice)
        except services.InvoiceIsIssued:
            return _issued_page(request, invoice)
        messages.success(request, _("Het concept is verwijderd."))
        return redirect("invoice-list")


def _line(request, invoice, line_pk):
    return get_for_user_or_404(
        InvoiceLine.objects.visible_to(request.user), request.user, VIEW, pk=line_pk, invoice=invoice
    )


def _line_initial(line) -> dict:
    return {
        "description": line.description,
        "quantity": f"{line.quantity.normalize():f}".replace(".", ","),
        "unit": line.unit,
        "unit_price": f"{line.unit_price.normalize():f}".replace(".", ","),
        "vat_rate": line.vat_rate,
        "source_type": line.source_type,
        "source_id": line.source_id,
    }


def _draft_line(request, pk, line_pk):
    """The draft, its line and, when the invoice is no longer a draft, the page that says so (else None)."""
    invoice = _invoice(request, pk, CHANGE)
    line = _line(request, invoice, line_pk)
    return invoice, line, None if invoice.is_draft else _issued_page(request, invoice)


def _save_line(request, invoice, save, done: str, line=None):
    """The POST of the line form (add or change): the service through ``save``, the form again (400) on bad data."""
    form = LineForm(request.POST)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except services.InvoiceIsIssued:
            return _issued_page(request, invoice)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("invoice-detail", pk=invoice.pk)
    context = {"invoice": invoice, "line": line, "form": form}
    return render(request, "invoicing/line_form.html", context, status=400)


class InvoiceLineCreateView(TenantViewMixin, View):
    """Add a line to a draft: description, quantity, unit, unit price, VAT rate, source and its reference."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        if not invoice.is_draft:
            return _issued_page(request, invoice)
        # A new line starts at the invoice's VAT, which came from its agreement (issue 12; WM-SO 6.8).
        form = LineForm(initial={"vat_rate": invoice.vat_rate})
        return render(request, "invoicing/line_form.html", {"invoice": invoice, "form": form})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        if not invoice.is_draft:
            return _issued_page(request, invoice)
        return _save_line(
            request,
            invoice,
            lambda data: services.add_line(user=request.user, invoice=invoice, **data),
            _("De regel is toegevoegd."),
        )


class InvoiceLineUpdateView(TenantViewMixin, View):
    """Change a line of a draft."""

    model = Invoice

    def get(self, request, pk, line_pk):
        invoice, line, issued = _draft_line(request, pk, line_pk)
        if issued:
            return issued
        form = LineForm(initial=_line_initial(line))
        return render(request, "invoicing/line_form.html", {"invoice": invoice, "line": line, "form": form})

    def post(self, request, pk, line_pk):
        invoice, line, issued = _draft_line(request, pk, line_pk)
        if issued:
            return issued
        return _save_line(
            request,
            invoice,
            lambda data: services.update_line(user=request.user, line=line, **data),
            _("De regel is gewijzigd."),
            line=line,
        )


class InvoiceLineDeleteView(TenantViewMixin, View):
    """Remove a line of a draft (GET: confirm)."""

    model = Invoice

    def get(self, request, pk, line_pk):
        invoice, line, issued = _draft_line(request, pk, line_pk)
        if issued:
            return issued
        return render(request, "invoicing/line_delete.html", {"invoice": invoice, "line": line})

    def post(self, request, pk, line_pk):
        invoice = _invoice(request, pk, CHANGE)
        line = _line(request, invoice, line_pk)
        try:
            services.remove_line(user=request.user, line=line)
        except services.InvoiceIsIssued:
            return _issued_page(request, invoice)
        messages.success(request, _("De regel is verwijderd."))
        return redirect("invoice-detail", pk=invoice.pk)
