"""Region definition files (issue #3): idempotent, all or nothing, clear messages."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from regio.models import Membership, Municipality, PopulationFigure, Region, User
from regio.regionfile import RegionFileError
from regio.regionfile.loader import full_schema, import_file, import_text
from regio.tenancy import system_actor

GOOD = """
region: {code: testregio, name: Testregio}
municipalities:
  - {code: GM1883, name: Sittard-Geleen, population: {2025: 91700}}
  - {code: GM0888, name: Beek}
members:
  - {municipality: GM1883, from: 2025-01-01, coordinating: true}
  - {municipality: GM0888, from: 2025-01-01}
people:
  - {username: beek-ambtenaar, name: Ambtenaar Beek, email: a@beek.example, municipality: GM0888, roles: [ambtenaar]}
"""


def snapshot():
    models = [Region, Municipality, PopulationFigure, Membership]
    counts = tuple(m.objects.unrestricted().count() for m in models)
    history = tuple(m.history.count() for m in models)
    return counts + history + (User.objects.count(),)


def problems_of(text, name="regio.yaml"):
    with pytest.raises(RegionFileError) as exc:
        import_text(text, name, user=system_actor("test"))
    return [str(p) for p in exc.value.problems]


def test_import_creates_the_region(db):
    result = import_text(GOOD, "regio.yaml", user=system_actor("test"))
    assert result.counts["created"] > 0
    region = Region.objects.get(code="testregio")
    assert region.coordinator_on().code == "GM1883"
    assert PopulationFigure.objects.get(municipality__code="GM1883").inhabitants == 91700
    assert User.objects.get(username="beek-ambtenaar").roles == ["ambtenaar"]


def test_importing_the_same_file_twice_changes_nothing(db):
    import_text(GOOD, "regio.yaml", user=system_actor("test"))
    before = snapshot()
    result = import_text(GOOD, "regio.yaml", user=system_actor("test"))
    assert result.changed == 0
    assert snapshot() == before  # not even a history record


def test_a_change_is_an_update_with_history(db):
    import_text(GOOD, "regio.yaml", user=system_actor("test"))
    import_text(GOOD.replace("name: Testregio", "name: Testregio Zuid"), "regio.yaml", user=system_actor("test"))
    region = Region.objects.get(code="testregio")
    assert region.name == "Testregio Zuid"
    assert region.history.first().history_change_reason == "regiobestand regio.yaml"


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (
            GOOD.replace("{municipality: GM0888, from", "{municipality: GM0999, from"),
            "regio.yaml: members[1].municipality: onbekende gemeente 'GM0999'",
        ),
        (
            GOOD.replace("{code: GM0888, name: Beek}", "{code: GM1883, name: Beek}"),
            "regio.yaml: municipalities[1].code: gemeente 'GM1883' staat dubbel",
        ),
        (
            GOOD.replace("{code: GM0888, name: Beek}", "{code: GM888, name: Beek}"),
            "regio.yaml: municipalities[1].code: 'GM888' heeft niet de juiste vorm (GM gevolgd door vier cijfers",
        ),
        (
            GOOD.replace("region: {code: testregio, name: Testregio}", "region: {code: testregio}"),
            "regio.yaml: region.name: verplicht veld ontbreekt",
        ),
        (
            GOOD.replace("people:", "  - {municipality: GM0888, from: 2025-06-01, until: 2026-01-01}\npeople:"),
            "regio.yaml: members[2]: lidmaatschap van GM0888 overlapt met members[1]",
        ),
        (GOOD + "agreements: [\n", "regio.yaml: regel"),
        (GOOD + "onbekend: 1\n", "regio.yaml: onbekend: onbekend veld"),
        (
            GOOD.replace("roles: [ambtenaar]", "roles: [koning]"),
            "regio.yaml: people[0].roles[0]: 'koning' is geen toegestane waarde",
        ),
        (
            GOOD.replace(
                "{municipality: GM0888, from: 2025-01-01}",
                "{municipality: GM0888, from: 2025-01-01, coordinating: true}",
            ),
            "members[1].coordinating: in deze periode coördineert ook GM1883",
        ),
        ("- just a list\n", "regio.yaml: het bestand moet een YAML-mapping zijn"),
    ],
    ids=[
        "unknown-municipality",
        "duplicate-code",
        "malformed-cbs-code",
        "missing-key",
        "overlapping-membership",
        "invalid-yaml",
        "unknown-top-level-key",
        "unknown-role",
        "two-coordinators",
        "not-a-mapping",
    ],
)
def test_a_bad_file_is_refused_whole_with_its_message(db, bad, expected):
    before = snapshot()
    problems = problems_of(bad)
    assert any(expected in p for p in problems), problems
    assert snapshot() == before


def test_a_bad_person_late_in_the_file_rolls_back_the_region_too(db):
    bad = GOOD.replace("municipality: GM0888, roles", "municipality: GM0777, roles")
    problems = problems_of(bad)
    assert problems == [
        "regio.yaml: people[0].municipality: onbekende gemeente 'GM0777': voeg haar toe onder 'municipalities'."
    ]
    assert not Region.objects.unrestricted().filter(code="testregio").exists()


def test_the_documented_schema_is_the_one_the_loader_uses():
    documented = json.loads((Path(settings.BASE_DIR) / "docs" / "region-file.schema.json").read_text())
    assert documented == full_schema(), "Draai: make schema (docs/region-file.schema.json is verouderd)"


def test_command_line_names_file_and_path(db, tmp_path):
    path = tmp_path / "kapot.yaml"
    path.write_text(GOOD.replace("GM0888, from", "GM0999, from"))
    err = StringIO()
    with pytest.raises(CommandError, match="niets gewijzigd"):
        call_command("import_region", str(path), stderr=err)
    assert "kapot.yaml: members[1].municipality: onbekende gemeente 'GM0999'" in err.getvalue()


def test_load_demo_twice_changes_nothing(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "beek-ambtenaar" in out.getvalue() and settings.DEMO_PASSWORD in out.getvalue()
    before = snapshot()
    call_command("load_demo", "--quiet-logins", stdout=StringIO())
    assert snapshot() == before
    assert User.objects.get(username="beek-ambtenaar").check_password(settings.DEMO_PASSWORD)


def test_every_demo_role_exists(db):
    for path in sorted((Path(settings.BASE_DIR) / "demo").glob("10-*.yaml")):
        import_file(path, user=system_actor("test"))
    expected = [
        "beek-ambtenaar",
        "stein-ambtenaar",
        "stein-wethouder",
        "beek-wethouder",
        "sittard-geleen-coordinator",
        "sittard-geleen-toezichthouder",
        "sittard-geleen-bw",
        "oss-coordinator",
        "maastricht-ambtenaar",
        "beheerder",
    ]
    assert set(expected) <= set(User.objects.values_list("username", flat=True))
    for town in ["sittard-geleen", "stein", "beek", "oss", "maastricht"]:
        for role in ["ambtenaar", "coordinator", "wethouder", "toezichthouder", "bw"]:
            assert User.objects.get(username=f"{town}-{role}").roles == [role]
