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
        from regio import checks  # noqa: F401  (registers the tenancy system check)
        from regio.regionfile import core

        core.register()
        post_migrate.connect(_create_role_groups, sender=self)
