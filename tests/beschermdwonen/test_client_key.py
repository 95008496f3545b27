"""The client-count key (WM-DVO annex 3.4) reads the register through regio.weights: cost sharing's own services split
by the clients resident per member on the version's reference date (issue 13, slice 4)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from beschermdwonen import services as bw
from beschermdwonen.weights import CLIENTS_PROVIDER
from costsharing import services
from costsharing.models import Basis, KeyVersion
from regio import weights as registry
from regio.roles import Role
from tests.costsharing.builders import WM
from tests.factories import UserFactory


@pytest.fixture
def wm(db, monkeypatch):
    """Westelijke Mijnstreek with the client key switched to the register (BW_CLIENT_KEY_FROM_REGISTER)."""
    monkeypatch.setitem(registry._PROVIDERS, Basis.CLIENTS, CLIENTS_PROVIDER)
    return WM()


def _clients(wm, municipality, n, start=date(2024, 1, 1)):
    team = UserFactory(username=f"toegang-{municipality.code}-{n}", municipality=wm.sg, roles=[Role.PROTECTED_HOUSING])
    return [
        bw.register_client(user=team, region=wm.region, municipality=municipality, valid_from=start) for _ in range(n)
    ]


def test_the_client_key_splits_by_the_register_on_the_reference_date(wm):
    _clients(wm, wm.sg, 4)
    _clients(wm, wm.stein, 1)
    moved = _clients(wm, wm.beek, 1)[0]
    _clients(wm, wm.beek, 2, start=date(2025, 6, 1))  # not yet resident on the reference date
    team = UserFactory(username="toegang-move", municipality=wm.sg, roles=[Role.PROTECTED_HOUSING])
    bw.record_move(user=team, client=moved, municipality=wm.stein, valid_from=date(2024, 12, 1))
    version = KeyVersion.objects.create(
        key=wm.key, basis=Basis.CLIENTS, valid_from=date(2030, 1, 1), reference_date=date(2025, 1, 1)
    )
    assert [(m.code, w) for m, w in services.weights_of(version=version)] == [
        ("GM0971", Decimal(2)),
        ("GM1883", Decimal(4)),
    ]
    parts = services.split(amount=Decimal("1000.00"), version=version)
    assert {p.municipality.code: p.amount for p in parts} == {"GM0971": Decimal("333.33"), "GM1883": Decimal("666.67")}


def test_an_empty_register_says_so(wm):
    version = KeyVersion.objects.create(
        key=wm.key, basis=Basis.CLIENTS, valid_from=date(2030, 1, 1), reference_date=date(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="geen cliënten beschermd wonen"):
        services.weights_of(version=version)


def test_typed_shares_are_refused_with_the_registers_words(wm):
    with pytest.raises(ValidationError, match="register beschermd wonen"):
        services.create_version(
            user=wm.coordinator, key=wm.key, basis=Basis.CLIENTS, valid_from=date(2030, 1, 1), shares={wm.sg: 1}
        )


def test_the_setting_registers_the_provider(settings, monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(registry, "_PROVIDERS", dict(registry._PROVIDERS))
    registry._PROVIDERS.pop(Basis.CLIENTS, None)
    settings.BW_CLIENT_KEY_FROM_REGISTER = False
    apps.get_app_config("beschermdwonen").ready()
    assert registry.weight_provider(Basis.CLIENTS) is None
    settings.BW_CLIENT_KEY_FROM_REGISTER = True
    apps.get_app_config("beschermdwonen").ready()
    assert registry.weight_provider(Basis.CLIENTS) is CLIENTS_PROVIDER
