"""The audit history, scoped per administrator (issue 10, finding 2).

django-simple-history keeps a historical table per model; these functions say which of its records an administrator
may read. The page is ``regio.views.AuditLogView``.
"""

from __future__ import annotations

from django.apps import apps

from regio.checks import PROJECT_APPS
from regio.models import User
from regio.regionfile import sections
from regio.tenancy import TenantModel, scope_of


def configuration_models() -> set[str]:
    """The models that make up a region's configuration: the tenancy core and everything a region file sets."""
    labels = {"regio.Region", "regio.Municipality", "regio.PopulationFigure", "regio.Membership", "regio.User"}
    for section in sections():
        labels.update(section.models)
    return labels


def history_querysets(user):
    """Per historical model, the records this administrator may read (issue 10, finding 2).

    The platform administrator reads the history of configuration only (never case or client files); a
    municipality's functional administrator reads the history of what it may see itself (its own municipality,
    its regions) and of its own municipality's people.
    """

    scope = scope_of(user)
    config = configuration_models() if scope.is_platform_admin else set()
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or not meta.model_name.startswith("historical"):
            continue
        if getattr(model, "audit_hidden_from_admin", False) or not hasattr(model, "history_date"):
            continue
        live = getattr(model, "instance_type", None)
        if live is None:
            continue
        if scope.is_platform_admin:
            if live._meta.label in config:
                yield model, model.objects.all()
            continue
        if not scope.is_functional_admin:
            continue
        if live is User:
            yield model, model.objects.filter(municipality_id=scope.municipality_id)
        elif issubclass(live, TenantModel):
            pk = live._meta.pk.attname
            visible = live.objects.visible_to(user).values(pk)
            yield model, model.objects.filter(**{f"{pk}__in": visible})
