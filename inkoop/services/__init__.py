"""Inkoop's rules, one module per topic (docs/architecture.md): callers write ``from inkoop.services import
monitoring``. inkoop-b's modules: ``care_use_import``, ``monitoring`` (BNO 4), ``development`` and ``contributions``
(MH)."""
