"""The tables of login hardening (issue 17): a municipality's identity provider, the identities it vouches for, and
the append-only security log. Imported by ``regio.models`` (they are models of the ``regio`` app)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regio.tenancy import NOTHING, VIEW, Scope, TenantModel


class IdentityProvider(TenantModel):
    """A municipality's own OpenID Connect identity provider (issue 17).

    The client secret is stored encrypted (``regio.login.secrets``) and is never shown back, exported or kept in the
    audit history. ``role_mapping`` maps a value of ``role_claim`` to one of our municipal roles; a login that maps to
    no role is refused. ``required``: the municipality's people log in through this provider only (password login is
    refused for them). ``mfa_values``: the ``acr``/``amr`` values by which the provider says it did multi-factor
    authentication; only when ``enforces_mfa`` is set are they accepted instead of our own second factor.
    """

    tenant_municipality = "municipality"

    municipality = models.OneToOneField(
        "regio.Municipality", verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="identity_provider"
    )
    enabled = models.BooleanField(_("in gebruik"), default=True)
    label = models.CharField(_("tekst op de knop"), max_length=100, blank=True)
    issuer = models.URLField(_("issuer (uitgever)"), max_length=300)
    client_id = models.CharField(_("client-id"), max_length=200)
    client_secret_encrypted = models.TextField(_("client-secret (versleuteld)"), blank=True, editable=False)
    scopes = models.CharField(_("scopes"), max_length=200, default="openid email profile")
    role_claim = models.CharField(_("claim met de rol"), max_length=100, default="roles")
    role_mapping = models.JSONField(_("claimwaarde naar rol"), default=dict, blank=True)
    required = models.BooleanField(_("verplicht voor de mensen van deze gemeente"), default=False)
    enforces_mfa = models.BooleanField(_("de inlogdienst dwingt tweestapsverificatie af"), default=False)
    mfa_values = models.CharField(
        _("acr/amr-waarden die tweestapsverificatie betekenen"), max_length=300, default="mfa", blank=True
    )
    history = HistoricalRecords(excluded_fields=["client_secret_encrypted"])

    class Meta:
        verbose_name = _("inlogdienst (OpenID Connect)")
        verbose_name_plural = _("inlogdiensten (OpenID Connect)")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.issuer}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        """Configuration of a municipality's own login: its functional administrator (and the platform's)."""
        if scope.is_platform_admin:
            return Q()
        if not scope.is_functional_admin:
            return NOTHING
        return Q(municipality__in=scope.own_municipality_ids)

    @property
    def button_label(self) -> str:
        return self.label or str(_("Inloggen via %(name)s") % {"name": self.municipality.name})

    def accepted_mfa_values(self) -> set[str]:
        return {value.strip() for value in self.mfa_values.split(",") if value.strip()}

    def clean(self) -> None:
        from regio.roles import MUNICIPAL_ROLES

        if not isinstance(self.role_mapping, dict):
            raise ValidationError({"role_mapping": _("Geef een lijst van claimwaarde naar rol.")})
        unknown = sorted({str(v) for v in self.role_mapping.values()} - set(MUNICIPAL_ROLES))
        if unknown:
            raise ValidationError(
                {"role_mapping": _("Onbekende rol(len): %(roles)s.") % {"roles": ", ".join(unknown)}}
            )


class ExternalIdentity(TenantModel):
    """One person as the municipality's identity provider knows them (``sub``), tied to one user of that
    municipality. Lookups go by provider and subject only, so an identity of municipality A never reaches a user of
    municipality B."""

    tenant_municipality = "provider__municipality"
    audit_exempt = "a link written only at an OIDC login; the security log records each one"

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="identities")
    subject = models.CharField(_("subject (sub)"), max_length=255)
    user = models.OneToOneField("regio.User", on_delete=models.CASCADE, related_name="external_identity")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("externe identiteit")
        verbose_name_plural = _("externe identiteiten")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")]

    def __str__(self) -> str:
        return f"{self.provider.municipality}: {self.subject}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        if not scope.is_functional_admin or action != VIEW:
            return NOTHING
        return Q(provider__municipality__in=scope.own_municipality_ids)


class SecurityEvent(TenantModel):
    """A login event: password or OIDC login, second factor passed or failed, a device added or removed, recovery
    codes made or used (issue 17; BIO 12.4.1). Append-only: it is itself the audit record."""

    tenant_municipality = "municipality"
    audit_exempt = "the security log is itself an append-only audit record"

    class Kind(models.TextChoices):
        LOGIN = "login", _("ingelogd met wachtwoord")
        PASSWORD_REFUSED = "password_refused", _("wachtwoord geweigerd: gemeente vraagt eigen inlogdienst")
        OIDC_LOGIN = "oidc_login", _("ingelogd via de inlogdienst van de gemeente")
        OIDC_REFUSED = "oidc_refused", _("inloggen via de inlogdienst geweigerd")
        VERIFIED = "verified", _("tweede stap geslaagd")
        VERIFY_FAILED = "verify_failed", _("tweede stap mislukt")
        RECOVERY_USED = "recovery_used", _("herstelcode gebruikt")
        DEVICE_ADDED = "device_added", _("authenticator-app gekoppeld")
        DEVICE_REMOVED = "device_removed", _("authenticator-app verwijderd")
        RECOVERY_CREATED = "recovery_created", _("nieuwe herstelcodes gemaakt")

    at = models.DateTimeField(_("moment"), default=timezone.now, db_index=True)
    user = models.ForeignKey("regio.User", verbose_name=_("gebruiker"), null=True, on_delete=models.SET_NULL)
    municipality = models.ForeignKey(
        "regio.Municipality", verbose_name=_("gemeente"), null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(_("gebeurtenis"), max_length=30, choices=Kind.choices)
    detail = models.CharField(_("toelichting"), max_length=200, blank=True)
    address = models.GenericIPAddressField(_("adres"), null=True, blank=True)

    class Meta:
        verbose_name = _("beveiligingsgebeurtenis")
        verbose_name_plural = _("beveiligingslog")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%d-%m-%Y %H:%M} {self.user} {self.get_kind_display()}"

    @classmethod
    def tenant_filter(cls, scope: Scope, action: str) -> Q:
        if not scope.is_functional_admin or action != VIEW:
            return NOTHING
        return Q(municipality__in=scope.own_municipality_ids)

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("Het beveiligingslog kan niet worden gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Het beveiligingslog kan niet worden gewijzigd."))


def log_event(*, user, kind: str, request=None, detail: str = "") -> SecurityEvent:
    """Record a login event for ``user`` (its municipality owns the record). Never a password, code or secret."""
    address = None
    if request is not None:
        address = request.META.get("REMOTE_ADDR") or None
    return SecurityEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        municipality_id=getattr(user, "municipality_id", None),
        kind=kind,
        detail=detail[:200],
        address=address,
    )
