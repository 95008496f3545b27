"""The provider register (WM-SO 2.4 d): numbers validated (KvK 8 digits, VAT with python-stdnum, AGB 8 digits) and
answered in Dutch, written by the coordinating staff only, the screening hook, and agreement parties linked to
provider records (MH bijlage 1) by the reversible data migration."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.models import Agreement, Party
from inkoop import services
from inkoop.models import Provider, ProviderParty, Screening
from regio.screening import record_screening
from tests.inkoop.builders import KVK_A, provider

pytestmark = pytest.mark.django_db

PAYLOAD = {"region": "regio-a", "name": "Thuiszorg A", "kvk_number": "2829 4904", "domains": ["wmo", "jeugd"]}


def test_coordinator_adds_a_provider_through_the_api_numbers_compacted(world):
    client = world.client("a1", "coordinator", api=True)
    response = client.post("/api/v1/providers/", {**PAYLOAD, "vat_number": "nl 3454.61575.B01"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kvk_number"] == "28294904"
    assert response.json()["vat_number"] == "NL345461575B01"
    assert response.json()["domains"] == ["wmo", "jeugd"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kvk_number", "1234567", "Een KvK-nummer bestaat uit 8 cijfers."),
        ("kvk_number", "1234567A", "Een KvK-nummer bestaat uit 8 cijfers."),
        ("vat_number", "NL123456789B01", "Dit is geen geldig btw-identificatienummer"),
        ("agb_code", "98-12", "Een AGB-code bestaat uit 8 cijfers."),
        ("domains", ["zorg"], "is geen geldige keuze"),
    ],
)
def test_bad_numbers_answer_400_in_dutch_and_save_nothing(world, field, value, message):
    client = world.client("a1", "coordinator", api=True)
    response = client.post("/api/v1/providers/", {**PAYLOAD, field: value}, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Provider.objects.unrestricted().exists()


def test_the_same_kvk_number_twice_in_one_region_is_refused(world):
    provider(world)
    with pytest.raises(ValidationError) as exc:
        services.create_provider(
            user=world.user("a1", "coordinator"), region=world.a, name="X", kvk_number=KVK_A, domains=["wmo"]
        )
    assert "al een aanbieder met dit KvK-nummer" in exc.value.message_dict["kvk_number"][0]
    # Another region keeps its own register.
    assert provider(world, region=world.b).region == world.b


def test_a_member_reads_the_register_but_does_not_keep_it(world):
    row = provider(world)
    with pytest.raises(PermissionDenied):
        services.update_provider(user=world.user("a2", "ambtenaar"), provider=row, name="Anders")
    client = world.client("a2", "ambtenaar", api=True)
    assert client.get("/api/v1/providers/").json()["results"][0]["name"] == row.name
    assert client.patch(f"/api/v1/providers/{row.pk}/", {"name": "Anders"}, format="json").status_code == 403


def test_mh_5_2_a_deputy_stands_in_for_a_contact_of_the_same_provider(world):
    coordinator = world.user("a1", "coordinator")
    row = provider(world)
    main = services.add_contact(user=coordinator, provider=row, name="Anna", email="anna@example.org")
    deputy = services.add_contact(
        user=coordinator, provider=row, name="Bert", email="bert@example.org", deputy_for=main
    )
    assert list(main.deputies.all()) == [deputy]
    with pytest.raises(ValidationError):
        services.add_contact(user=coordinator, provider=row, name="C", email="c@example.org", deputy_for=deputy)


def test_screening_from_toezicht_reaches_the_file_through_the_regio_hook(world):
    row = provider(world)
    supervisor = world.user("a1", "toezichthouder")
    kwargs = {
        "region": world.a,
        "source": "toezicht",
        "reference": "TZ-1",
        "screened_on": date(2025, 4, 8),
        "outcome": "geen bevindingen",
    }
    [first] = record_screening(user=supervisor, kvk_number=KVK_A, **kwargs)
    [again] = record_screening(user=supervisor, kvk_number=KVK_A, **kwargs)
    assert first.pk == again.pk and first.provider == row
    # Someone outside the region reaches no provider: nothing recorded.
    assert record_screening(user=world.user("b1", "toezichthouder"), kvk_number=KVK_A, **kwargs) == [None]
    assert Screening.objects.unrestricted().count() == 1


def test_migration_0003_links_provider_parties_and_is_reversible(world):
    migration = importlib.import_module("inkoop.migrations.0003_link_provider_parties")
    agreement = Agreement.objects.create(
        code="A-MH",
        kind="samenwerkingsovereenkomst",
        title="MH",
        region=world.a,
        coordinator=world.a1,
        effective_from=date(2025, 1, 1),
    )
    existing = provider(world)
    Party.objects.create(agreement=agreement, provider_name=existing.name.upper(), role="dienstverlener")
    Party.objects.create(agreement=agreement, provider_name="Zorg Zonder Nummer", role="dienstverlener")
    migration.link(django_apps, None)
    links = dict(ProviderParty.objects.unrestricted().values_list("party__provider_name", "provider__name"))
    assert links == {existing.name.upper(): existing.name, "Zorg Zonder Nummer": "Zorg Zonder Nummer"}
    taken_over = Provider.objects.unrestricted().get(name="Zorg Zonder Nummer")
    assert (taken_over.origin, taken_over.kvk_number, taken_over.complete) == ("partij", "", False)
    migration.link(django_apps, None)  # a second run changes nothing
    assert ProviderParty.objects.unrestricted().count() == 2
    migration.unlink(django_apps, None)
    assert not ProviderParty.objects.unrestricted().exists()
    assert list(Provider.objects.unrestricted().values_list("name", flat=True)) == [existing.name]
