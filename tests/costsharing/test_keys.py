"""Allocation keys: validation messages, population versions, mergers (SPEC §6.1; BNO considerans)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from costsharing import services
from costsharing.models import Basis, KeyVersion
from tests.factories import MunicipalityFactory, PopulationFigureFactory


def test_fixed_percentages_not_adding_to_100_say_by_how_much(bno):
    """The BNO annex's published percentages add up to 99.99: as a fixed key they are refused."""
    published = dict(
        zip(
            bno.m.values(),
            ["11.00", "3.78", "10.39", "8.97", "4.47", "5.52", "3.90", "32.76", "4.17", "15.03"],
            strict=True,
        )
    )
    with pytest.raises(ValidationError) as exc:
        services.create_version(
            user=bno.coordinator,
            key=bno.key,
            basis=Basis.FIXED,
            valid_from=date(2020, 1, 1),
            valid_until=date(2021, 12, 31),
            shares={m: Decimal(p) for m, p in published.items()},
        )
    assert (
        "De percentages tellen op tot 99,99 % in plaats van 100 %: 0,01 procentpunt te weinig." in exc.value.messages
    )


def test_too_many_percent_is_named(wm):
    with pytest.raises(ValidationError, match="2,00 procentpunt te veel"):
        services.create_version(
            user=wm.coordinator,
            key=wm.key,
            basis=Basis.FIXED,
            valid_from=date(2026, 1, 1),
            shares={wm.sg: Decimal(70), wm.stein: Decimal(20), wm.beek: Decimal(12)},
        )


def test_missing_member_and_non_member_are_named(wm):
    stranger = MunicipalityFactory(code="GM0935", name="Maastricht")
    with pytest.raises(ValidationError) as exc:
        services.create_version(
            user=wm.coordinator,
            key=wm.key,
            basis=Basis.FIXED,
            valid_from=date(2026, 1, 1),
            shares={wm.sg: Decimal(69), wm.stein: Decimal(19), stranger: Decimal(12)},
        )
    messages = exc.value.messages
    assert any("Beek (GM0888) is op 01-01-2026 lid van Westelijke Mijnstreek maar ontbreekt" in m for m in messages)
    assert any("Maastricht (GM0935) is op 01-01-2026 geen lid van Westelijke Mijnstreek" in m for m in messages)


def test_overlapping_validity_is_refused(wm):
    with pytest.raises(ValidationError, match="overlapt met de versie van 01-01-2025 tot en met onbepaald"):
        services.create_version(
            user=wm.coordinator,
            key=wm.key,
            basis=Basis.FIXED,
            valid_from=date(2025, 6, 1),
            shares={wm.sg: Decimal(69), wm.stein: Decimal(19), wm.beek: Decimal(12)},
        )


def test_only_coordinating_staff_create_versions(wm):
    with pytest.raises(PermissionDenied):
        services.create_version(
            user=wm.stein_coordinator, key=wm.key, basis=Basis.FIXED, valid_from=date(2030, 1, 1), shares={}
        )


def test_weights_are_stored_exactly(bno):
    version = services.generate_population_version(
        user=bno.coordinator, key=bno.key, reference_year=2018, valid_from=date(2020, 1, 1)
    )
    weights = {m.name: w for m, w in services.weights_of(version=version)}
    assert weights["Oss"] == Decimal("90951")
    assert sum(weights.values()) == Decimal("277651")
    assert version.basis == Basis.POPULATION and version.reference_date == date(2018, 1, 1)


def test_population_version_regenerated_for_a_new_year_in_one_action(wm):
    wm.key.versions.all().delete()
    for m, n in ((wm.sg, 91600), (wm.stein, 24800), (wm.beek, 15800)):
        PopulationFigureFactory(municipality=m, reference_date=date(2024, 1, 1), inhabitants=n)
        PopulationFigureFactory(municipality=m, reference_date=date(2025, 1, 1), inhabitants=n + 100)
    first = services.generate_population_version(user=wm.coordinator, key=wm.key, reference_year=2024)
    second = services.generate_population_version(user=wm.coordinator, key=wm.key, reference_year=2025)
    first.refresh_from_db()
    assert first.valid_until == date(2024, 12, 31)
    assert second.valid_from == date(2025, 1, 1) and second.valid_until is None
    assert {m.code: w for m, w in services.weights_of(version=second)}["GM1883"] == Decimal(91700)
    # Regenerating the same year changes nothing and makes no second version.
    again = services.generate_population_version(user=wm.coordinator, key=wm.key, reference_year=2025)
    assert again.pk == second.pk
    assert KeyVersion.objects.unrestricted().filter(key=wm.key).count() == 2


def test_population_version_names_a_missing_figure(wm):
    wm.key.versions.all().delete()
    PopulationFigureFactory(municipality=wm.sg, reference_date=date(2024, 1, 1), inhabitants=91600)
    with pytest.raises(ValidationError, match=r"Geen inwonertal op 01-01-2024 voor Stein \(GM0971\)"):
        services.generate_population_version(user=wm.coordinator, key=wm.key, reference_year=2024)


def test_bno_considerans_merger_adds_the_shares(bno):
    """1-1-2022: Boxmeer, Cuijk, Grave, Mill en Sint Hubert, Sint Anthonis → Land van Cuijk; Landerd, Uden →
    Maashorst. "bij samenvoeging van gemeenten worden de percentages opgeteld"."""
    services.generate_population_version(
        user=bno.coordinator, key=bno.key, reference_year=2018, valid_from=date(2020, 1, 1)
    )
    lvc = [bno.m[n] for n in ("Boxmeer", "Cuijk", "Grave", "Mill en Sint Hubert", "Sint Anthonis")]
    maashorst = [bno.m["Landerd"], bno.m["Uden"]]
    services.merge_municipalities(
        user=bno.coordinator, key=bno.key, on=date(2022, 1, 1), mergers=[(lvc, bno.lvc), (maashorst, bno.maashorst)]
    )
    version = KeyVersion.objects.unrestricted().get(key=bno.key, valid_from=date(2022, 1, 1))
    weights = {m.name: w for m, w in services.weights_of(version=version)}
    assert weights["Land van Cuijk"] == Decimal(28853 + 24911 + 12419 + 10831 + 11577)
    assert weights["Maashorst"] == Decimal(15332 + 41725)
    assert sum(weights.values()) == Decimal(277651)
    assert set(weights) == {"Bernheze", "Boekel", "Oss", "Land van Cuijk", "Maashorst"}
    first = KeyVersion.objects.unrestricted().get(key=bno.key, valid_from=date(2020, 1, 1))
    assert first.valid_until == date(2021, 12, 31)
    assert "opgegaan in Land van Cuijk" in version.note


def test_merger_of_a_municipality_without_share_is_refused(bno):
    services.generate_population_version(
        user=bno.coordinator, key=bno.key, reference_year=2018, valid_from=date(2020, 1, 1)
    )
    with pytest.raises(ValidationError, match="heeft geen aandeel"):
        services.merge_municipalities(
            user=bno.coordinator, key=bno.key, merged=[bno.lvc], into=bno.maashorst, on=date(2022, 1, 1)
        )


def test_a_cost_is_split_by_the_version_valid_on_its_date(bno):
    services.generate_population_version(
        user=bno.coordinator, key=bno.key, reference_year=2018, valid_from=date(2020, 1, 1)
    )
    assert services.version_on(key=bno.key, on=date(2021, 12, 31)).valid_from == date(2020, 1, 1)
    with pytest.raises(ValidationError, match="geen versie die geldt op 01-01-2019"):
        services.version_on(key=bno.key, on=date(2019, 1, 1))
