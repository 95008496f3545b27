from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InkoopConfig(AppConfig):
    name = "inkoop"
    verbose_name = _("Inkoop")

    def ready(self):
        # inkoop-b: care-use monitoring (BNO 4) and the development table (MH).
        from inkoop.demo_monitoring import bno_care_use_report, mh_development_table
        from regio.context_processors import register_navigation
        from regio.demo import register_demo_step

        register_navigation(
            420,
            "inkoop-monitoring",
            _("Monitorrapportage zorggebruik"),
            roles=("ambtenaar", "coordinator", "wethouder"),
        )
        register_navigation(
            421, "inkoop-development", _("Ontwikkeltafel"), roles=("ambtenaar", "coordinator", "wethouder")
        )
        register_demo_step("Inkoop: zorggebruik BNO", bno_care_use_report, order=80)
        register_demo_step("Inkoop: ontwikkeltafel MH", mh_development_table, order=81)
