from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToezichtConfig(AppConfig):
    name = "toezicht"
    verbose_name = _("Toezicht Wmo")

    def ready(self):
        from toezicht import dashboard

        dashboard.register()  # its panels on the dashboards (issue 18)
        from regio.context_processors import register_navigation
        from regio.deadlines import register_source
        from regio.demo import register_demo_step
        from regio.roles import MUNICIPAL_ROLES, Role
        from regio.weights import register_weight_provider
        from toezicht import regionfile
        from toezicht.demo import load_supervision_demo
        from toezicht.demo_casework import load_casework_demo
        from toezicht.demo_plans import load_plans_and_reports_demo
        from toezicht.services_requests import request_deadlines
        from toezicht.weights import FTE_PROVIDER

        regionfile.register()
        from regio.retention import register_reducer
        from toezicht.retention import CASE_FILES, MELDPUNT_REPORTS

        register_reducer(CASE_FILES)  # the daily retention job (regio/retention.py, docs/retention.md)
        register_reducer(MELDPUNT_REPORTS)
        # The 14-day answer to a college's information request (WM-DVO annex 4): reminders and the overdue flag.
        register_source("toezicht", request_deadlines)
        register_demo_step("Toezicht Wmo", load_supervision_demo, order=60)
        register_demo_step("Toezicht Wmo: dossiers", load_casework_demo, order=61)
        # After the casework, so the 2025 reports count its investigations and requests.
        register_demo_step("Toezicht Wmo: plannen en verslagen", load_plans_and_reports_demo, order=65)
        # Cost sharing's FTE key (basis "fte") splits supervision costs by the capacity entered here (WM-DVO annex
        # 4). Named by its value, not by importing costsharing.models: toezicht stays below cost sharing's models.
        register_weight_provider("fte", FTE_PROVIDER)
        register_navigation(320, "toezicht-fte-split", _("Toezicht fte"))
        casework = (Role.SUPERVISOR, Role.SUPERVISION_MANAGER)
        register_navigation(319, "toezicht-worklist", _("Werklijst toezicht"), casework)
        register_navigation(321, "toezicht-signals", _("Signalen toezicht"), casework)
        register_navigation(324, "toezicht-investigations", _("Onderzoeken toezicht"), casework)
        register_navigation(325, "toezicht-requests", _("Informatieverzoeken"), casework)
        register_navigation(326, "toezicht-disclosures", _("Verstrekkingen aan college"), casework)
        # For the people of a municipality: the platform administrator has none, and no hours or appointments.
        register_navigation(322, "toezicht-hours", _("Uren toezicht"), tuple(MUNICIPAL_ROLES))
        register_navigation(323, "toezicht-supervisors", _("Toezichthouders"), tuple(MUNICIPAL_ROLES))
        # Plans and reports (WM-DVO annex 4): for the colleges' people, the coordinating staff and the supervisors;
        # beschermd-wonen staff have no task here.
        college = tuple(role for role in MUNICIPAL_ROLES if role != Role.PROTECTED_HOUSING)
        register_navigation(327, "toezicht-plans", _("Plannen toezicht"), college)
        register_navigation(328, "toezicht-reports", _("Verslagen toezicht"), college)
