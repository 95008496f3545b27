"""Pages of the leaver's bill and of secondment (WM-SO 16.3-16.6, WM-2015 6.7, BNO 15.4, WM-SO 4.10). Every
queryset goes through restrict()/visible_to(); writes are checked on the page's target before any input is read."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from agreements.models import Notice, NoticeStatus
from costsharing import notices, services
from costsharing.models import (
    ExitLineKind,
    ExitStatement,
    ExitStatementLine,
    ExitStatus,
    Secondment,
)
from regio.amounts import AmountField
from regio.bounds import page_year
from regio.models import Region
from regio.pagination import paginate
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404

ENTERED_KINDS = [(k.value, k.label) for k in ExitLineKind if k != ExitLineKind.PRO_RATA]


class ExitAmountForm(forms.Form):
    """An amount the leaver still owes, with its basis (WM-SO 16.4; WM-2015 6.7; BNO 15.4; WM-SO 16.6)."""

    kind = forms.ChoiceField(label=_("Soort"), choices=ENTERED_KINDS)
    description = forms.CharField(label=_("Omschrijving"), max_length=300)
    basis = forms.CharField(
        label=_("Grondslag"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Waarop het bedrag rust: bijv. de loonkosten van 0,8 fte tot de herplaatsing, of het liquidatieplan."
        ),
    )
    amount = AmountField(label=_("Bedrag (euro)"), minimum=Decimal("0"), help_text=_("Bijvoorbeeld 12.500,00"))
    by_key = forms.BooleanField(
        label=_("Dit is het totaal voor de regio: de gemeente betaalt haar aandeel volgens de verdeelsleutel"),
        required=False,
    )


def statement_pdf(statement: ExitStatement, lines) -> bytes:
    return notices.render_pdf(
        "costsharing/pdf/exit_statement.html",
        {"statement": statement, "lines": lines, "total": sum((x.amount for x in lines), Decimal("0.00"))},
    )


class ExitListView(TenantViewMixin, TemplateView):
    """The exit statements the user may see, and for the coordinating staff the notices that took effect without
    one yet."""

    model = ExitStatement
    template_name = "costsharing/exits.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        statements = (
            ExitStatement.objects.visible_to(user)
            .select_related("agreement", "municipality")
            .order_by("-exit_date", "municipality__name", "pk")
        )
        drawn = ExitStatement.objects.visible_to(user).exclude(notice=None).values("notice_id")
        open_notices = (
            Notice.objects.restrict(user, CHANGE)
            .filter(status=NoticeStatus.EFFECTED)
            .exclude(pk__in=drawn)
            .select_related("agreement", "municipality")
            .order_by("-exit_date")[:50]
        )
        page = paginate(self.request, statements)
        context.update(page=page, statements=page.object_list, open_notices=list(open_notices))
        return context


class ExitNoticeView(TenantViewMixin, TemplateView):
    """A notice that took effect: draw up its exit statement (POST; the coordinating staff of its region)."""

    model = Notice
    template_name = "costsharing/exit_notice.html"

    def get_notice(self) -> Notice:
        return get_for_user_or_404(
            Notice.objects.visible_to(self.request.user).select_related("agreement__region", "municipality"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def permission_target(self):
        return self.get_notice()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = self.get_notice()
        statement = ExitStatement.objects.visible_to(self.request.user).filter(notice=notice).first()
        context.update(
            notice=notice,
            statement=statement,
            can_act=notice.status == NoticeStatus.EFFECTED and can(self.request.user, CHANGE, notice),
        )
        return context

    def post(self, request, *args, **kwargs):
        notice = self.get_notice()
        try:
            statement = services.draw_up_exit_statement(user=request.user, notice=notice)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("costsharing-exit-notice", pk=notice.pk)
        messages.success(request, "De eindafrekening is opgesteld.")
        return redirect("costsharing-exit", pk=statement.pk)


class ExitStatementView(TenantViewMixin, TemplateView):
    """An exit statement: its lines with article and basis, entering amounts, finalising; ``?formaat=pdf`` the PDF."""

    model = ExitStatement
    template_name = "costsharing/exit_statement.html"

    def get_statement(self) -> ExitStatement:
        return get_for_user_or_404(
            ExitStatement.objects.visible_to(self.request.user).select_related("region", "agreement", "municipality"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def permission_target(self):
        return self.get_statement()

    def lines(self, statement):
        return list(
            ExitStatementLine.objects.visible_to(self.request.user)
            .filter(statement=statement)
            .order_by("position", "pk")
        )

    def get(self, request, *args, **kwargs):
        statement = self.get_statement()
        if request.GET.get("formaat") == "pdf":
            response = HttpResponse(statement_pdf(statement, self.lines(statement)), content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="eindafrekening-{statement.agreement.code}-{statement.municipality.code}.pdf"'
            )
            return response
        return self.render_to_response(self.get_context_data(statement=statement, form=ExitAmountForm()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = kwargs["statement"]
        user = self.request.user
        lines = self.lines(statement)
        acting = can(user, CHANGE, statement)
        coordinator = statement.region.coordinator_on(statement.exit_date - timedelta(days=1))
        context.update(
            lines=lines,
            total=sum((x.amount for x in lines), Decimal("0.00")),
            can_edit=acting and statement.status == ExitStatus.DRAFT,
            can_invoice=acting
            and statement.status == ExitStatus.FINAL
            and (coordinator is None or statement.municipality_id != coordinator.pk),
        )
        return context

    def post(self, request, *args, **kwargs):
        statement = self.get_statement()
        action = request.POST.get("action")
        try:
            if action == "finalise":
                services.finalise_exit_statement(user=request.user, statement=statement)
                messages.success(request, "De eindafrekening is vastgesteld.")
            elif action == "remove":
                line = ExitStatementLine.objects.visible_to(request.user).filter(
                    statement=statement,
                    pk=request.POST.get("line") if str(request.POST.get("line", "")).isdigit() else 0,
                )
                found = line.first()
                if found is None:
                    messages.error(request, "Die regel staat niet op deze eindafrekening.")
                else:
                    services.remove_exit_line(user=request.user, line=found)
                    messages.success(request, "De regel is verwijderd.")
            else:
                form = ExitAmountForm(request.POST)
                if not form.is_valid():
                    context = self.get_context_data(statement=statement, form=form)
                    return self.render_to_response(context, status=400)
                services.enter_exit_amount(user=request.user, statement=statement, **form.cleaned_data)
                messages.success(request, "Het bedrag is toegevoegd.")
        except ValidationError as exc:
            form = ExitAmountForm(request.POST if action == "add" else None)
            if action == "add":
                form.is_valid()
                for message in exc.messages:
                    form.add_error(None, message)
                return self.render_to_response(self.get_context_data(statement=statement, form=form), status=400)
            messages.error(request, " ".join(exc.messages))
        return redirect("costsharing-exit", pk=statement.pk)


class SecondmentView(TenantViewMixin, TemplateView):
    """The secondments of a region in a year (WM-SO 4.10) and how the region settles them; a member sees its own."""

    template_name = "costsharing/secondments.html"

    def get_region(self) -> Region:
        return get_for_user_or_404(
            Region.objects.visible_to(self.request.user), self.request.user, code=self.kwargs["code"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.get_region()
        year = page_year(self.request.GET.get("jaar"))
        rows = (
            Secondment.objects.visible_to(self.request.user)
            .filter(region=region, year=year)
            .select_related("municipality")
            .order_by("municipality__name", "function")
        )
        context.update(
            region=region,
            year=year,
            rows=list(rows),
            total=sum((r.amount for r in rows), Decimal("0.00")),
            settlement=services.secondment_settlement(region=region),
            can_act=can(self.request.user, CHANGE, region),
        )
        return context
