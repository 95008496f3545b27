from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Overeenkomsten, mandaten en overleg")

    def ready(self):
        from agreements import deadlines, regionfile, regionfile_calendar
        from regio.context_processors import register_navigation
        from regio.deadlines import register_source

        regionfile.register()
        regionfile_calendar.register()
        register_source("agreements", deadlines.agreement_deadlines)
        register_navigation(30, "agreement-list", _("Overeenkomsten"))
        register_navigation(35, "mandate-list", _("Mandaten"))
        register_navigation(40, "meeting-compliance", _("Overleg"))
        register_navigation(45, "deadlines", _("Termijnen"))
