"""Matrix cases of login hardening (issue 17): a municipality's identity provider, its functional administrator's
page. The account pages of one's own second factor are on the public list (tests/tenancy/public.py)."""

from regio.login.models import IdentityProvider
from tests.tenancy.matrix import Case


def _provider(world):
    IdentityProvider.objects.create(
        municipality=world.a1, issuer="https://login.sittard-geleen.example", client_id="regio-wmo-a1", label="IdP-A1"
    )
    return {}


CASES = [
    Case(
        "identity-provider",
        _provider,
        lambda w, kw: "regio-wmo-a1",
        kind="role",
        insider=("a1", "beheerder"),
        writes=("POST",),
        write_payload={"issuer": "https://evil.example", "client_id": "overgenomen", "role_mapping": "{}"},
        snapshot=lambda w, kw: list(IdentityProvider.objects.unrestricted().values_list("issuer", "client_id")),
    ),
]
