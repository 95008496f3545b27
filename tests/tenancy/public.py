"""Routes that are not tenant data, each with the reason. Keep this list short; every entry is a decision."""

PUBLIC_ROUTES: dict[str, str] = {
    "login": "inloggen",
    "logout": "uitloggen (alleen POST; zonder sessie gebeurt er niets)",
    "password_reset": "wachtwoord vergeten (verraadt niet of een adres bestaat)",
    "password_reset_done": "bevestiging van het versturen",
    "password_reset_confirm": "link met eenmalig token uit de e-mail",
    "password_reset_complete": "bevestiging",
    "set_language": "taalkeuze (alleen een cookie)",
    "health": "gezondheid voor de load balancer, geen gegevens",
    "security-txt": "security.txt (RFC 9116): waar een kwetsbaarheid te melden, geen gegevens",
    "logout-everywhere": (
        "overal uitloggen (alleen POST, ingelogd): beëindigt alleen de eigen sessies van wie het vraagt "
        "(tests/regio/test_sessions.py)"
    ),
    "two-factor-verify": "tweede stap van het inloggen: alleen de eigen code van wie ingelogd is (tests/login)",
    "two-factor-recovery": "inloggen met een eigen herstelcode (tests/login/test_two_factor.py)",
    "two-factor-setup": "eigen authenticator-app koppelen; niet met alleen het wachtwoord als er een is (tests/login)",
    "two-factor-manage": "eigen authenticator-apps en herstelcodes, geen gegevens van een gemeente",
    "two-factor-remove": (
        "eigen authenticator-app verwijderen (POST); die van een ander antwoordt 404 (tests/login/test_two_factor.py)"
    ),
    "two-factor-recovery-codes": "eigen nieuwe herstelcodes (POST)",
    "oidc-start": "start van inloggen via de inlogdienst van een gemeente (alleen dat die er is: de knop)",
    "oidc-callback": "terugkeer van de inlogdienst (state, nonce en PKCE; tests/login/test_oidc.py)",
    "api:health": "gezondheid van de API, geen gegevens",
    "api:schema": "OpenAPI-schema: beschrijft de API, bevat geen gegevens",
    "api:docs": "Swagger-documentatie van het schema",
    "mailbox": (
        "verzonden e-mails van de demo: geen gegevens van één gemeente maar het postvak van de installatie; bestaat "
        "alleen met de bestands-backend (anders 404) en alleen voor de beheerder (tests/regio/test_mailbox.py)"
    ),
    "mailbox-message": "één verzonden e-mail van de demo; zelfde regels als 'mailbox' (tests/regio/test_mailbox.py)",
    "api:statutory-interest-list": (
        "rekenhulp wettelijke rente: alleen een berekening, geen gegevens van een gemeente; vraagt wel een login "
        "(tests/invoicing/test_api.py)"
    ),
    "toezicht-meldpunt": (
        "Meldpunt toezicht Wmo (WM-DVO bijlage 4): iedereen meldt een signaal zonder in te loggen; toont geen "
        "gegevens, alleen het eigen kenmerk; begrensd per adres, zonder BSN (tests/toezicht/test_meldpunt.py)"
    ),
    "api:toezicht-meldpunt-list": "het Meldpunt toezicht Wmo in de API (POST); zelfde regels als 'toezicht-meldpunt'",
    "inkoop-public": (
        "openbare pagina van de ontwikkeltafel (MH 6.1, 6.2, 7.4, bijlage 1): alleen gepubliceerde voorstellen, de "
        "deelnemerslijst en gepubliceerde samenstellingen; iedereen geeft een signaal zonder in te loggen; begrensd "
        "per adres, zonder BSN, alleen de tekst en wat de afzender zelf noemt (tests/inkoop/test_development.py)"
    ),
    "inkoop-public-proposal": (
        "een gepubliceerd voorstel van de ontwikkeltafel met zijn verloop en reactieformulier (MH 6.4, 7.5); een "
        "concept antwoordt 404; reacties begrensd per adres (tests/inkoop/test_development.py)"
    ),
    "api:proposals-list": "gepubliceerde voorstellen van de ontwikkeltafel voor iedereen (MH 6.1); nooit concepten",
    "api:proposals-detail": "één gepubliceerd voorstel (MH 6.1); een concept of onbekend nummer antwoordt 404",
    "api:proposals-reactions": (
        "reageren op een gepubliceerd voorstel (MH 6.4), zonder inloggen, begrensd per adres; zelfde regels als "
        "'inkoop-public-proposal'"
    ),
}

# Public routes with path parameters have no matrix case to build their object: each names here a builder
# ``"module:function"`` taking the ``world`` fixture and returning the URL kwargs, and the settings the walk needs
# (a rate limit lifted so that every hostile value reaches the parser). tests/regio/test_hostile_input.py walks them.
PUBLIC_OBJECT_ROUTES: dict[str, tuple[str, dict]] = {
    "api:proposals-detail": ("tests.inkoop.helpers_b:published_proposal_kwargs", {}),
    "api:proposals-reactions": (
        "tests.inkoop.helpers_b:published_proposal_kwargs",
        {"INKOOP_PUBLIC_RATE": "100000/h"},
    ),
}

# Routes outside the matrix for another reason than being public.
EXEMPT_PREFIXES: dict[str, str] = {
    "django-admin/": "Django admin: alleen voor superusers (getest in tests/regio/test_admin.py)",
}
