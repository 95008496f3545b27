"""The one interest-kind enum (issue #11): migration agreements 0004 translates the values agreements stored before
("wettelijke_rente", "handelsrente") into the shared ones, in the agreement and its history, and back."""

import importlib

import pytest
from django.apps import apps

from agreements.models import Agreement, InterestKind

migration = importlib.import_module("agreements.migrations.0004_one_interest_kind")

pytestmark = pytest.mark.django_db


def _kinds(code):
    agreement = Agreement.objects.unrestricted().get(code=code)
    return agreement.interest_kind, set(agreement.history.values_list("interest_kind", flat=True))


def test_the_old_values_become_the_shared_ones_and_back(seeds):
    commercial, statutory = sorted(seeds)[:2]
    Agreement.objects.unrestricted().filter(code=commercial).update(interest_kind="handelsrente")
    Agreement.objects.unrestricted().filter(code=statutory).update(interest_kind="wettelijke_rente")
    Agreement.history.filter(code=commercial).update(interest_kind="handelsrente")
    Agreement.history.filter(code=statutory).update(interest_kind="wettelijke_rente")

    migration.forward(apps, None)
    assert _kinds(commercial) == (InterestKind.COMMERCIAL, {InterestKind.COMMERCIAL})
    assert _kinds(statutory) == (InterestKind.NON_COMMERCIAL, {InterestKind.NON_COMMERCIAL})

    migration.backward(apps, None)
    assert _kinds(commercial) == ("handelsrente", {"handelsrente"})
    assert _kinds(statutory) == ("wettelijke_rente", {"wettelijke_rente"})
