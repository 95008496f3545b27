"""Key weight providers (issue 11, registries where apps meet): cost sharing reads the weights of a provided basis
through ``regio.weights`` instead of importing the app that owns the figures."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from costsharing import services
from costsharing.models import Basis, KeyVersion
from regio import weights as registry
from regio.weights import WeightProvider


@pytest.fixture
def clients_provider(monkeypatch, wm):
    """A client-count provider as beschermd wonen will register it: clients on the version's reference date."""
    counted = {wm.sg: Decimal(40), wm.stein: Decimal(9), wm.beek: Decimal(6)}
    asked = []

    def weights(*, versions, year):
        asked.append([v.pk for v in versions])
        return {v.pk: list(counted.items()) for v in versions if v.reference_date == date(2025, 1, 1)}

    provider = WeightProvider(
        weights=weights,
        missing=lambda year: f"Geen cliënten geteld voor {year}.",
        no_own_shares="Een cliëntensleutel heeft geen eigen aandelen.",
        not_mergeable="Een cliëntensleutel volgt het register.",
    )
    monkeypatch.setitem(registry._PROVIDERS, Basis.CLIENTS, provider)
    return asked


def test_toezicht_registers_the_fte_basis():
    """Toezicht names the basis by its value (it does not import costsharing.models): the value must be a basis."""
    assert registry.weight_provider(Basis.FTE) is not None
    assert registry.weight_provider(Basis.FIXED) is None
    assert set(registry._PROVIDERS) <= set(Basis.values)


def test_fte_version_splits_by_the_supervision_capacity_through_the_registry(wm):
    weights = {m.name: w for m, w in services.weights_of(version=wm.fte_version, year=2025)}
    assert weights == {"Sittard-Geleen": Decimal("2"), "Stein": Decimal("0.55"), "Beek": Decimal("0.35")}
    with pytest.raises(ValidationError, match="Er is geen toezichtcapaciteit \\(fte\\) vastgelegd voor 2026"):
        services.weights_of(version=wm.fte_version, year=2026)


def test_a_registered_provider_gives_a_client_count_version_its_weights(wm, clients_provider):
    version = KeyVersion.objects.create(
        key=wm.key, basis=Basis.CLIENTS, valid_from=date(2030, 1, 1), reference_date=date(2025, 1, 1)
    )
    assert [(m.code, w) for m, w in services.weights_of(version=version)] == [
        ("GM0888", Decimal(6)),
        ("GM0971", Decimal(9)),
        ("GM1883", Decimal(40)),
    ]
    assert sum(p.amount for p in services.split(amount=Decimal("1000.00"), version=version)) == Decimal("1000.00")
    later = KeyVersion.objects.create(
        key=wm.key, basis=Basis.CLIENTS, valid_from=date(2031, 1, 1), reference_date=date(2026, 1, 1)
    )
    with pytest.raises(ValidationError, match="Geen cliënten geteld voor 2031"):
        services.weights_of(version=later)


def test_a_provided_basis_refuses_typed_in_shares_with_the_providers_words(wm, clients_provider):
    with pytest.raises(ValidationError, match="Een cliëntensleutel heeft geen eigen aandelen."):
        services.create_version(
            user=wm.coordinator,
            key=wm.key,
            basis=Basis.CLIENTS,
            valid_from=date(2030, 1, 1),
            shares={wm.sg: Decimal(1)},
        )


def test_the_reckoning_asks_each_provider_once_for_all_versions(wm, clients_provider):
    KeyVersion.objects.create(
        key=wm.key, basis=Basis.CLIENTS, valid_from=date(2030, 1, 1), reference_date=date(2025, 1, 1)
    )
    KeyVersion.objects.create(
        key=wm.key, basis=Basis.CLIENTS, valid_from=date(2031, 1, 1), reference_date=date(2026, 1, 1)
    )
    services._load_inputs(regions=[wm.region], year=2030)
    assert len(clients_provider) == 1 and len(clients_provider[0]) == 2


def test_a_second_provider_for_one_basis_is_refused(monkeypatch):
    monkeypatch.setattr(registry, "_PROVIDERS", dict(registry._PROVIDERS))
    other = WeightProvider(weights=lambda **kw: {}, missing=str, no_own_shares="", not_mergeable="")
    with pytest.raises(ValueError, match="al een leverancier"):
        registry.register_weight_provider(Basis.FTE, other)
