"""Pages of issue 13 part A: the advice flow through the pages (the member asks, the team advises, the member decides),
the worklists, the objective-model page, the region-file section, the demo, and query counts that do not grow with
the data."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beschermdwonen import demo, selectors, services
from beschermdwonen.models import AdviceRequest, Client, Indication, RegionSetting
from regio.models import AccessLog, User
from regio.regionfile.loader import import_file, import_text
from regio.regionfile.registry import RegionFileError
from regio.tenancy import system_actor


@pytest.fixture
def team(world):
    return world.user("a1", "bw")


def _clients(world, team, n, start=0):
    for i in range(start, start + n):
        client = services.register_client(
            user=team,
            region=world.a,
            municipality=world.a2 if i % 2 else world.a3,
            valid_from=date(2023, 1, 1),
            reference=f"BW-Q{i:04}",
        )
        services.record_indication(
            user=team, client=client, product="arrangement", decided_on=date(2023, 2, 1), care_start=date(2023, 3, 1)
        )
        services.report_untenable(
            user=team, client=client, reported_on=date(2025, 1, 1), reason="x", responsible_provider="P"
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "route, who",
    [
        ("bw-client-list", ("a1", "bw")),
        ("bw-client-list", ("a2", "bw")),
        ("bw-worklists", ("a1", "bw")),
        ("bw-member-view", ("a2", "bw")),
        ("bw-advice-list", ("a1", "bw")),
        ("bw-objective-model", ("a2", "wethouder")),
        ("api:bw-indication-list", ("a1", "bw")),
    ],
)
def test_list_pages_do_not_query_per_row(world, team, route, who):
    _clients(world, team, 3)
    browser = world.client(*who, api=route.startswith("api:"))
    url = reverse(route)
    few = _queries(browser, url)
    _clients(world, team, 12, start=3)
    assert _queries(browser, url) == few


def test_the_advice_flow_through_the_pages(world, team):
    beek = world.client("a2", "bw")
    response = beek.post(
        reverse("bw-advice-create"),
        {
            "case_reference": "BEEK-P1",
            "requested_on": "01-03-2025",
            "question": "Begeleiding?",
            "situation": "Situatie",
        },
    )
    advice = AdviceRequest.objects.unrestricted().get()
    assert response.status_code == 302 and advice.requested_by == world.a2
    url = reverse("bw-advice-detail", kwargs={"pk": advice.pk})
    # Beek cannot advise, the team can; a BSN in the advice is refused in Dutch, nothing saved.
    page = beek.get(url).content.decode()
    assert "Advies geven" not in page and "Besluit vastleggen" not in page
    toegang = world.client("a1", "bw")
    assert "Advies geven" in toegang.get(url).content.decode()
    bad = toegang.post(url, {"stap": "advies", "advies-advised_on": "10-03-2025", "advies-text": "BSN 111222333"})
    assert bad.status_code == 200 and "burgerservicenummer" in bad.content.decode()
    assert AdviceRequest.objects.unrestricted().get().advised_on is None
    toegang.post(
        url, {"stap": "advies", "advies-advised_on": "10-03-2025", "advies-text": "Doen", "advies-begeleiding": "on"}
    )
    assert AdviceRequest.objects.unrestricted().get().advised_on == date(2025, 3, 10)
    # The team does not decide for the member.
    toegang.post(url, {"stap": "besluit", "besluit-decision": "followed", "besluit-decided_on": "12-03-2025"})
    assert AdviceRequest.objects.unrestricted().get().decided_on is None
    assert "Besluit vastleggen" in beek.get(url).content.decode()
    beek.post(url, {"stap": "besluit", "besluit-decision": "followed", "besluit-decided_on": "12-03-2025"})
    assert AdviceRequest.objects.unrestricted().get().decision == "followed"
    assert AccessLog.objects.filter(object_id=str(advice.pk)).exists()


def test_the_indication_page_records_and_the_file_shows_which_rule_applies(world, team):
    client = services.register_client(
        user=team, region=world.a, municipality=world.a2, valid_from=date(2023, 1, 1), reference="BW-R1"
    )
    toegang = world.client("a1", "bw")
    response = toegang.post(
        reverse("bw-indication-create", kwargs={"reference": "BW-R1"}),
        {"product": "arrangement", "decided_on": "15-12-2023", "care_start": "08-01-2024", "delivery": "pgb"},
    )
    assert response.status_code == 302
    assert Indication.objects.unrestricted().get().decided_by == world.a1
    detail = reverse("bw-client-detail", kwargs={"reference": client.reference})
    assert "bestaand (verdeelmodel niet gestart)" in toegang.get(detail).content.decode()
    RegionSetting.objects.create(region=world.a, objective_model_start=date(2024, 1, 1))
    assert "bestaand naar indicatiedatum (§1), nieuw naar startdatum (§2-3)" in toegang.get(detail).content.decode()
    page = world.client("a2", "wethouder").get(reverse("bw-objective-model") + "?datum=2024-01-01").content.decode()
    assert "BW-R1" not in page  # counts only
    rows = selectors.classification_counts(region=world.a, on=date(2024, 6, 1), start=date(2024, 1, 1))
    beek = next(r for r in rows if r["municipality"] == world.a2)
    assert (beek["existing_by_indication"], beek["new_by_start"]) == (1, 1)
    bad = world.client("a2", "wethouder").get(reverse("bw-objective-model") + "?datum=9999-12-31")
    assert bad.status_code == 200 and "te ver in de toekomst" in bad.content.decode()


def test_the_region_file_section_sets_and_clears_the_start_date(world):
    text = "region: {code: regio-a, name: Regio A}\nbeschermd_wonen:\n  objective_model_start: '2024-01-01'\n"
    import_text(text, "a.yaml", user=system_actor("test"))
    assert selectors.objective_model_start(world.a) == date(2024, 1, 1)
    import_text(text.replace("'2024-01-01'", "null"), "a.yaml", user=system_actor("test"))
    assert selectors.objective_model_start(world.a) is None
    with pytest.raises(RegionFileError, match="objective_model_start"):
        import_text(text.replace("2024-01-01", "9999-12-31"), "a.yaml", user=system_actor("test"))
    with pytest.raises(RegionFileError):
        import_text(text + "  onbekend: 1\n", "a.yaml", user=system_actor("test"))
    assert selectors.objective_model_start(world.a) is None


def test_the_demo_holds_indications_advice_and_an_open_replacement(db):
    for name in ("10-westelijke-mijnstreek.yaml", "50-beschermd-wonen-westelijke-mijnstreek.yaml"):
        import_file(Path(settings.BASE_DIR) / "demo" / name, user=system_actor("test"))
    demo.westelijke_mijnstreek_register()
    line = demo.westelijke_mijnstreek_access()
    assert line.startswith("Beschermd wonen (toegang): 36 cliënten"), line
    assert demo.westelijke_mijnstreek_access() == "Beschermd wonen (toegang): al geladen"
    team = User.objects.get(username="sittard-geleen-bw")
    stein = User.objects.get(username="stein-bw")
    assert Client.objects.unrestricted().count() == 36
    assert set(Indication.objects.unrestricted().values_list("responsible_municipality__code", flat=True)) == {
        "GM1883",
        "GM0971",
        "GM0888",
    }
    assert [a.case_reference for a in selectors.advice_awaiting_decision(stein)] == ["STEIN-2025-014"]
    assert selectors.replacements_without_handover(team).count() == 1
    assert selectors.open_disagreements(team).count() == 1
    region = Indication.objects.unrestricted().first().client.region
    assert selectors.objective_model_start(region) is None
    rows = selectors.classification_counts(region=region, on=date(2024, 6, 1), start=date(2024, 1, 1))
    assert sum(r["new_by_start"] for r in rows) > sum(r["new_by_indication"] for r in rows) >= 0
