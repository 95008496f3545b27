from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CostsharingConfig(AppConfig):
    name = "costsharing"
    verbose_name = _("Kostenverdeling")

    def ready(self):
        from costsharing import regionfile
        from regio.context_processors import register_navigation
        from regio.roles import Role

        regionfile.register()
        register_navigation(300, "costsharing-home", _("Kostenverdeling"))
        register_navigation(330, "costsharing-trend", _("Kostentrend"), (Role.PORTFOLIO_HOLDER,))
