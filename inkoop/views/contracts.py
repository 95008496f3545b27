"""Pages of the framework contracts (WM-SO 2.4 b-c, 2.6, 4.11, 4.12; BNO 4).

- ``/inkoop/contracten/``: the contracts of the user's regions with their alerts (notice or extension deadline near,
  consents missing, refused, indicators off target) and the offer available to each member (WM-SO 2.6:
  availability, not orders); coordinating staff draw up a new contract here.
- ``/inkoop/contracten/<pk>/``: one contract and its consent round: open the round, record each member's written
  decision with its PDF (WM-SO 4.11), sign under the members' mandates (WM-SO 4.12); tariffs, budgets, indicators.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from inkoop import selectors, services
from inkoop.forms import ConsentForm, ContractForm, SignForm
from inkoop.models import ContractBudget, ContractProduct, ContractStatus, FrameworkContract, Provider, Tariff
from inkoop.views.common import ActsForARegion, acting_regions, field_errors
from regio.tenancy import CHANGE, TenantViewMixin, can


def _providers(user):
    regions = acting_regions(user)
    return list(Provider.objects.visible_to(user).filter(region__in=regions, active=True).select_related("region"))


class ContractListView(ActsForARegion, TenantViewMixin, ListView):
    model = FrameworkContract
    template_name = "inkoop/contract_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.status = (self.request.GET.get("status") or "")[:20]
        return selectors.contracts_for(self.request.user, status=self.status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [(c, selectors.contract_alerts(c, today)) for c in context["page_obj"].object_list]
        context["statuses"] = ContractStatus.choices
        context["status"] = self.status
        context["available"] = selectors.availability_for(self.request.user, today)
        providers = _providers(self.request.user)
        context["form"] = kwargs.get("form") or (ContractForm(providers=providers) if providers else None)
        return context

    def post(self, request, *args, **kwargs):
        form = ContractForm(request.POST, providers=_providers(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            provider = form.providers[data.pop("provider")]
            try:
                contract = services.create_contract(
                    user=request.user, region=provider.region, provider=provider, **data
                )
            except ValidationError as exc:
                field_errors(form, exc)
            else:
                messages.success(
                    request, _("Raamcontract %(ref)s is als concept vastgelegd.") % {"ref": contract.reference}
                )
                return redirect("inkoop-contract-detail", pk=contract.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ContractDetailView(TenantViewMixin, DetailView):
    """POST ``action``: ``round`` (open the consent round), ``consent`` (a member's decision), ``sign``, ``extend``."""

    model = FrameworkContract
    template_name = "inkoop/contract_detail.html"
    context_object_name = "contract"

    def get_queryset(self):
        return (
            FrameworkContract.objects.visible_to(self.request.user)
            .select_related("region", "provider", "signed_by")
            .prefetch_related(
                "consents__municipality",
                "consents__document",
                "consents__mandate__agreement",
                Prefetch(
                    "products",
                    ContractProduct.objects.visible_to(self.request.user).prefetch_related(
                        Prefetch("tariffs", Tariff.objects.visible_to(self.request.user).order_by("year"))
                    ),
                ),
                Prefetch("budgets", ContractBudget.objects.visible_to(self.request.user).order_by("year")),
                "kpis__values",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        today = timezone.localdate()
        may_change = can(self.request.user, CHANGE, contract)
        consents = {c.municipality_id: c for c in contract.consents.all()}
        members = services.members_to_consent(contract)
        context.update(
            alerts=selectors.contract_alerts(contract, today),
            round=[(m, consents.get(m.pk)) for m in members],
            may_change=may_change,
            problems=services.signing_problems(contract, today)[0]
            if contract.status == ContractStatus.CONSENT
            else [],
        )
        if may_change and contract.status == ContractStatus.CONSENT:
            context["consent_form"] = kwargs.get("consent_form") or ConsentForm(prefix="consent", members=members)
            context["sign_form"] = kwargs.get("sign_form") or SignForm(prefix="sign", initial={"signed_on": today})
        return context

    def post(self, request, *args, **kwargs):
        contract = self.object
        action = request.POST.get("action")
        try:
            if action == "round":
                services.open_consent_round(user=request.user, contract=contract)
                messages.success(request, _("De instemmingsronde is geopend."))
            elif action == "extend":
                services.extend_contract(user=request.user, contract=contract)
                messages.success(request, _("Het raamcontract is verlengd."))
            elif action == "consent":
                return self._consent(request, contract)
            elif action == "sign":
                return self._sign(request, contract)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("inkoop-contract-detail", pk=contract.pk)
        return redirect("inkoop-contract-detail", pk=contract.pk)

    def _consent(self, request, contract):
        form = ConsentForm(
            request.POST, request.FILES, prefix="consent", members=services.members_to_consent(contract)
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.record_consent(
                    user=request.user,
                    contract=contract,
                    municipality=form.members[data["municipality"]],
                    decision=data["decision"],
                    decided_on=data["decided_on"],
                    document=services.read_upload(data["document"]),
                    note=data["note"],
                )
            except ValidationError as exc:
                field_errors(form, exc)
            else:
                messages.success(request, _("Het besluit is vastgelegd."))
                return redirect("inkoop-contract-detail", pk=contract.pk)
        return self.render_to_response(self.get_context_data(consent_form=form), status=400)

    def _sign(self, request, contract):
        form = SignForm(request.POST, prefix="sign")
        if form.is_valid():
            try:
                services.sign_contract(user=request.user, contract=contract, signed_on=form.cleaned_data["signed_on"])
            except ValidationError as exc:
                field_errors(form, exc)
            else:
                messages.success(request, _("Het raamcontract is namens de gemeenten getekend."))
                return redirect("inkoop-contract-detail", pk=contract.pk)
        return self.render_to_response(self.get_context_data(sign_form=form), status=400)
