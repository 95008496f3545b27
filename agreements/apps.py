from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Overeenkomsten, mandaten en overleg")

    def ready(self):
        from agreements import deadlines, deadlines_governance, regionfile, regionfile_calendar
        from regio.context_processors import register_navigation
        from regio.deadlines import register_source

        regionfile.register()
        self.connect_signals()
        regionfile_calendar.register()
        register_source("agreements", deadlines.agreement_deadlines)
        register_source("agreements-governance", deadlines_governance.governance_deadlines)
        register_navigation(30, "agreement-list", _("Overeenkomsten"))
        register_navigation(35, "mandate-list", _("Mandaten"))
        register_navigation(40, "meeting-compliance", _("Overleg"))
        register_navigation(45, "deadlines", _("Termijnen"))
        register_navigation(42, "dispute-list", _("Geschillen"))

    def connect_signals(self):
        from django.db.models.signals import post_save

        from agreements.models import Meeting

        post_save.connect(_meeting_saved, sender=Meeting, dispatch_uid="agreements-schedule-disputes")


def _meeting_saved(sender, instance, **kwargs):
    """A bestuurlijk overleg once planned takes the disputes that wait for one (WM-SO 14.3: the next meeting)."""
    from agreements.services import schedule_waiting_disputes

    schedule_waiting_disputes(instance)
