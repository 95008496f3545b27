"""System check: every model of our apps is tenant-scoped or listed here as global, with the reason (STYLE.md 4)."""

from django.apps import apps
from django.core import checks

PROJECT_APPS = {"regio", "agreements", "costsharing", "invoicing", "beschermdwonen", "toezicht", "inkoop"}

# model label -> why it is not tenant-scoped. Keep this list short; every entry is a security decision.
GLOBAL_MODELS: dict[str, str] = {
    "regio.User": "people are restricted through User.visible_people (own municipality; platform administrator: all)",
    "regio.MunicipalityUserObjectPermission": "django-guardian's grants on a municipality: read only for the user's "
    "own scope (regio.tenancy.scope_of), written by the region-file loader; no page or API lists them",
    "regio.MunicipalityGroupObjectPermission": "django-guardian's grants of a group on a municipality; as above",
}


def is_tenant_model(model) -> bool:
    from regio.tenancy import TenantModel

    return issubclass(model, TenantModel)


def project_models():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.auto_created:
            continue
        # django-simple-history's historical tables are read through the restricted audit view only.
        if meta.model_name.startswith("historical"):
            continue
        yield model


@checks.register(checks.Tags.security)
def check_tenancy(app_configs=None, **kwargs):
    errors = []
    for model in project_models():
        if is_tenant_model(model) or model._meta.label in GLOBAL_MODELS:
            continue
        errors.append(
            checks.Error(
                f"{model._meta.label} is niet aan een gemeente of regio gekoppeld.",
                hint="Laat het model van regio.tenancy.TenantModel erven, of zet het met een reden in "
                "regio.checks.GLOBAL_MODELS.",
                obj=model,
                id="regio.E001",
            )
        )
        continue
    for model in project_models():
        if is_tenant_model(model) and not hasattr(model, "history") and not getattr(model, "audit_exempt", ""):
            errors.append(
                checks.Error(
                    f"{model._meta.label} heeft geen audittrail.",
                    hint="Voeg history = HistoricalRecords() toe (django-simple-history).",
                    obj=model,
                    id="regio.E002",
                )
            )
    return errors
