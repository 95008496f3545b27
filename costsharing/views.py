"""Pages of cost sharing (Dutch, NL Design System). Every queryset goes through restrict()/visible_to()."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from costsharing import notices, services
from costsharing.forms import (
    ActualLineForm,
    CaoStepForm,
    ImportForm,
    MergerForm,
    PopulationVersionForm,
    SplitPreviewForm,
    TypedVersionForm,
)
from costsharing.models import (
    CATEGORY_CHARGE,
    STAFF_CATEGORIES,
    ActualCostLine,
    Advance,
    AllocationKey,
    Category,
    KeyShare,
    KeyVersion,
    Notice,
    Reckoning,
    ReckoningItem,
    ReckoningLine,
    ReckoningPart,
)
from regio.bounds import page_year
from regio.models import Region
from regio.pagination import paginate
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404, scope_of


class CostsharingHomeView(TenantViewMixin, TemplateView):
    """Keys, tariffs, budgets and reckonings of the regions the user's municipality is a member of."""

    model = AllocationKey
    template_name = "costsharing/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        regions = Region.objects.visible_to(user).order_by("name")
        keys = AllocationKey.objects.visible_to(user).select_related("region").prefetch_related("versions")
        reckonings = (
            Reckoning.objects.visible_to(user).select_related("region").order_by("region__name", "-year", "-version")
        )
        context.update(
            regions=[
                {
                    "region": r,
                    "keys": [k for k in keys if k.region_id == r.pk],
                    "reckonings": [x for x in reckonings if x.region_id == r.pk],
                    "coordinating": can(user, CHANGE, r),
                }
                for r in regions
            ],
            year=timezone.localdate().year,
        )
        return context


class KeyDetailView(TenantViewMixin, TemplateView):
    """A key's versions with their exact weights, and a split preview (SPEC §6.1)."""

    model = AllocationKey
    template_name = "costsharing/key_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        key = get_for_user_or_404(
            AllocationKey.objects.visible_to(self.request.user).select_related("region"),
            self.request.user,
            pk=kwargs["pk"],
        )
        versions = list(
            KeyVersion.objects.visible_to(self.request.user)
            .filter(key=key)
            .prefetch_related(
                Prefetch(
                    "shares", queryset=KeyShare.objects.visible_to(self.request.user).select_related("municipality")
                )
            )
        )
        form = SplitPreviewForm(self.request.GET or None)
        split = None
        if form.is_bound and form.is_valid():
            try:
                version = services.version_on(key=key, on=form.cleaned_data["on"])
                parts = services.split(
                    amount=form.cleaned_data["amount"], version=version, year=form.cleaned_data["on"].year
                )
                split = {"version": version, "parts": parts, "amount": form.cleaned_data["amount"]}
            except ValidationError as exc:
                form.add_error(None, exc)
        coordinating = can(self.request.user, CHANGE, key.region)
        context.update(
            key=key,
            versions=versions,
            form=form,
            split=split,
            coordinating=coordinating,
            population_form=kwargs.get("population_form") or PopulationVersionForm(),
            merger_form=kwargs.get("merger_form") or MergerForm(),
            typed_form=kwargs.get("typed_form") or TypedVersionForm(),
        )
        return context

    def permission_target(self):
        return get_for_user_or_404(
            AllocationKey.objects.visible_to(self.request.user), self.request.user, pk=self.kwargs["pk"]
        )

    def post(self, request, *args, **kwargs):
        """Coordinating staff: a population version for a new year in one action, or a merger (BNO considerans)."""
        key = get_for_user_or_404(AllocationKey.objects.visible_to(request.user), request.user, pk=kwargs["pk"])
        if request.POST.get("action") == "typed":
            form = TypedVersionForm(request.POST)
            if form.is_valid():
                from regio.models import Municipality

                weights = form.cleaned_data["weights"]
                found = {m.code: m for m in Municipality.objects.visible_to(request.user).filter(code__in=weights)}
                unknown = sorted(c for c in weights if c not in found)
                if unknown:
                    form.add_error("weights", f"Onbekende gemeente(n): {', '.join(unknown)}.")
                else:
                    try:
                        services.create_version(
                            user=request.user,
                            key=key,
                            basis=form.cleaned_data["basis"],
                            valid_from=form.cleaned_data["valid_from"],
                            valid_until=form.cleaned_data["valid_until"],
                            reference_date=form.cleaned_data["reference_date"],
                            shares={found[c]: w for c, w in weights.items()},
                            note=form.cleaned_data["note"],
                        )
                        messages.success(request, "De nieuwe sleutelversie is vastgelegd.")
                        return redirect(request.path)
                    except ValidationError as exc:
                        form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(typed_form=form, **kwargs))
        if request.POST.get("action") == "merge":
            form = MergerForm(request.POST)
            if form.is_valid():
                from regio.models import Municipality

                codes = [c for into, merged in form.cleaned_data["mergers"] for c in (into, *merged)]
                found = {m.code: m for m in Municipality.objects.visible_to(request.user).filter(code__in=codes)}
                unknown = sorted({c for c in codes if c not in found})
                if unknown:
                    form.add_error(None, f"Onbekende gemeente(n): {', '.join(unknown)}.")
                else:
                    try:
                        services.merge_municipalities(
                            user=request.user,
                            key=key,
                            on=form.cleaned_data["on"],
                            mergers=[
                                ([found[c] for c in merged], found[into])
                                for into, merged in form.cleaned_data["mergers"]
                            ],
                        )
                        messages.success(request, "De nieuwe sleutelversie is gemaakt (aandelen opgeteld).")
                        return redirect(request.path)
                    except ValidationError as exc:
                        form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(merger_form=form, **kwargs))
        form = PopulationVersionForm(request.POST)
        if form.is_valid():
            try:
                services.generate_population_version(
                    user=request.user,
                    key=key,
                    reference_year=form.cleaned_data["reference_year"],
                    valid_from=form.cleaned_data["valid_from"],
                )
                messages.success(request, "De inwonersversie is (opnieuw) berekend uit de CBS-inwonertallen.")
                return redirect(request.path)
            except ValidationError as exc:
                form.add_error(None, exc)
        return self.render_to_response(self.get_context_data(population_form=form, **kwargs))


class TariffsView(TenantViewMixin, TemplateView):
    """Norm amounts, hourly rates and activity prices of a year, with the CAO steps that made them (SPEC §6.2-6.3).
    Coordinating staff enter a CAO step here; the indexation runs after commit."""

    model = Region
    template_name = "costsharing/tariffs.html"

    def permission_target(self):
        return get_for_user_or_404(
            Region.objects.visible_to(self.request.user), self.request.user, code=self.kwargs["code"]
        )

    def post(self, request, *args, **kwargs):
        region = get_for_user_or_404(Region.objects.visible_to(request.user), request.user, code=kwargs["code"])
        form = CaoStepForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(step_form=form, **kwargs))
        try:
            services.add_cao_step(user=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.render_to_response(self.get_context_data(step_form=form, **kwargs))
        messages.success(request, "De CAO-stap is vastgelegd; de normbedragen worden opnieuw berekend.")
        return redirect(request.get_full_path())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = get_for_user_or_404(
            Region.objects.visible_to(self.request.user), self.request.user, code=kwargs["code"]
        )
        year = page_year(self.request.GET.get("jaar"))
        try:
            tariffs = services.tariffs(region=region, year=year)
        except ValidationError as exc:
            tariffs, context["problem"] = None, " ".join(exc.messages)
        from costsharing.models import CaoStep, NormYear

        context.update(
            region=region,
            year=year,
            tariffs=tariffs,
            rates=[(s, tariffs.rate(s.scale)) for s in tariffs.scales] if tariffs else [],
            years=sorted(
                set(
                    NormYear.objects.visible_to(self.request.user).filter(region=region).values_list("year", flat=True)
                )
            ),
            steps=paginate(self.request, CaoStep.objects.visible_to(self.request.user).filter(region=region)),
            step_form=kwargs.get("step_form") or CaoStepForm(),
            coordinating=can(self.request.user, CHANGE, region),
            earlier=NormYear.objects.visible_to(self.request.user).filter(
                region=region, year=year, superseded_at__isnull=False
            ),
        )
        return context


class BudgetView(TenantViewMixin, TemplateView):
    """Budget against actual costs per category, the advances, and the ledger import (WM-SO 6.1, 6.7)."""

    model = Region
    template_name = "costsharing/budget.html"

    def region_and_year(self):
        region = get_for_user_or_404(
            Region.objects.visible_to(self.request.user), self.request.user, code=self.kwargs["code"]
        )
        return region, page_year(self.kwargs["year"])

    def permission_target(self):
        return self.region_and_year()[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, year = self.region_and_year()
        user = self.request.user
        try:
            budget = services.budget_totals(region=region, year=year)
        except ValidationError as exc:
            budget, context["problem"] = {}, " ".join(exc.messages)
        actual: dict[str, Decimal] = defaultdict(Decimal)
        lines = list(ActualCostLine.objects.visible_to(user).filter(region=region, year=year).order_by("date", "pk"))
        for line in lines:
            actual[line.category] += line.amount * CATEGORY_CHARGE.get(line.category, Decimal(1))
        rows = []
        for category in Category:
            b = budget.get(category.value)
            a = budget.get(category.value) if category in STAFF_CATEGORIES else actual.get(category.value)
            if b is None and a is None:
                continue
            rows.append(
                {
                    "label": category.label,
                    "budget": b or Decimal("0"),
                    "actual": a or Decimal("0"),
                    "staff": category in STAFF_CATEGORIES,
                }
            )
        context.update(
            region=region,
            year=year,
            rows=rows,
            budget_total=sum((r["budget"] for r in rows), Decimal("0")),
            actual_total=sum((r["actual"] for r in rows), Decimal("0")),
            lines=paginate(self.request, lines),
            line_count=len(lines),
            advances=Advance.objects.visible_to(user).filter(region=region, year=year).select_related("municipality"),
            coordinating=can(self.request.user, CHANGE, region),
            form=kwargs.get("form") or ImportForm(),
            line_form=kwargs.get("line_form") or ActualLineForm(),
            latest=services.latest_reckoning(region=region, year=year)
            if Reckoning.objects.visible_to(user).filter(region=region, year=year).exists()
            else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        region, year = self.region_and_year()
        action = request.POST.get("action", "import")
        try:
            if action == "advances":
                services.compute_advances(user=request.user, region=region, year=year)
                messages.success(request, f"De voorschotten {year} zijn berekend uit de begroting.")
                return redirect(request.path)
            if action == "add":
                line_form = ActualLineForm(request.POST)
                if not line_form.is_valid():
                    return self.render_to_response(self.get_context_data(line_form=line_form))
                services.add_actual(
                    user=request.user,
                    region=region,
                    day=line_form.cleaned_data["date"],
                    category=line_form.cleaned_data["category"],
                    description=line_form.cleaned_data["description"],
                    amount=line_form.cleaned_data["amount"],
                )
                messages.success(request, "De kostenregel is toegevoegd.")
                return redirect(request.path)
            if action == "reckoning":
                reckoning = services.request_reckoning(user=request.user, region=region, year=year)
                messages.success(request, "De afrekening wordt berekend.")
                return redirect("costsharing-reckoning", pk=reckoning.pk)
            form = ImportForm(request.POST, request.FILES)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            name, content = form.cleaned_data["file"]
            created = services.import_actuals(
                user=request.user, region=region, year=year, filename=name, content=content
            )
            messages.success(request, f"{len(created)} kostenregels ingelezen uit {name}.")
            return redirect(request.path)
        except services.ImportRefused as exc:
            form = ImportForm()
            context = self.get_context_data(form=form)
            context["import_problems"] = exc.problems
            return self.render_to_response(context)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)


class ReckoningView(TenantViewMixin, TemplateView):
    """A reckoning with its progress bar (htmx polling, survives a reload), lines, parts and downloads.

    ``?formaat=xlsx`` gives the whole reckoning as Excel (coordinating staff); ``?formaat=pdf&gemeente=GM....``
    a member's statement as PDF: the same restricted lookups as the page itself."""

    model = Reckoning
    template_name = "costsharing/reckoning.html"

    def get_reckoning(self):
        return get_for_user_or_404(
            Reckoning.objects.visible_to(self.request.user).select_related("region", "previous"),
            self.request.user,
            pk=self.kwargs["pk"],
        )

    def permission_target(self):
        return self.get_reckoning()

    def get(self, request, *args, **kwargs):
        reckoning = self.get_reckoning()
        fmt = request.GET.get("formaat")
        lines = (
            ReckoningLine.objects.visible_to(request.user).filter(reckoning=reckoning).select_related("municipality")
        )
        if fmt == "pdf":
            line = lines.filter(municipality__code=request.GET.get("gemeente", "")).first()
            if line is None:
                raise Http404("Geen afrekening voor deze gemeente.")
            response = HttpResponse(
                notices.statement_pdf(reckoning=reckoning, line=line), content_type="application/pdf"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="afrekening-{reckoning.region.code}-{reckoning.year}-v{reckoning.version}-'
                f'{line.municipality.code}.pdf"'
            )
            return response
        if fmt == "xlsx":
            parts = (
                ReckoningPart.objects.visible_to(request.user)
                .filter(reckoning=reckoning)
                .select_related("key_version__key")
            )
            response = HttpResponse(
                notices.reckoning_workbook(reckoning=reckoning, lines=list(lines), parts=list(parts)),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="afrekening-{reckoning.region.code}-{reckoning.year}-v{reckoning.version}.xlsx"'
            )
            return response
        context = self.get_context_data(reckoning=reckoning, lines=list(lines))
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reckoning = kwargs["reckoning"]
        user = self.request.user
        items = (
            ReckoningItem.objects.visible_to(user)
            .filter(reckoning=reckoning)
            .select_related("municipality", "part__key_version__key", "part__norm_year")
        )
        context.update(
            items=items,
            can_act=can(user, CHANGE, reckoning.region),
            running=reckoning.run_state in (Reckoning.RunState.QUEUED, Reckoning.RunState.RUNNING),
        )
        return context

    def post(self, request, *args, **kwargs):
        reckoning = self.get_reckoning()
        try:
            if request.POST.get("action") == "approve":
                services.approve_reckoning(user=request.user, reckoning=reckoning)
                messages.success(request, "De afrekening is vastgesteld.")
            else:
                services.request_reckoning(user=request.user, region=reckoning.region, year=reckoning.year)
                messages.success(request, "De afrekening wordt (opnieuw) berekend.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        latest = services.latest_reckoning(region=reckoning.region, year=reckoning.year)
        return redirect("costsharing-reckoning", pk=latest.pk)


class ReckoningPartView(TenantViewMixin, TemplateView):
    """The cost lines one part of a reckoning came from (every euro traceable, issue #5), a hundred per page."""

    model = ReckoningPart
    template_name = "costsharing/reckoning_part.html"
    per_page = 100

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context_data(**kwargs)
        user = self.request.user
        part = get_for_user_or_404(
            ReckoningPart.objects.visible_to(user).select_related(
                "reckoning__region", "key_version__key", "norm_year"
            ),
            user,
            pk=kwargs["part"],
            reckoning_id=kwargs["pk"],
        )
        lines = ActualCostLine.objects.visible_to(user).filter(services.part_cost_lines(part)).order_by("date", "pk")
        page = Paginator(lines, self.per_page).get_page(self.request.GET.get("pagina"))
        context.update(
            part=part,
            reckoning=part.reckoning,
            page=page,
            changed=not part.reckoning.is_frozen and page.paginator.count != part.line_count,
        )
        return context


class ReckoningProgressView(TenantViewMixin, TemplateView):
    """The progress bar fragment that htmx polls every two seconds while the reckoning runs."""

    model = Reckoning
    template_name = "costsharing/_progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reckoning = get_for_user_or_404(
            Reckoning.objects.visible_to(self.request.user), self.request.user, pk=kwargs["pk"]
        )
        context.update(
            reckoning=reckoning,
            running=reckoning.run_state in (Reckoning.RunState.QUEUED, Reckoning.RunState.RUNNING),
            polled=True,  # the fragment replaced a running bar: offer to reload the page for the outcome
        )
        return context


class TrendView(TenantViewMixin, TemplateView):
    """A portfolio holder's view: the own municipality's share, advances and difference over the years."""

    model = ReckoningLine
    template_name = "costsharing/trend.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = scope_of(self.request.user)
        lines = (
            ReckoningLine.objects.visible_to(self.request.user)
            .filter(municipality_id=scope.municipality_id)
            .select_related("reckoning__region", "municipality")
            .order_by("reckoning__region__name", "reckoning__year", "reckoning__version")
        )
        latest: dict = {}
        for line in lines:  # the latest version per region and year counts
            latest[(line.reckoning.region_id, line.reckoning.year)] = line
        context["lines"] = sorted(latest.values(), key=lambda li: (li.reckoning.region.name, li.reckoning.year))
        context["municipality"] = self.request.user.municipality
        # Chart data as strings (no float in Python); the chart has the table above as its text alternative.
        context["chart"] = {
            "labels": [f"{li.reckoning.year} {li.reckoning.region.name}" for li in context["lines"]],
            "shares": [str(li.share) for li in context["lines"]],
            "advances": [str(li.advances) for li in context["lines"]],
            "share_label": "Aandeel in de kosten",
            "advances_label": "Voorschotten",
        }
        return context


class NoticeListView(TenantViewMixin, TemplateView):
    """In-app notices (WM-SO 6.6 cost overviews). ``?download=<id>`` gives the attached PDF."""

    model = Notice
    template_name = "costsharing/notices.html"

    def get(self, request, *args, **kwargs):
        if "download" in request.GET:
            if not request.GET["download"].isascii() or not request.GET["download"].isdigit():
                raise Http404
            notice = get_for_user_or_404(
                Notice.objects.visible_to(request.user), request.user, pk=request.GET["download"]
            )
            response = HttpResponse(bytes(notice.pdf), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="kostenoverzicht-{notice.year}-{notice.pk}.pdf"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(
            self.request,
            Notice.objects.visible_to(self.request.user).select_related("municipality", "region").defer("pdf"),
        )
        context.update(page=page, notices=page.object_list)
        return context
