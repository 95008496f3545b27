"""The public pages of the development table (MH 6): no login. Anyone reads the published proposals, the
participant list and the published compositions (MH 6.1, 7.4, annex 1), reacts to a proposal open for reactions
(MH 6.4) or sends a signal (MH 6.2). Drafts are never shown. A flood from one address answers 429
(``inkoop.ratelimit``); a filled honeypot gets the same thanks and nothing is stored. On ``tests/tenancy/public.py``
with their reasons."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.views.generic import TemplateView

from inkoop import ratelimit
from inkoop.forms_development import ContributionForm, SignalForm
from inkoop.models import DevelopmentTable, Signatory, TableSeat
from inkoop.services import contributions
from inkoop.views.development import _field_errors
from regio.pagination import paginate

TOO_MANY = "Te veel berichten vanaf dit adres kort na elkaar; probeer het later opnieuw."


class _Public(TemplateView):
    http_method_names = ["get", "post", "head", "options"]

    def flooded(self):
        return self.render_to_response(self.get_context_data(flooded=TOO_MANY, form=None), status=429)

    def thanks(self, what):
        return self.render_to_response(self.get_context_data(form=None, thanks=what))


class PublicIndexView(_Public):
    template_name = "inkoop/public_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = list(contributions.public_regions().order_by("name"))
        # Public lists of what the municipalities published: who signed (annex 1) and who sits at which table.
        signatories = (
            Signatory.objects.unrestricted("public: the participant list of annex 1 (MH 4.1, 10.2)")
            .filter(region__in=regions)
            .select_related("provider", "region")
            .order_by("region__name", "provider__name")
        )
        tables = (
            DevelopmentTable.objects.unrestricted("public: the published compositions (MH 7.4)")
            .filter(region__in=regions, composition_published_on__isnull=False)
            .order_by("region__name", "theme")
        )
        seats = (
            TableSeat.objects.unrestricted("public: the seats of the published compositions (MH 7.4)")
            .filter(table__in=tables)
            .select_related("signatory__provider")
        )
        seats_by_table = {}
        for seat in seats:
            seats_by_table.setdefault(seat.table_id, []).append(seat)
        context.update(
            page=paginate(self.request, contributions.published_proposals()),
            signatories=signatories[:500],
            tables=[(t, seats_by_table.get(t.pk, [])) for t in tables],
        )
        context.setdefault("form", SignalForm(regions=regions) if regions else None)
        return context

    def post(self, request, *args, **kwargs):
        if not ratelimit.attempt(request):
            return self.flooded()
        form = SignalForm(request.POST, regions=list(contributions.public_regions()))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        if data["website"]:
            return self.thanks("signal")
        try:
            contributions.send_signal(
                region=form.regions[data["region"]],
                text=data["text"],
                name=data["name"],
                organisation=data["organisation"],
            )
        except ValidationError as exc:
            _field_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.thanks("signal")


class PublicProposalView(_Public):
    template_name = "inkoop/public_proposal.html"

    def proposal(self):
        try:
            return contributions.published_proposals().get(pk=int(self.kwargs["pk"]))
        except (ValueError, contributions.Proposal.DoesNotExist):
            raise Http404 from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.proposal()
        is_open = contributions.open_for_reactions(proposal)
        context.update(
            proposal=proposal,
            is_open=is_open,
            steps=proposal.steps.unrestricted("public: the dated steps of a published proposal"),
            decisions=proposal.board_decisions.unrestricted("public: the boards' decisions on it").select_related(
                "municipality"
            ),
        )
        context.setdefault("form", ContributionForm() if is_open else None)
        return context

    def post(self, request, *args, **kwargs):
        proposal = self.proposal()
        if not ratelimit.attempt(request):
            return self.flooded()
        form = ContributionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        if data["website"]:
            return self.thanks("reaction")
        try:
            contributions.react(
                proposal=proposal, text=data["text"], name=data["name"], organisation=data["organisation"]
            )
        except ValidationError as exc:
            _field_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.thanks("reaction")
