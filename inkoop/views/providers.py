"""Pages of the provider register and file (WM-SO 2.4 d; MH 5.2).

- ``/inkoop/aanbieders/``: the register of the user's regions, searchable; coordinating staff add a provider.
- ``/inkoop/aanbieders/<pk>/``: the file: requirements checked (with evidence), contacts and deputies, screenings,
  contracts and the agreements it is a party to; coordinating staff record a check or a contact person.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from inkoop import selectors, services
from inkoop.forms import CheckForm, ContactForm, ProviderForm
from inkoop.models import Domain, Provider
from inkoop.views.common import ActsForARegion, acting_regions, field_errors
from regio.tenancy import CHANGE, TenantViewMixin, can


class ProviderListView(ActsForARegion, TenantViewMixin, ListView):
    model = Provider
    template_name = "inkoop/provider_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.search = (self.request.GET.get("q") or "").strip()[:100]
        self.domain = (self.request.GET.get("domein") or "")[:30]
        return selectors.providers_for(self.request.user, search=self.search, domain=self.domain)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = acting_regions(self.request.user)
        context.update(search=self.search, domain=self.domain, domains=Domain.choices)
        context["form"] = kwargs.get("form") or (ProviderForm(regions=regions) if regions else None)
        return context

    def post(self, request, *args, **kwargs):
        form = ProviderForm(request.POST, regions=acting_regions(request.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            region = form.regions[data.pop("region")]
            try:
                provider = services.create_provider(user=request.user, region=region, **data)
            except ValidationError as exc:
                field_errors(form, exc)
            else:
                messages.success(request, _("%(name)s staat in het register.") % {"name": provider.name})
                return redirect("inkoop-provider-detail", pk=provider.pk)
        self.object_list = self.get_queryset()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProviderDetailView(TenantViewMixin, TemplateView):
    """The provider file. POST ``form=check`` records a requirement check, ``form=contact`` a contact person."""

    model = Provider
    template_name = "inkoop/provider_detail.html"

    def get_provider(self) -> Provider:
        try:
            return selectors.provider_file(self.request.user, self.kwargs["pk"])
        except Provider.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        provider = kwargs.get("provider") or self.get_provider()
        may_change = can(self.request.user, CHANGE, provider)
        contacts = list(provider.contacts.all())
        context.update(
            provider=provider,
            contacts=[c for c in contacts if c.deputy_for_id is None],
            expired=selectors.expired_checks(provider, timezone.localdate()),
            may_change=may_change,
            check_form=kwargs.get("check_form") or (CheckForm(prefix="check") if may_change else None),
            contact_form=kwargs.get("contact_form")
            or (ContactForm(prefix="contact", contacts=contacts) if may_change else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        provider = self.get_provider()
        which = request.POST.get("form")
        if which == "check":
            form = CheckForm(request.POST, request.FILES, prefix="check")
            if form.is_valid():
                data = dict(form.cleaned_data)
                data["evidence"] = services.read_upload(data.pop("evidence"))
                try:
                    services.record_check(user=request.user, provider=provider, **data)
                except ValidationError as exc:
                    field_errors(form, exc)
                else:
                    messages.success(request, _("De toetsing is vastgelegd."))
                    return redirect("inkoop-provider-detail", pk=provider.pk)
            return self.render_to_response(self.get_context_data(provider=provider, check_form=form), status=400)
        contacts = list(provider.contacts.all())
        form = ContactForm(request.POST, prefix="contact", contacts=contacts)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["deputy_for"] = form.contacts.get(data["deputy_for"]) if data["deputy_for"] else None
            try:
                services.add_contact(user=request.user, provider=provider, **data)
            except ValidationError as exc:
                field_errors(form, exc)
            else:
                messages.success(request, _("De contactpersoon is vastgelegd."))
                return redirect("inkoop-provider-detail", pk=provider.pk)
        return self.render_to_response(self.get_context_data(provider=provider, contact_form=form), status=400)
