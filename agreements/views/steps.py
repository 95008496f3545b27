"""A detail page whose coordinating staff take the next steps through small forms (issue #15): each step is a form
with its own prefix (so the ids on the page stay unique) whose ``perform(user, obj)`` calls one service; a refusal
shows as the form's error, and nothing is saved."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from agreements.views.workflows import _WorkflowCreateView
from regio.bounds import PlausibleDate
from regio.models import Municipality
from regio.tenancy import CHANGE, TenantViewMixin, can

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d"]


def date_field(label, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        validators=[PlausibleDate()],
        input_formats=DATE_FORMATS,
        help_text=help_text,
        error_messages={"invalid": _("Geef een geldige datum, bijvoorbeeld 16-04-2026.")},
    )


class StepForm(forms.Form):
    """A step: ``title`` above the form, ``button`` on it; ``perform`` calls the service."""

    title = ""
    button = _("Vastleggen")

    def applies(self, obj) -> bool:
        return True

    def perform(self, user, obj):
        raise NotImplementedError


class StepDetailView(TenantViewMixin, DetailView):
    steps: dict[str, type[StepForm]] = {}
    success_message = _("Vastgelegd.")

    def step_forms(self, bound: tuple[str, StepForm] | None = None, **kwargs) -> list[tuple[str, StepForm]]:
        if not can(self.request.user, CHANGE, self.object):
            return []
        found = []
        for name, form_class in self.steps.items():
            form = bound[1] if bound and bound[0] == name else self.make_form(form_class, name)
            if form.applies(self.object):
                found.append((name, form))
        return found

    def make_form(self, form_class, name, data=None):
        return form_class(data, prefix=name, **self.form_kwargs(name))

    def form_kwargs(self, name) -> dict:
        return {}

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["step_forms"] = self.step_forms(bound)
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        name = request.POST.get("step", "")
        if name not in self.steps:
            messages.error(request, _("Onbekende stap."))
            return HttpResponseRedirect(request.path)
        form = self.make_form(self.steps[name], name, request.POST)
        if not form.applies(self.object):
            form.is_valid()
            form.add_error(None, _("Deze stap kan nu niet (meer) gezet worden."))
        elif form.is_valid():
            try:
                form.perform(request.user, self.object)
            except ValidationError as exc:
                for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(bound=(name, form)), status=400)


class PartiesForm(forms.Form):
    """A form whose ``party_fields`` choose among the municipalities the page offers (the agreement's parties)."""

    party_fields: tuple[str, ...] = ()

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.party_fields:
            self.fields[name].queryset = municipalities


class AgreementCreateView(_WorkflowCreateView):
    """Start a workflow on an agreement with one service (``service``); the municipalities offered are its parties."""

    service = None

    def municipalities(self):
        return Municipality.objects.visible_to(self.request.user).filter(agreement_parties__agreement=self.agreement)

    def start(self, **data):
        return type(self).service(**data)
