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
}

# Routes outside the matrix for another reason than being public.
EXEMPT_PREFIXES: dict[str, str] = {
    "django-admin/": "Django admin: alleen voor superusers (getest in tests/regio/test_admin.py)",
}
