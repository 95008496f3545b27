"""Region files that cannot hurt the server (issue 10, finding 1) nor slip in impossible or far values (findings 4
and 7, the region-file part). Every refused file writes nothing: not even a first query that changes a row."""

import time
import tracemalloc
from io import StringIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from costsharing.models import CaoStep, NormYear
from regio.models import Membership, Municipality, PopulationFigure, Region, User
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_text
from regio.tenancy import system_actor
from tests.factories import UserFactory

SYSTEM = system_actor("tests: vijandige regiobestanden")

# "Billion laughs": nine levels of nine aliases each would expand to 9^9 (387 million) strings.
BILLION_LAUGHS = """region: {code: lol, name: Lol}
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

GOOD = """region: {code: testregio, name: Testregio}
municipalities:
  - {code: GM1883, name: Sittard-Geleen, population: {2025: 91700}}
  - {code: GM0888, name: Beek}
members:
  - {municipality: GM1883, from: 2025-01-01, coordinating: true}
  - {municipality: GM0888, from: 2025-01-01}
people:
  - {username: beek-ambtenaar, name: Ambtenaar Beek, email: a@beek.example, municipality: GM0888, roles: [ambtenaar]}
"""


def state():
    models = [Region, Municipality, PopulationFigure, Membership, CaoStep, NormYear]
    return tuple(m.objects.unrestricted().count() for m in models) + (User.objects.count(), len(mail.outbox))


def refused(text: str, name: str = "regio.yaml") -> list[str]:
    """The problems of a refused file, after proving that no query changed a row."""
    before = state()
    with CaptureQueriesContext(connection) as queries, pytest.raises(RegionFileError) as exc:
        import_text(text, name, user=SYSTEM)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == [], writes
    assert state() == before
    return [str(p) for p in exc.value.problems]


def platform_admin_client():
    client = Client()
    client.force_login(UserFactory(username="platform", municipality=None, roles=["platformbeheerder"]))
    return client


# --- finding 1: aliases, size, depth, number of values -------------------------------------------------------------


def test_billion_laughs_is_refused_in_milliseconds_with_little_memory(db):
    """Issue 10, finding 1: the 370-byte file grew the server to 24 GB; now it is refused at the first anchor."""
    assert len(BILLION_LAUGHS.encode()) < 400
    tracemalloc.start()
    started = time.perf_counter()
    problems = refused(BILLION_LAUGHS, "lol.yaml")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert problems == [
        "lol.yaml: regel 2, kolom 4: ankers en aliassen zijn niet toegestaan (& en *): schrijf elke waarde voluit"
    ]
    assert elapsed < 0.5, elapsed
    assert peak < 5 * 1024 * 1024, peak


def test_a_lone_alias_is_refused_too(db):
    text = GOOD + "agreements: *nergens\n"
    assert any("ankers en aliassen zijn niet toegestaan" in p for p in refused(text))


def test_billion_laughs_upload_is_refused_and_changes_nothing(db):
    client = platform_admin_client()
    before = state()
    response = client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile("lol.yaml", BILLION_LAUGHS.encode())})
    html = response.content.decode()
    assert response.status_code == 200
    assert "niet ingelezen" in html and "ankers en aliassen zijn niet toegestaan" in html
    assert state() == before


def test_billion_laughs_on_the_command_line_is_refused(db, tmp_path):
    path = tmp_path / "lol.yaml"
    path.write_text(BILLION_LAUGHS)
    err = StringIO()
    with pytest.raises(CommandError, match="niets gewijzigd"):
        call_command("import_region", str(path), stderr=err)
    assert "lol.yaml: regel 2, kolom 4: ankers en aliassen zijn niet toegestaan" in err.getvalue()


def test_an_oversized_file_is_refused(db, settings):
    settings.REGION_FILE_MAX_BYTES = 2000
    text = GOOD + "# " + "x" * 2000 + "\n"
    assert refused(text) == ["regio.yaml: het bestand is groter dan 1 kB"]


def test_an_oversized_upload_is_refused_from_its_length_without_reading_it(db, settings):
    """Content-Length alone is enough: the body is not parsed (the view answers 413 before request.FILES)."""
    client = platform_admin_client()
    before = state()
    body = GOOD.encode() + b"#" * (settings.REGION_FILE_MAX_BYTES + 100 * 1024)
    response = client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile("groot.yaml", body)})
    assert response.status_code == 413
    assert "Het bestand is te groot (hoogstens 1 MB)" in response.content.decode()
    assert state() == before


def test_an_upload_that_passes_the_limit_stops_being_read(db, settings):
    """Within the multipart allowance of the header, the upload handler stops at REGION_FILE_MAX_BYTES."""
    settings.REGION_FILE_MAX_BYTES = 4096
    client = platform_admin_client()
    before = state()
    body = GOOD.encode() + b"#" * 20_000
    response = client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile("groot.yaml", body)})
    assert response.status_code == 413
    assert "Het bestand is te groot (hoogstens 4 kB)" in response.content.decode()
    assert state() == before


def test_an_oversized_file_on_the_command_line_is_refused_before_reading(db, tmp_path, settings):
    settings.REGION_FILE_MAX_BYTES = 2000
    path = tmp_path / "groot.yaml"
    path.write_text(GOOD + "#" * 5000)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_region", str(path), stderr=err)
    assert "het bestand is groter dan 1 kB" in err.getvalue()


def test_deep_nesting_is_refused(db):
    text = GOOD + "agreements: " + "[" * 5000 + "]" * 5000 + "\n"
    problems = refused(text)
    assert len(problems) == 1 and "het bestand is dieper genest dan 32 niveaus" in problems[0]


def test_deep_json_is_refused(db):
    problems = refused('{"region": {"code": "x", "name": "X"}, "a": ' + "[" * 100_000 + "]" * 100_000 + "}", "r.json")
    assert problems == ["r.json: het bestand is dieper genest dan 32 niveaus"]


def test_too_many_values_are_refused(db, settings):
    settings.REGION_FILE_MAX_NODES = 200
    text = GOOD + "agreements: [" + ",".join(["1"] * 500) + "]\n"
    assert any("het bestand bevat meer dan 200 waarden" in p for p in refused(text))
    json_text = '{"region": {"code": "x", "name": "X"}, "a": [' + ",".join(["1"] * 500) + "]}"
    assert refused(json_text, "r.json") == ["r.json: het bestand bevat meer dan 200 waarden"]


def test_a_json_region_file_imports_like_yaml(db):
    text = (
        '{"region": {"code": "jsonregio", "name": "JSON-regio"}, '
        '"municipalities": [{"code": "GM0888", "name": "Beek", "population": {"2025": 15800}}]}'
    )
    result = import_text(text, "regio.json", user=SYSTEM)
    assert result.counts["created"] == 3
    assert PopulationFigure.objects.unrestricted().get().inhabitants == 15800


def test_a_huge_integer_is_a_message_not_a_crash(db):
    text = GOOD.replace("91700", "9" * 5000)
    assert any("ongeldige waarde" in p for p in refused(text))


# --- findings 4 and 7: impossible and far values, in any section ---------------------------------------------------


def test_an_impossible_date_is_named_with_its_path(db):
    """Issue 10, finding 7: 2026-02-31 used to be a 500 (the YAML parser's own date crashed)."""
    problems = refused(
        GOOD.replace("{municipality: GM0888, from: 2025-01-01}", "{municipality: GM0888, from: 2026-02-31}")
    )
    assert problems == ["regio.yaml: members[1].from: '2026-02-31' is geen geldige datum (gebruik JJJJ-MM-DD)."]


def test_an_impossible_date_upload_is_a_message(db):
    text = GOOD.replace("from: 2025-01-01, coordinating", "from: 2026-02-31, coordinating")
    response = platform_admin_client().post(
        "/beheer/regiobestand/", {"file": SimpleUploadedFile("r.yaml", text.encode())}
    )
    assert response.status_code == 200
    assert "members[0].from" in response.content.decode()
    assert not Region.objects.unrestricted().exists()


CAO = """region: {code: testregio, name: Testregio}
cao_steps:
  - {effective_date: 2025-06-01, percentage: 2.5, source: cao}
  - {effective_date: EFFECTIVE, percentage: PERCENTAGE, source: cao}
"""


def test_a_cao_step_in_the_year_9999_is_refused_before_any_indexation(db):
    """Issue 10, finding 4: a step dated 01-01-9999 made the indexation compute 7.977 norm years."""
    problems = refused(CAO.replace("EFFECTIVE", "9999-01-01").replace("PERCENTAGE", "1.5"))
    assert len(problems) == 1
    assert problems[0].startswith(
        "regio.yaml: cao_steps[1].effective_date: De datum 01-01-9999 ligt te ver in de toekomst"
    )


def test_a_cao_step_of_minus_50_percent_is_refused(db):
    problems = refused(CAO.replace("EFFECTIVE", "2026-01-01").replace("PERCENTAGE", "-50"))
    assert problems == [
        "regio.yaml: cao_steps[1].percentage: Het percentage van een CAO-stap moet tussen -10 en 25 procent liggen."
    ]


def test_far_years_and_dates_are_refused_in_every_section(db):
    text = (
        GOOD.replace("population: {2025: 91700}", "population: {1025: 91700}")
        + "formation:\n  - {year: 2099, task_area: purchasing, function: Inkoper, scale: 10, fte: 1}\n"
        + "actuals:\n  - {date: 1900-01-01, category: legal, description: x, amount: 1}\n"
    )
    problems = refused(text)
    paths = sorted(p.split(": ")[1] for p in problems)
    assert paths == ["actuals[0].date", "formation[0].year", "municipalities[0].population.1025"], problems


def test_a_refused_file_writes_nothing_even_when_the_problem_is_in_the_last_section(db):
    """Checked before written: the region, municipalities and people of the file's first sections stay unwritten."""
    text = GOOD + "actuals:\n  - {date: 9999-12-31, category: legal, description: x, amount: 1}\n"
    problems = refused(text)
    assert len(problems) == 1 and "actuals[0].date" in problems[0]
    assert not User.objects.filter(username="beek-ambtenaar").exists()


def test_a_plausible_file_still_imports(db):
    result = import_text(CAO.replace("EFFECTIVE", "2026-01-01").replace("PERCENTAGE", "1.5"), "r.yaml", user=SYSTEM)
    assert result.counts["created"] >= 3
    assert CaoStep.objects.unrestricted().count() == 2


def test_the_upload_still_checks_csrf_after_setting_its_limit(db):
    """The view is csrf_exempt only so that the upload limit is in place before the body is read; it then checks
    the token itself."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="platform", municipality=None, roles=["platformbeheerder"]))
    page = client.get("/beheer/regiobestand/")
    token = page.context["csrf_token"]
    text = b"region: {code: csrf, name: CSRF}\n"
    response = client.post("/beheer/regiobestand/", {"file": SimpleUploadedFile("r.yaml", text)})
    assert response.status_code == 403
    assert not Region.objects.unrestricted().filter(code="csrf").exists()
    response = client.post(
        "/beheer/regiobestand/", {"csrfmiddlewaretoken": str(token), "file": SimpleUploadedFile("r.yaml", text)}
    )
    assert response.status_code == 302
    assert Region.objects.unrestricted().filter(code="csrf").exists()
