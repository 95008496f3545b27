from django.db import models
from django.test.utils import isolate_apps

from regio import checks


def test_every_model_is_tenant_scoped_or_declared_global():
    assert checks.check_tenancy() == []


@isolate_apps("regio")
def test_the_check_catches_an_unscoped_model(monkeypatch):
    class Stray(models.Model):
        class Meta:
            app_label = "regio"

        def __str__(self):
            return "stray"

    monkeypatch.setattr(checks, "project_models", lambda: iter([Stray]))
    errors = checks.check_tenancy()
    assert [e.id for e in errors] == ["regio.E001"]
