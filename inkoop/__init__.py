"""Inkoop: the purchasing side of the cooperation (issue 16): providers, procurement, framework contracts, the
consent round, service agreements (DVO), care-use monitoring and the development table. A side app: it imports
only ``regio`` and ``agreements`` (and ``costsharing.split``) and reaches the rest through the registries in
``regio``."""
