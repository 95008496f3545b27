import pytest


@pytest.fixture(autouse=True)
def _statutory_rates(request):
    """Transactional tests flush every table, the rates of data migration 0002 included: load them again if gone."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("django_db_setup")
    if not request.node.get_closest_marker("django_db") and "world" not in request.fixturenames:
        return
    from django.apps import apps as django_apps

    from invoicing.models import StatutoryInterestRate

    if not StatutoryInterestRate.objects.unrestricted().exists():
        import importlib

        migration = importlib.import_module("invoicing.migrations.0002_load_statutory_interest_rates")
        migration.load(django_apps, None)
