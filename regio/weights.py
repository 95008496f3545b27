"""Key weight providers: where a key version whose weights live in another app reads them (STYLE.md rule 16).

A key version of cost sharing splits by its own typed-in shares (fixed percentages, inhabitants) unless its basis
has a provider registered here: then the weights come from the app that owns the figures, and the version has no
shares of its own (one source of truth). Toezicht registers the FTE basis (the supervision capacity per member per
year, WM-DVO annex 4); beschermd wonen will register the client-count basis (clients in the register on the
version's reference date, WM-DVO annex 3.4). Cost sharing asks this registry and never imports those apps.

A provider is registered in the owning app's ``AppConfig.ready()`` (as toezicht does in ``toezicht/apps.py``)::

    register_weight_provider(
        "fte",  # a costsharing.models.Basis value, named without importing cost sharing's models
        WeightProvider(
            weights=fte_weights_of_versions,   # (*, versions, year) -> {version.pk: [(Municipality, Decimal)]}
            missing=lambda year: f"Er is geen toezichtcapaciteit (fte) vastgelegd voor {year}.",
            no_own_shares="Een fte-sleutel heeft geen eigen aandelen: ...",
            not_mergeable="Een fte-sleutel volgt de toezichtcapaciteit per jaar; ...",
        ),
    )

``weights`` answers for many versions at once (each version knows its region through ``version.key.region_id``
and its reference date), so that the December reckoning of all regions reads each provider once, however many
regions and versions. Weights are exact ``Decimal`` figures (FTE, clients), never rounded ratios; cost sharing
orders and splits them. A version missing from the answer has no figures (the ``missing`` message is shown).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

Weights = list[tuple[object, Decimal]]  # (Municipality, exact weight)


@dataclass(frozen=True)
class WeightProvider:
    # (*, versions, year) -> {version.pk: weights}: the figures of each version's region for ``year`` (or on the
    # version's reference date, for a basis that counts on a peildatum). One query per call, not per version.
    weights: Callable[..., dict[int, Weights]]
    # The Dutch message when there are no figures, e.g. "Er is geen toezichtcapaciteit (fte) vastgelegd voor 2025."
    missing: Callable[[int], str]
    # Why a version of this basis carries no typed-in shares, and why a merger cannot be derived from it.
    no_own_shares: str
    not_mergeable: str


_PROVIDERS: dict[str, WeightProvider] = {}


def register_weight_provider(basis: str, provider: WeightProvider) -> None:
    """Register the provider of a key basis (a ``costsharing.models.Basis`` value). One provider per basis."""
    current = _PROVIDERS.get(basis)
    if current is not None and current != provider:
        raise ValueError(f"De grondslag '{basis}' heeft al een leverancier van gewichten.")
    _PROVIDERS[basis] = provider


def weight_provider(basis: str) -> WeightProvider | None:
    """The provider of a basis, or None when a version of that basis carries its own shares."""
    return _PROVIDERS.get(basis)


def provided_weights(*, versions: Iterable, year: int) -> dict[int, Weights]:
    """The provided weights of every version whose basis has a provider: ``{version.pk: weights}``, one call per
    provider. Versions of other bases are left out (they carry their own shares)."""
    by_basis: dict[str, list] = {}
    for version in versions:
        if version.basis in _PROVIDERS:
            by_basis.setdefault(version.basis, []).append(version)
    out: dict[int, Weights] = {}
    for basis, group in by_basis.items():
        out.update(_PROVIDERS[basis].weights(versions=group, year=year))
    return out
