from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Overeenkomsten, mandaten en overleg")

    def ready(self):
        from agreements import deadlines, deadlines_governance, regionfile, regionfile_calendar, regionfile_governance
        from agreements.demo import brabant_amendment_waiting_for_councils, westelijke_mijnstreek_dispute
        from regio.context_processors import register_navigation
        from regio.deadlines import register_source
        from regio.demo import register_demo_step

        regionfile.register()
        self.connect_signals()
        regionfile_calendar.register()
        regionfile_governance.register()
        register_source("agreements", deadlines.agreement_deadlines)
        register_source("agreements-governance", deadlines_governance.governance_deadlines)
        register_navigation(30, "agreement-list", _("Overeenkomsten"))
        register_navigation(35, "mandate-list", _("Mandaten"))
        register_navigation(40, "meeting-compliance", _("Overleg"))
        register_navigation(45, "deadlines", _("Termijnen"))
        register_navigation(42, "dispute-list", _("Geschillen"))
        register_demo_step("Geschillen: WM afrekening 2025", westelijke_mijnstreek_dispute, order=50)
        register_demo_step(
            "BNO wijziging en portefeuillehoudersoverleg", brabant_amendment_waiting_for_councils, order=51
        )

    def connect_signals(self):
        from django.db.models.signals import post_save

        from agreements.models import Meeting

        post_save.connect(_meeting_saved, sender=Meeting, dispatch_uid="agreements-schedule-disputes")


def _meeting_saved(sender, instance, **kwargs):
    """A bestuurlijk overleg once planned takes the disputes that wait for one (WM-SO 14.3: the next meeting)."""
    from agreements.services import schedule_waiting_disputes

    schedule_waiting_disputes(instance)
