"""Deadlines page and the personal calendar feed (issue #4)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from agreements import calendar as ical
from agreements.models import (
    Agreement,
    CalendarToken,
)
from regio.deadlines import deadlines_for
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, get_for_user_or_404, scope_of


class DeadlinesView(TenantViewMixin, TemplateView):
    """What is due for my municipality in the next 90 days, overdue first."""

    model = Agreement
    template_name = "agreements/deadlines.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            deadlines=deadlines_for(self.request.user), today=timezone.localdate(), **kwargs
        )


class DeadlineFeedView(View):
    """The iCalendar feed: with ``?token=`` for Outlook (no session; an unknown or revoked token answers 404), or for
    the logged-in person. Without either it asks to log in."""

    def get(self, request):
        raw = request.GET.get("token")
        if raw is not None:
            user = ical.user_for_token(raw)
            if user is None:
                raise Http404
        elif scope_of(request.user).authenticated:
            user = request.user
        else:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        response = HttpResponse(ical.build_ics(user), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="regio-wmo-termijnen.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


class CalendarTokenForm(forms.Form):
    label = forms.CharField(label=_("Naam van het abonnement"), max_length=100, required=False)


class CalendarSubscriptionView(TenantViewMixin, FormView):
    """Make or revoke one's own secret calendar URLs."""

    model = CalendarToken
    template_name = "agreements/calendar_subscription.html"
    form_class = CalendarTokenForm
    # A token is the user's own key to the deadlines it may already see: making or revoking one is no act for a
    # region (revoking re-checks the token itself, restricted to CHANGE).
    method_actions = {"POST": VIEW}

    def permission_target(self):
        return self.own_municipality()

    def get_context_data(self, **kwargs):
        tokens = CalendarToken.objects.visible_to(self.request.user).filter(revoked_at__isnull=True)
        return super().get_context_data(tokens=tokens.order_by("-created_at"), **kwargs)

    def post(self, request, *args, **kwargs):
        revoke = request.POST.get("revoke")
        if revoke:
            token = get_for_user_or_404(
                CalendarToken.objects.restrict(request.user, CHANGE), request.user, CHANGE, pk=revoke
            )
            ical.revoke_token(user=request.user, token=token)
            messages.success(request, _("Het abonnement is ingetrokken; de oude link werkt niet meer."))
            return redirect("calendar-subscription")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        _token, raw = ical.create_token(user=self.request.user, label=form.cleaned_data["label"])
        url = self.request.build_absolute_uri(f"{_feed_path()}?token={raw}")
        return self.render_to_response(self.get_context_data(form=CalendarTokenForm(), new_url=url))


def _feed_path() -> str:
    return reverse("deadline-feed")
