"""Login through a municipality's own identity provider (OpenID Connect, issue 17), on mozilla-django-oidc.

Each municipality may have one ``IdentityProvider`` in the database: issuer, client id and (encrypted) secret,
scopes, the claim that carries the role and its mapping to our roles. The login page shows a button per provider;
``/account/inlogdienst/<CBS-code>/`` starts the authorization code flow with state, nonce and PKCE (S256), and the
callback (``/account/inlogdienst-terug/``) exchanges the code with that same provider, checks the ID token's signature
(the provider's JWKS, found by discovery) and nonce, and logs the person in.

Scoped to the municipality, by construction: the provider is the one chosen at the start (kept in the session), the
person is found by (provider, ``sub``) or, the first time, by e-mail address among that municipality's people only,
and a new person is created in that municipality. Roles come from the role claim through the mapping, limited to the
municipal roles (never the platform administrator's); a login that maps to no role is refused. So a login at
municipality A's provider can never yield a user, or a role, in municipality B.

Second factor: when the municipality says its provider enforces multi-factor authentication (``enforces_mfa``) and
the ID token's ``acr`` or one of its ``amr`` values is one of ``mfa_values``, the session counts as verified;
otherwise a user of a role that needs it passes our own second step (``regio.login.twofactor``) after the provider.

``required``: the municipality's people may not log in with a password (``LoginForm`` refuses, in Dutch).
"""

from __future__ import annotations

import base64
import hashlib
import logging

import requests
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from regio.login import twofactor
from regio.login.models import ExternalIdentity, IdentityProvider, SecurityEvent, log_event
from regio.people import set_municipal_roles
from regio.roles import MUNICIPAL_ROLES, PLATFORM_ONLY_ROLES

logger = logging.getLogger(__name__)
SESSION_PROVIDER = "_regio_oidc_provider"
DISCOVERY_SECONDS = 3600


# --- the client secret, encrypted at rest ---------------------------------------------------------------------------


def _fernet() -> Fernet:
    material = settings.OIDC_SECRET_KEY or f"regio-oidc:{settings.SECRET_KEY}"
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(material.encode()).digest()))


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt_secret(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        logger.error("OIDC client secret unreadable: OIDC_SECRET_KEY or SECRET_KEY changed; enter it again")
        return ""


# --- the provider of a request ---------------------------------------------------------------------------------------


def providers_for_login():
    """Every provider in use, for the buttons on the public login page (names of municipalities only)."""
    return (
        IdentityProvider.objects.unrestricted("login page: the buttons name each municipality's provider")
        .filter(enabled=True)
        .select_related("municipality")
        .order_by("municipality__name")
    )


def provider_by_code(code: str) -> IdentityProvider | None:
    return providers_for_login().filter(municipality__code=code).first()


def provider_of_session(request) -> IdentityProvider | None:
    pk = request.session.get(SESSION_PROVIDER)
    return providers_for_login().filter(pk=pk).first() if pk else None


def discovery(provider: IdentityProvider) -> dict:
    """The provider's metadata (``.well-known/openid-configuration``), cached; its issuer must be the one set."""
    issuer = provider.issuer.rstrip("/")
    key = f"regio:oidc-discovery:{hashlib.sha256(issuer.encode()).hexdigest()}"
    config = cache.get(key)
    if config is None:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        config = response.json()
        if str(config.get("issuer", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("OIDC discovery: issuer does not match the configured issuer")
        cache.set(key, config, DISCOVERY_SECONDS)
    return config


def discovery_or_none(provider: IdentityProvider) -> dict | None:
    """The provider's metadata, or None (logged) when it cannot be had or does not check out."""
    try:
        return discovery(provider)
    except (requests.RequestException, ValueError, KeyError, SuspiciousOperation):
        logger.exception("OIDC discovery failed for %s", provider.municipality.code)
        return None


def password_login_refused(user) -> bool:
    """Whether the user's municipality requires its own identity provider."""
    if not getattr(user, "municipality_id", None):
        return False
    return (
        IdentityProvider.objects.unrestricted("login: does the person's municipality require its provider?")
        .filter(municipality_id=user.municipality_id, enabled=True, required=True)
        .exists()
    )


# --- the views ------------------------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's login page with a button per municipality that has its own identity provider."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = list(providers_for_login())
        return context


class StartView(OIDCAuthenticationRequestView):
    """Start the code flow (state, nonce, PKCE) at the provider of the municipality with this CBS code."""

    def get(self, request, code: str):
        provider = provider_by_code(code)
        if provider is None:
            raise Http404
        config = discovery_or_none(provider)
        if config is None:
            messages.error(request, _("De inlogdienst van uw gemeente is nu niet bereikbaar. Probeer het later."))
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_OP_AUTH_ENDPOINT = config["authorization_endpoint"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.provider = provider
        request.session[SESSION_PROVIDER] = provider.pk
        return super().get(request)

    def get_settings(self, attr, *args):
        if attr == "OIDC_RP_SCOPES" and getattr(self, "provider", None) is not None:
            return self.provider.scopes
        return super().get_settings(attr, *args)


class CallbackView(OIDCAuthenticationCallbackView):
    @property
    def failure_url(self):
        return reverse("login")

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Inloggen via de inlogdienst van uw gemeente is niet gelukt. "
                "Probeer het opnieuw of vraag uw beheerder."
            ),
        )
        return super().login_failure()

    def login_success(self):
        response = super().login_success()
        mfa = getattr(self.user, "_regio_oidc_mfa", None)
        if mfa:
            twofactor.mark_verified(self.request, f"oidc:{mfa}"[:100])
        return response


# --- the backend ----------------------------------------------------------------------------------------------------


class MunicipalityOIDCBackend(OIDCAuthenticationBackend):
    """Authenticates the OIDC callback only, with the provider chosen at its start."""

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs:
            return None  # a password login, or anything else: not ours
        if request.path != reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL):
            return None
        provider = provider_of_session(request)
        if provider is None:
            return None
        config = discovery_or_none(provider)
        if config is None:
            return None
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = config.get("userinfo_endpoint", "")
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = decrypt_secret(provider.client_secret_encrypted)
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation, ValueError) as exc:
            # The provider refused the code or the client, or the ID token did not check out: no login, said once.
            self.request = request
            return self.refuse(f"{type(exc).__name__}: code of token geweigerd")

    def retrieve_matching_jwk(self, token):
        """The signing key from the provider's JWKS: by ``kid`` when the token names one; a provider with a single
        key may leave it out (RFC 7515 makes ``kid`` optional), then that one key of the token's algorithm."""
        import jwt

        header = jwt.get_unverified_header(token)
        if "kid" in header:
            return super().retrieve_matching_jwk(token)
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        keys = [k for k in response.json().get("keys", []) if k.get("alg", header.get("alg")) == header.get("alg")]
        if len(keys) != 1:
            raise SuspiciousOperation("OIDC: no single signing key for a token without kid")
        return jwt.PyJWK(keys[0])

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        issuer = self.provider.issuer.rstrip("/")
        if str(payload.get("iss", "")).rstrip("/") != issuer or self.provider.client_id not in _audiences(payload):
            raise SuspiciousOperation("OIDC: ID token of another issuer or client")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {}
        if self.OIDC_OP_USER_ENDPOINT:
            claims.update(self.get_userinfo(access_token, id_token, payload))
        claims.update(payload)  # the signed ID token wins over userinfo
        return self.person_for(claims)

    def refuse(self, reason: str, user=None):
        log_event(user=user, kind=SecurityEvent.Kind.OIDC_REFUSED, request=self.request, detail=reason)
        logger.warning("OIDC login refused (%s): %s", self.provider.municipality.code, reason)
        return None

    def person_for(self, claims: dict):
        """The user of this provider's municipality for these claims, with the mapped roles; None when refused."""
        provider = self.provider
        municipality = provider.municipality
        subject = str(claims.get("sub") or "")
        if not subject or len(subject) > 255:
            return self.refuse("geen geldige sub")
        roles = mapped_roles(provider, claims.get(provider.role_claim))
        if not roles:
            return self.refuse("geen rol in de claim")
        identities = ExternalIdentity.objects.unrestricted("OIDC login: by the provider chosen at the start")
        identity = identities.filter(provider=provider, subject=subject).select_related("user").first()
        if identity is not None:
            user = identity.user
        else:
            user = self.match_or_create(claims, subject)
            if user is None:
                return None
        if user.municipality_id != municipality.pk:  # cannot happen by construction; never cross a tenant
            return self.refuse("persoon van een andere gemeente", user)
        if user.is_superuser or PLATFORM_ONLY_ROLES & set(user.roles) or not user.is_active:
            return self.refuse("account mag niet via de inlogdienst", user)
        # The provider is the source of the person's municipal roles: what it gives, no more.
        set_municipal_roles(user, roles, reason="inlogdienst van de gemeente: rollen")
        user._regio_oidc_mfa = mfa_value(provider, claims)
        log_event(user=user, kind=SecurityEvent.Kind.OIDC_LOGIN, request=self.request, detail=provider.issuer[:200])
        return user

    def match_or_create(self, claims: dict, subject: str):
        provider = self.provider
        people = self.UserModel.objects.filter(municipality=provider.municipality)
        email = str(claims.get("email") or "")[:254]
        matches = list(people.filter(email__iexact=email, external_identity__isnull=True)[:2]) if email else []
        if len(matches) > 1:
            return self.refuse("meer mensen met dit e-mailadres")
        if matches:
            user = matches[0]
        else:
            base = str(claims.get("preferred_username") or email.split("@")[0] or subject)
            user = self.UserModel.objects.create_user(
                username=unique_username(f"{provider.municipality.code.lower()}-{base}"),
                email=email,
                municipality=provider.municipality,
                full_name=str(claims.get("name") or "")[:150],
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
        ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
        return user


def _audiences(payload: dict) -> list[str]:
    aud = payload.get("aud")
    return [aud] if isinstance(aud, str) else list(aud or [])


def mapped_roles(provider: IdentityProvider, value) -> set[str]:
    values = value if isinstance(value, list) else [value] if value else []
    mapping = provider.role_mapping if isinstance(provider.role_mapping, dict) else {}
    return {mapping[str(v)] for v in values if str(v) in mapping} & set(MUNICIPAL_ROLES)


def mfa_value(provider: IdentityProvider, claims: dict) -> str | None:
    """The ``acr``/``amr`` value by which the provider vouched for multi-factor authentication, if it is trusted to."""
    if not provider.enforces_mfa:
        return None
    accepted = provider.accepted_mfa_values()
    amr = claims.get("amr")
    offered = [str(claims.get("acr") or "")] + [str(v) for v in (amr if isinstance(amr, list) else [])]
    return next((value for value in offered if value and value in accepted), None)


def unique_username(base: str) -> str:
    from regio.models import User

    base = "".join(ch for ch in base if ch.isalnum() or ch in "@.+-_")[:140] or "oidc"
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name
