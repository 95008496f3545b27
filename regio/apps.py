from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_role_groups(sender, **kwargs):
    from regio.roles import ensure_role_groups

    ensure_role_groups()


class RegioConfig(AppConfig):
    name = "regio"
    verbose_name = _("Regio (gemeenten, regio's, mensen)")

    def ready(self):
        from regio import checks, dashboard_panels, mailbox  # noqa: F401  (checks registers the tenancy system check)
        from regio.context_processors import register_navigation
        from regio.login import checks as login_checks  # noqa: F401  (the demo TOTP secret in production)
        from regio.regionfile import core
        from regio.roles import Role

        core.register()
        dashboard_panels.register()  # deadlines and the installation on the dashboards (issue 18)
        from regio.retention import ACCESS_LOG, register_reducer

        register_reducer(ACCESS_LOG)  # the access log's own retention (docs/retention.md)
        if mailbox.enabled():  # the demo's outbox (file-based e-mail); no such page with SMTP
            register_navigation(920, "mailbox", _("Verzonden e-mails"), (Role.PLATFORM_ADMIN,))
        register_navigation(935, "identity-provider", _("Inlogdienst"), (Role.FUNCTIONAL_ADMIN,))
        post_migrate.connect(_create_role_groups, sender=self)
