from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToezichtConfig(AppConfig):
    name = "toezicht"
    verbose_name = _("Toezicht Wmo")

    def ready(self):
        from regio.context_processors import register_navigation
        from toezicht import regionfile

        regionfile.register()
        register_navigation(320, "toezicht-fte-split", _("Toezicht fte"))
