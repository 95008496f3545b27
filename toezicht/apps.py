from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToezichtConfig(AppConfig):
    name = "toezicht"
    verbose_name = _("Toezicht Wmo")

    def ready(self):
        from regio.context_processors import register_navigation
        from regio.weights import register_weight_provider
        from toezicht import regionfile
        from toezicht.weights import FTE_PROVIDER

        regionfile.register()
        # Cost sharing's FTE key (basis "fte") splits supervision costs by the capacity entered here (WM-DVO annex
        # 4). Named by its value, not by importing costsharing.models: toezicht stays below cost sharing's models.
        register_weight_provider("fte", FTE_PROVIDER)
        register_navigation(320, "toezicht-fte-split", _("Toezicht fte"))
