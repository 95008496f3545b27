"""The allocation key page: versions, shares, imports and merger (issue #5)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.generic import TemplateView

from costsharing import selectors, services
from costsharing.forms import (
    MergerForm,
    PopulationVersionForm,
    SplitPreviewForm,
    TypedVersionForm,
)
from costsharing.models import (
    AllocationKey,
)
from regio.tenancy import CHANGE, TenantViewMixin, can, get_for_user_or_404


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
        versions = list(selectors.key_versions(self.request.user).filter(key=key))
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
