"""Inkoop's pages, one module per topic (inkoop-b: ``monitoring``, ``development``, ``public``)."""
