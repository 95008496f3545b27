"""Pages of invoicing (issue #6): invoices with lines, VAT, payments and interest; issuing, credit, payments,
PDF and e-invoice downloads, bank statements. Every queryset is restricted (regio.tenancy); another municipality's
invoice answers 404, a missing permission 403 (STYLE.md rule 5)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from invoicing import services, statements, ubl
from invoicing.forms import (
    CollectionCostForm,
    CreditForm,
    DraftForm,
    LineForm,
    OverpaymentForm,
    OverpaymentRefundForm,
    PaymentForm,
    PayoutForm,
    ResolveLineForm,
    StatementUploadForm,
)
from invoicing.models import (
    BankStatement,
    BankStatementLine,
    CollectionCost,
    DocumentKind,
    DocumentStatus,
    Invoice,
    InvoiceDocument,
    InvoiceLine,
    InvoiceStatus,
    Overpayment,
    Payment,
    Payout,
)
from regio.bounds import page_year
from regio.formatting import format_amount
from regio.line_sources import attach_references
from regio.models import Membership, Municipality
from regio.pagination import paginate_named
from regio.tenancy import ADD, CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404


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


class InvoiceListView(TenantViewMixin, ListView):
    model = Invoice
    template_name = "invoicing/invoice_list.html"
    context_object_name = "invoices"
    paginate_by = 50

    def get_queryset(self):
        queryset = super().get_queryset().select_related("issuer", "recipient", "region")
        year = self.request.GET.get("jaar", "")
        if year:
            queryset = queryset.filter(year=page_year(year))
        status = self.request.GET.get("status", "")
        if status in InvoiceStatus.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            statuses=InvoiceStatus.choices,
            year=self.request.GET.get("jaar", ""),
            status=self.request.GET.get("status", ""),
            can_create=services._is_issuer_staff(self.request.user),
        )
        return context


class InvoiceDetailView(TenantViewMixin, View):
    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk)
        lines = list(invoice.lines.visible_to(request.user).order_by("position", "pk"))
        payments = list(Payment.objects.visible_to(request.user).filter(invoice=invoice).order_by("paid_on"))
        payouts = list(Payout.objects.visible_to(request.user).filter(invoice=invoice).order_by("paid_on"))
        documents = list(InvoiceDocument.objects.visible_to(request.user).filter(invoice=invoice))
        collection_cost = CollectionCost.objects.visible_to(request.user).filter(invoice=invoice).first()
        attach_references(request.user, lines)  # each line's source, linked where the user may see it
        has_claim = bool(collection_cost or invoice.reminder_due_on)
        context = {
            "invoice": invoice,
            "lines": lines,
            "breakdown": invoice.vat_breakdown(lines) if lines else [],
            "payments": payments,
            "paid": sum((p.amount for p in payments), 0),
            "documents": documents,
            "pdf": next((d for d in documents if d.kind == DocumentKind.INVOICE), None),
            "interest": services.interest_on_invoice(invoice),
            "can_act": can(request.user, CHANGE, invoice),
            "credit_notes": Invoice.objects.visible_to(request.user).filter(credit_for=invoice),
            "payouts": payouts,
            "paid_out": sum((p.amount for p in payouts), 0),
            "collection_cost": collection_cost,
            "overpayments": list(
                Overpayment.objects.visible_to(request.user).filter(invoice=invoice).order_by("received_on", "pk")
            ),
            "to_refund": services.to_refund(invoice),
            "settlement": services.settlement(invoice)
            if has_claim and not invoice.is_draft and not invoice.is_credit_note
            else None,
        }
        return render(request, "invoicing/invoice_detail.html", context)


class InvoiceIssueView(TenantViewMixin, View):
    """GET: confirm; POST: issue (number, date and parties are fixed; Wet OB art. 35a)."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(request, "invoicing/invoice_issue.html", {"invoice": invoice})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        try:
            invoice = services.issue(user=request.user, invoice=invoice)
        except ValidationError as exc:
            return render(
                request, "invoicing/invoice_issue.html", {"invoice": invoice, "errors": _errors(exc)}, status=400
            )
        messages.success(request, _("Factuur %(n)s is verzonden. De PDF wordt gemaakt.") % {"n": invoice.number})
        return redirect("invoice-detail", pk=invoice.pk)


class InvoiceCreditView(TenantViewMixin, View):
    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(request, "invoicing/invoice_credit.html", {"invoice": invoice, "form": CreditForm()})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        form = CreditForm(request.POST)
        if form.is_valid():
            try:
                note = services.credit(user=request.user, invoice=invoice, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Concept-creditfactuur gemaakt; controleer en verzend haar."))
                return redirect("invoice-detail", pk=note.pk)
        return render(request, "invoicing/invoice_credit.html", {"invoice": invoice, "form": form}, status=400)


class PaymentCreateView(TenantViewMixin, View):
    """Register a payment by hand (partial payments allowed); the coordinating municipality's staff (SPEC §1)."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(request, "invoicing/payment_form.html", {"invoice": invoice, "form": PaymentForm()})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        form = PaymentForm(request.POST)
        if form.is_valid():
            try:
                services.register_payment(user=request.user, invoice=invoice, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("De betaling is geregistreerd."))
                return redirect("invoice-detail", pk=invoice.pk)
        return render(request, "invoicing/payment_form.html", {"invoice": invoice, "form": form}, status=400)


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


class InvoiceDocumentView(TenantViewMixin, View):
    """A PDF of the invoice (``soort``: factuur, aanmaning, rente) from private media, only through this view.
    While it is being made (or when it failed) a page says so; POST renders a failed PDF again."""

    model = Invoice
    kinds = {"factuur": DocumentKind.INVOICE, "aanmaning": DocumentKind.REMINDER, "rente": DocumentKind.INTEREST_CLAIM}

    def _document(self, request, invoice):
        kind = self.kinds.get(request.GET.get("soort", "factuur"))
        if kind is None:
            raise Http404
        document = InvoiceDocument.objects.visible_to(request.user).filter(invoice=invoice, kind=kind).first()
        if document is None:
            raise Http404(_("Er is (nog) geen PDF van deze factuur."))
        return document

    def get(self, request, pk):
        invoice = _invoice(request, pk)
        document = self._document(request, invoice)
        if document.status == DocumentStatus.READY and document.file:
            with document.file.open("rb") as handle:
                response = HttpResponse(handle.read(), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{document.kind}-{invoice.number}.pdf"'
            return response
        return render(
            request,
            "invoicing/document_status.html",
            {"invoice": invoice, "document": document, "can_act": can(request.user, CHANGE, invoice)},
        )

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        document = self._document(request, invoice)
        services.retry_document(user=request.user, document=document)
        messages.success(request, _("De PDF wordt opnieuw gemaakt."))
        return redirect("invoice-detail", pk=invoice.pk)


class InvoiceUblView(TenantViewMixin, View):
    """The e-invoice (UBL 2.1, NLCIUS) of an issued invoice or credit invoice."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk)
        if invoice.is_draft:
            raise Http404(_("Een concept heeft nog geen e-factuur."))
        response = HttpResponse(ubl.build_xml(invoice), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="factuur-{invoice.number}.xml"'
        return response


class StatementListView(TenantViewMixin, View):
    """The municipality's bank statements, with the upload of a new one (CAMT.053, MT940, CSV)."""

    model = BankStatement

    def _context(self, request, form, problems=None):
        return {
            "form": form,
            "problems": problems or [],
            # Two lists on one page, each with its own page parameter (issue 10: every list pages).
            "statements": paginate_named(
                request, BankStatement.objects.visible_to(request.user).order_by("-imported_at"), "pagina"
            ),
            "open_lines": paginate_named(
                request,
                BankStatementLine.objects.visible_to(request.user)
                .filter(status__in=["unmatched", "ambiguous"])
                .select_related("statement")
                .order_by("booked_on", "pk"),
                "open",
            ),
            "can_upload": services._is_issuer_staff(request.user),
        }

    def permission_target(self):
        # A statement is imported for the user's own municipality, by the staff of one that coordinates a region.
        return self.own_municipality()

    def get(self, request):
        return render(request, "invoicing/statement_list.html", self._context(request, StatementUploadForm()))

    def post(self, request):
        if not services._is_issuer_staff(request.user):
            raise PermissionDenied(_("Alleen medewerkers van een coördinerende gemeente lezen bankafschriften in."))
        form = StatementUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "invoicing/statement_list.html", self._context(request, form), status=400)
        upload = form.cleaned_data["file"]
        municipality = Municipality.objects.visible_to(request.user).get(pk=request.user.municipality_id)
        try:
            result = statements.import_statement(
                user=request.user,
                municipality=municipality,
                filename=upload.name,
                data=upload.read(),
                fmt=form.cleaned_data["format"] or None,
            )
        except statements.StatementError as exc:
            return render(
                request, "invoicing/statement_list.html", self._context(request, form, [str(exc)]), status=400
            )
        messages.success(request, result.summary())
        return redirect("statement-detail", pk=result.statement.pk)


class StatementDetailView(TenantViewMixin, View):
    """The lines of one statement; unmatched and ambiguous lines are resolved here by a person."""

    model = BankStatement

    def _context(self, request, statement, form=None, line_id=None):
        lines = (
            BankStatementLine.objects.visible_to(request.user)
            .filter(statement=statement)
            .prefetch_related(
                Prefetch("payment", queryset=Payment.objects.visible_to(request.user).select_related("invoice"))
            )
        )
        return {
            "statement": statement,
            "lines": lines,
            "form": form or ResolveLineForm(),
            "line_id": line_id,
            "can_act": can(request.user, CHANGE, statement),
        }

    def get(self, request, pk):
        statement = get_for_user_or_404(BankStatement.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        return render(request, "invoicing/statement_detail.html", self._context(request, statement))

    def post(self, request, pk):
        statement = get_for_user_or_404(BankStatement.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        if not can(request.user, CHANGE, statement):
            raise PermissionDenied
        line = get_for_user_or_404(
            BankStatementLine.objects.restrict(request.user, CHANGE),
            request.user,
            CHANGE,
            pk=request.POST.get("line"),
            statement=statement,
        )
        form = ResolveLineForm(request.POST)
        if form.is_valid():
            invoice = None
            if not form.cleaned_data["ignore"]:
                invoice = (
                    Invoice.objects.restrict(request.user, CHANGE)
                    .filter(number=form.cleaned_data["invoice_number"].strip())
                    .first()
                )
                if invoice is None:
                    form.add_error("invoice_number", _("Geen factuur van uw gemeente met dit nummer."))
            if form.is_valid():
                try:
                    statements.resolve_line(
                        user=request.user, line=line, invoice=invoice, ignore=form.cleaned_data["ignore"]
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)  # e.g. a booking date in the future (paid_on): at the top, not a 500
                else:
                    messages.success(request, _("De regel is verwerkt."))
                    return redirect("statement-detail", pk=statement.pk)
        return render(
            request, "invoicing/statement_detail.html", self._context(request, statement, form, line.pk), status=400
        )


class ReckoningInvoiceView(TenantViewMixin, View):
    """One action creates (and issues) the invoices of all members of an approved reckoning; twice creates nothing
    new (WM-SO 6.7). Runs as a Celery task; the page lists the invoices made so far."""

    model = Invoice

    def _reckoning(self, request, pk):
        from costsharing.models import Reckoning

        return get_for_user_or_404(Reckoning.objects.visible_to(request.user), request.user, VIEW, pk=pk)

    def _context(self, request, reckoning):
        from costsharing.models import ReckoningLine

        prefix = f"reckoning:{reckoning.pk}:"
        invoices = list(
            Invoice.objects.visible_to(request.user).filter(source_key__startswith=prefix).select_related("recipient")
        )
        coordinator = reckoning.region.coordinator_on(date(reckoning.year, 12, 31))
        # A correction version settles only the change (ReckoningLine.to_settle), so count on that.
        expected = sum(
            1
            for line in ReckoningLine.objects.visible_to(request.user)
            .filter(reckoning=reckoning)
            .exclude(municipality=coordinator)
            if line.to_settle != 0
        )
        done = sum(1 for invoice in invoices if not invoice.is_draft)
        return {
            "reckoning": reckoning,
            "invoices": invoices,
            "expected": expected,
            "done": done,
            "running": 0 < done < expected,
            "can_act": can(request.user, ADD, reckoning.region),
        }

    def permission_target(self):
        return self._reckoning(self.request, self.kwargs["pk"]).region

    def get(self, request, pk):
        reckoning = self._reckoning(request, pk)
        return render(request, "invoicing/reckoning_invoice.html", self._context(request, reckoning))

    def post(self, request, pk):
        from django.db import transaction

        from invoicing.tasks import invoice_reckoning

        reckoning = self._reckoning(request, pk)
        context = self._context(request, reckoning)
        if not context["can_act"]:
            raise PermissionDenied(_("Alleen de coördinerende gemeente factureert de afrekening."))
        if reckoning.status == "draft":
            context["errors"] = [_("Alleen een vastgestelde afrekening wordt gefactureerd.")]
            return render(request, "invoicing/reckoning_invoice.html", context, status=400)
        user_id = request.user.pk
        transaction.on_commit(lambda: invoice_reckoning.delay(reckoning.pk, user_id))
        messages.success(request, _("De facturen worden gemaakt; ververs deze pagina om de voortgang te zien."))
        return redirect("reckoning-invoice", pk=reckoning.pk)


class InvoiceExportView(TenantViewMixin, View):
    """Excel export of the invoices the user may see, per year and member (issue #6). Without ``formaat=xlsx`` the
    page with the choices; with it, the workbook."""

    model = Invoice

    def get(self, request):
        invoices = Invoice.objects.visible_to(request.user).exclude(status=InvoiceStatus.DRAFT)
        years = sorted({y for y in invoices.values_list("year", flat=True) if y}, reverse=True)
        members = (
            Municipality.objects.visible_to(request.user)
            .filter(pk__in=invoices.values("recipient_id"))
            .order_by("name")
        )
        year, member = request.GET.get("jaar", ""), request.GET.get("gemeente", "")
        if request.GET.get("formaat") != "xlsx":
            return render(
                request,
                "invoicing/invoice_export.html",
                {"years": years, "members": members, "year": year, "member": member},
            )
        if year:
            invoices = invoices.filter(year=page_year(year))
        if member:
            invoices = invoices.filter(recipient__code=member)
        from invoicing.export import workbook

        response = HttpResponse(
            workbook(invoices.select_related("issuer", "recipient", "credit_for").order_by("year", "sequence")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = "-".join(x for x in ("facturen", year, member) if x)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


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


class InvoiceLineCreateView(TenantViewMixin, View):
    """Add a line to a draft: description, quantity, unit, unit price, VAT rate, source and its reference."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        if not invoice.is_draft:
            return _issued_page(request, invoice)
        return render(request, "invoicing/line_form.html", {"invoice": invoice, "form": LineForm()})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        if not invoice.is_draft:
            return _issued_page(request, invoice)
        form = LineForm(request.POST)
        if form.is_valid():
            try:
                services.add_line(user=request.user, invoice=invoice, **form.cleaned_data)
            except services.InvoiceIsIssued:
                return _issued_page(request, invoice)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("De regel is toegevoegd."))
                return redirect("invoice-detail", pk=invoice.pk)
        return render(request, "invoicing/line_form.html", {"invoice": invoice, "form": form}, status=400)


class InvoiceLineUpdateView(TenantViewMixin, View):
    """Change a line of a draft."""

    model = Invoice

    def get(self, request, pk, line_pk):
        invoice = _invoice(request, pk, CHANGE)
        line = _line(request, invoice, line_pk)
        if not invoice.is_draft:
            return _issued_page(request, invoice)
        form = LineForm(initial=_line_initial(line))
        return render(request, "invoicing/line_form.html", {"invoice": invoice, "line": line, "form": form})

    def post(self, request, pk, line_pk):
        invoice = _invoice(request, pk, CHANGE)
        line = _line(request, invoice, line_pk)
        if not invoice.is_draft:
            return _issued_page(request, invoice)
        form = LineForm(request.POST)
        if form.is_valid():
            try:
                services.update_line(user=request.user, line=line, **form.cleaned_data)
            except services.InvoiceIsIssued:
                return _issued_page(request, invoice)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("De regel is gewijzigd."))
                return redirect("invoice-detail", pk=invoice.pk)
        context = {"invoice": invoice, "line": line, "form": form}
        return render(request, "invoicing/line_form.html", context, status=400)


class InvoiceLineDeleteView(TenantViewMixin, View):
    """Remove a line of a draft (GET: confirm)."""

    model = Invoice

    def get(self, request, pk, line_pk):
        invoice = _invoice(request, pk, CHANGE)
        line = _line(request, invoice, line_pk)
        if not invoice.is_draft:
            return _issued_page(request, invoice)
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


# --- payouts of refund credit notes, collection costs -----------------------------------------------------------


class PayoutCreateView(TenantViewMixin, View):
    """Register a payout of a refund credit note by hand (date, amount, reference; partial payouts allowed)."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(request, "invoicing/payout_form.html", {"invoice": invoice, "form": PayoutForm()})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        form = PayoutForm(request.POST)
        if form.is_valid():
            try:
                services.register_payout(user=request.user, credit_note=invoice, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("De uitbetaling is geregistreerd."))
                return redirect("invoice-detail", pk=invoice.pk)
        return render(request, "invoicing/payout_form.html", {"invoice": invoice, "form": form}, status=400)


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


class CollectionCostView(TenantViewMixin, View):
    """Record the collection costs of an overdue invoice; the statutory scale is the suggestion (Besluit vergoeding
    voor buitengerechtelijke incassokosten), the person may record another amount with its basis."""

    model = Invoice

    def _context(self, request, invoice, form):
        return {
            "invoice": invoice,
            "form": form,
            "suggested": services.suggested_collection_costs(invoice),
            "current": CollectionCost.objects.visible_to(request.user).filter(invoice=invoice).first(),
        }

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(
            request, "invoicing/collection_cost_form.html", self._context(request, invoice, CollectionCostForm())
        )

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        form = CollectionCostForm(request.POST)
        if form.is_valid():
            try:
                services.record_collection_costs(user=request.user, invoice=invoice, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("De incassokosten zijn vastgelegd."))
                return redirect("invoice-detail", pk=invoice.pk)
        return render(
            request, "invoicing/collection_cost_form.html", self._context(request, invoice, form), status=400
        )


# --- overpayments (issue 10, finding 5) -------------------------------------------------------------------------


class OverpaymentCreateView(TenantViewMixin, View):
    """Register money received above what is open: the open part is booked as a payment, the rest stands as
    "terug te betalen" with its reason (a deliberate act, never a side effect of a payment)."""

    model = Invoice

    def get(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        return render(request, "invoicing/overpayment_form.html", {"invoice": invoice, "form": OverpaymentForm()})

    def post(self, request, pk):
        invoice = _invoice(request, pk, CHANGE)
        form = OverpaymentForm(request.POST)
        if form.is_valid():
            try:
                _payment, overpayment = services.register_overpayment(
                    user=request.user, invoice=invoice, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(amount)s staat als te veel betaald: terug te betalen aan %(name)s.")
                    % {"amount": format_amount(overpayment.amount), "name": invoice.recipient.name},
                )
                return redirect("invoice-detail", pk=invoice.pk)
        return render(request, "invoicing/overpayment_form.html", {"invoice": invoice, "form": form}, status=400)


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
