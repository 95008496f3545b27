"""Bank statement pages: upload, list, matching lines (issue #6)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from invoicing import services, statements
from invoicing.forms import (
    ResolveLineForm,
    StatementUploadForm,
)
from invoicing.models import (
    BankStatement,
    BankStatementLine,
    Invoice,
    Payment,
)
from invoicing.views.common import _add_errors
from regio.models import Municipality
from regio.pagination import paginate_named
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404


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
