"""Inkoop's models, one module per topic, re-exported so ``inkoop.models.X`` works (docs/architecture.md).

inkoop-a owns ``providers``, ``procurement`` and ``contracts``; inkoop-b owns ``monitoring`` and ``development``."""

from inkoop.models.providers import Domain, Provider

__all__ = [
    "Domain",
    "Provider",
]
