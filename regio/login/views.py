"""The pages of the second step (issue 17): the code at login, a recovery code, setting up and removing an
authenticator app, new recovery codes. All under ``/account/tweestaps/``; every outcome is in the security log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_otp.plugins.otp_totp.models import TOTPDevice

from regio.login import twofactor
from regio.login.forms import CodeForm, IdentityProviderForm, RecoveryCodeForm
from regio.login.models import IdentityProvider
from regio.models import Region
from regio.roles import Role
from regio.tenancy import CHANGE
from regio.views import RoleRequiredMixin


def next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


class VerifyView(LoginRequiredMixin, View):
    """After the password: the code of the authenticator app."""

    template_name = "registration/two_factor_verify.html"
    form_class = CodeForm
    failure = _("Deze code klopt niet of is al gebruikt. Wacht op de volgende code en probeer het opnieuw.")

    def get(self, request):
        if twofactor.is_verified(request.session):
            return redirect(next_url(request))
        if not twofactor.has_device(request.user):
            return redirect("two-factor-setup")
        return self.show(self.form_class())

    def post(self, request):
        form = self.form_class(request.POST)
        if form.is_valid():
            if self.check(request, form):
                return redirect(next_url(request))
            form.add_error(None, self.failure)
        return self.show(form, status=400)

    def check(self, request, form) -> bool:
        return twofactor.verify(request=request, token=form.cleaned_data["token"])

    def show(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "next": next_url(self.request)}, status=status)


class RecoveryView(VerifyView):
    """After the password, without the phone: one of the recovery codes (used up)."""

    template_name = "registration/two_factor_recovery.html"
    form_class = RecoveryCodeForm
    failure = _("Deze herstelcode klopt niet of is al gebruikt.")

    def check(self, request, form) -> bool:
        return twofactor.verify_recovery(request=request, code=form.cleaned_data["code"])


class SetupView(LoginRequiredMixin, View):
    """Link an authenticator app: scan the QR code (or type the secret), confirm with its first code; then the
    recovery codes are shown, once."""

    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Someone who has a device but has not passed it in this session may not add another (only the password).
        if (
            request.user.is_authenticated
            and not twofactor.is_verified(request.session)
            and twofactor.has_device(request.user)
        ):
            return redirect("two-factor-verify")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        device = twofactor.start_setup(user=request.user)
        return self.show(device, CodeForm())

    def post(self, request):
        device = twofactor.pending_device(request.user)
        if device is None:
            return redirect("two-factor-setup")
        form = CodeForm(request.POST)
        if form.is_valid():
            codes = twofactor.confirm_setup(request=request, device=device, token=form.cleaned_data["token"])
            if codes is not None:
                return render(
                    request,
                    "registration/two_factor_codes.html",
                    {"codes": codes, "next": next_url(request), "first": True},
                )
            form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon en probeer opnieuw."))
        return self.show(device, form, status=400)

    def show(self, device, form, status=200):
        context = {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_of(device),
            "next": next_url(self.request),
            "required": twofactor.requires_two_factor(self.request.user),
        }
        return render(self.request, self.template_name, context, status=status)


class ManageView(LoginRequiredMixin, View):
    """One's own authenticators and recovery codes."""

    def get(self, request):
        user = request.user
        context = {
            "devices": list(twofactor.devices(user)),
            "codes_left": twofactor.recovery_codes_left(user),
            "required": twofactor.requires_two_factor(user),
        }
        return render(request, "registration/two_factor_manage.html", context)


class RemoveDeviceView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        # Only one's own device: another's answers 404 (it is not in the user's list).
        device = TOTPDevice.objects.filter(user=request.user, confirmed=True, pk=pk).first()
        if device is None:
            raise Http404
        twofactor.remove_device(request=request, device=device)
        messages.success(request, _("De authenticator-app is verwijderd."))
        if twofactor.requires_two_factor(request.user) and not twofactor.has_device(request.user):
            return redirect("two-factor-setup")
        return redirect("two-factor-manage")


class RecoveryCodesView(LoginRequiredMixin, View):
    """New recovery codes (the old ones stop working); only for a user with an authenticator."""

    http_method_names = ["post"]

    def post(self, request):
        if not twofactor.has_device(request.user):
            return redirect("two-factor-setup")
        codes = twofactor.new_recovery_codes(request=request, user=request.user)
        return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": "", "first": False})


class IdentityProviderView(RoleRequiredMixin, View):
    """The functional administrator's page for its own municipality's identity provider (issue 17). The municipality
    is always the administrator's own, never taken from the form; the client secret is write-only."""

    model = Region
    required_roles = (Role.FUNCTIONAL_ADMIN,)
    template_name = "regio/identity_provider_form.html"

    def instance(self):
        municipality = self.own_municipality()
        existing = IdentityProvider.objects.restrict(self.request.user, CHANGE).filter(municipality=municipality)
        return existing.first() or IdentityProvider(municipality=municipality)

    def get(self, request):
        instance = self.instance()
        return self.show(IdentityProviderForm(instance=instance), instance)

    def post(self, request):
        instance = self.instance()
        form = IdentityProviderForm(request.POST, instance=instance)
        if form.is_valid():
            with transaction.atomic():
                form.instance._change_reason = "beheerpagina inlogdienst"
                form.save()
            messages.success(request, _("De inlogdienst van uw gemeente is opgeslagen."))
            return redirect("identity-provider")
        return self.show(form, instance, status=400)

    def show(self, form, instance, status=200):
        context = {"form": form, "provider": instance, "has_secret": bool(instance.client_secret_encrypted)}
        return render(self.request, self.template_name, context, status=status)
