from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToezichtConfig(AppConfig):
    name = "toezicht"
    verbose_name = _("Toezicht Wmo")

    def ready(self):
        from regio.context_processors import register_navigation
        from regio.demo import register_demo_step
        from regio.roles import MUNICIPAL_ROLES, Role
        from regio.weights import register_weight_provider
        from toezicht import regionfile
        from toezicht.demo import load_supervision_demo
        from toezicht.weights import FTE_PROVIDER

        regionfile.register()
        register_demo_step("Toezicht Wmo", load_supervision_demo, order=60)
        # Cost sharing's FTE key (basis "fte") splits supervision costs by the capacity entered here (WM-DVO annex
        # 4). Named by its value, not by importing costsharing.models: toezicht stays below cost sharing's models.
        register_weight_provider("fte", FTE_PROVIDER)
        register_navigation(320, "toezicht-fte-split", _("Toezicht fte"))
        register_navigation(321, "toezicht-signals", _("Signalen toezicht"), (Role.SUPERVISOR,))
        # For the people of a municipality: the platform administrator has none, and no hours or appointments.
        register_navigation(322, "toezicht-hours", _("Uren toezicht"), tuple(MUNICIPAL_ROLES))
        register_navigation(323, "toezicht-supervisors", _("Toezichthouders"), tuple(MUNICIPAL_ROLES))
        # Plans and reports (WM-DVO annex 4): for the colleges' people, the coordinating staff and the supervisors;
        # beschermd-wonen staff have no task here.
        college = tuple(role for role in MUNICIPAL_ROLES if role != Role.PROTECTED_HOUSING)
        register_navigation(324, "toezicht-plans", _("Plannen toezicht"), college)
        register_navigation(325, "toezicht-reports", _("Verslagen toezicht"), college)
