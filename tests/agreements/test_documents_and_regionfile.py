"""Documents as private, versioned PDFs; the region-file sections."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agreements.documents import add_document
from agreements.models import Document
from regio.models import User
from regio.regionfile import RegionFileError
from regio.regionfile.loader import import_text
from regio.tenancy import system_actor
from tests.agreements.conftest import DEMO

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF"


def test_versions_and_checks(seeds):
    so = seeds["WM-SO-2025"]
    first = add_document(
        user=system_actor("test"), agreement=so, title="Getekende overeenkomst", name="so.pdf", content=PDF
    )
    second = add_document(
        user=system_actor("test"), agreement=so, title="Getekende overeenkomst", name="so-v2.pdf", content=PDF + b" "
    )
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(ValidationError, match="geen PDF"):
        add_document(user=system_actor("test"), agreement=so, title="x", name="x.pdf", content=b"MZ not a pdf")
    with pytest.raises(ValidationError, match="PDF-bestand"):
        add_document(user=system_actor("test"), agreement=so, title="x", name="x.docx", content=PDF)


def test_upload_page_download_and_tenancy(seeds, settings):
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 1000
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="sittard-geleen-coordinator"))
    url = "/overeenkomsten/WM-SO-2025/documenten/nieuw/"
    too_big = SimpleUploadedFile("groot.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    response = coordinator.post(url, {"title": "Bijlage", "kind": "bijlage", "file": too_big})
    assert response.status_code == 200 and "te groot" in response.content.decode()
    wrong = SimpleUploadedFile("brief.txt", b"hallo", content_type="text/plain")
    response = coordinator.post(url, {"title": "Bijlage", "kind": "bijlage", "file": wrong})
    assert "Kies een PDF-bestand" in response.content.decode()
    good = SimpleUploadedFile("ok.pdf", PDF, content_type="application/pdf")
    assert coordinator.post(url, {"title": "Bijlage", "kind": "bijlage", "file": good}).status_code == 302
    document = Document.objects.unrestricted().get(title="Bijlage")
    stein = Client()
    stein.force_login(User.objects.get(username="stein-ambtenaar"))
    download = stein.get(f"/documenten/{document.pk}/")
    assert download.status_code == 200 and download.content == PDF
    assert stein.get(url).status_code == 403  # a member may read, not add
    oss = Client()
    oss.force_login(User.objects.get(username="oss-coordinator"))
    assert oss.get(f"/documenten/{document.pk}/").status_code == 404


def test_pages_render(seeds):
    client = Client()
    client.force_login(User.objects.get(username="stein-ambtenaar"))
    detail = client.get("/overeenkomsten/WM-SO-2025/?opzegging=01-06-2027").content.decode()
    assert "01-04-2029" in detail and "WM-SO 16.1" in detail
    assert "Ondertekend door Stein" in detail
    assert "ambtelijk beleid 1/2 ⚠" in client.get("/overleg/?jaar=2025").content.decode()
    assert "Mandatenregister" in client.get("/mandaten/").content.decode()
    assert client.get("/termijnen/").status_code == 200
    assert client.get("/overeenkomsten/WM-SO-2025/?opzegging=morgen").status_code == 200


def test_second_import_changes_nothing(seeds):
    path = DEMO / "20-agreements-westelijke-mijnstreek.yaml"
    result = import_text(path.read_text(encoding="utf-8"), path.name, user=system_actor("test"))
    assert result.changed == 0


def test_mandate_outlasting_its_agreement_is_refused_with_its_path(seeds):
    text = """
region: {code: westelijke-mijnstreek, name: Westelijke Mijnstreek}
mandates:
  - {agreement: WM-2015, mandating: GM0971, mandated: GM1883, body: college, powers: [purchasing], from: 2015-01-01}
"""
    with pytest.raises(RegionFileError) as exc:
        import_text(text, "fout.yaml", user=system_actor("test"))
    assert "mandates[0].valid_until" in str(exc.value) and "WM-SO 15.3" in str(exc.value)


def test_unknown_agreement_and_power_are_reported(seeds):
    text = """
region: {code: westelijke-mijnstreek, name: Westelijke Mijnstreek}
mandates:
  - {agreement: XX-1, mandating: GM0971, mandated: GM1883, body: college, powers: [alles], from: 2015-01-01}
"""
    with pytest.raises(RegionFileError) as exc:
        import_text(text, "fout.yaml", user=system_actor("test"))
    assert "mandates[0].powers[0]" in str(exc.value)


def test_agreement_code_of_another_region_is_refused(seeds):
    text = """
region: {code: westelijke-mijnstreek, name: Westelijke Mijnstreek}
agreements:
  - code: BNO-2020
    kind: centrumregeling
    title: Kaping
    effective_from: 2020-01-01
    parties: [{municipality: GM1883}]
"""
    with pytest.raises(RegionFileError, match="andere regio"):
        import_text(text, "fout.yaml", user=system_actor("test"))
    assert date(2020, 1, 1) == seeds["BNO-2020"].effective_from


def test_notice_pages_walk_the_workflow(seeds):
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="oss-coordinator"))
    from regio.models import Municipality

    boekel = Municipality.objects.get(code="GM0755")
    response = coordinator.post(
        "/overeenkomsten/BNO-2020/opzeggingen/nieuw/",
        {"municipality": boekel.pk, "kind": "uittreding", "received_on": "15-03-2021", "registered_letter": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    detail_url = response["Location"]
    response = coordinator.post(detail_url, {"step": "register", "on": "2021-03-16"}, follow=True)
    page = response.content.decode()
    assert "01-01-2023" in page and "BNO 15.2" in page
    member = Client()
    member.force_login(User.objects.get(username="oss-ambtenaar"))
    assert member.get(detail_url).status_code == 200
    assert member.post(detail_url, {"step": "withdraw"}).status_code == 403


def test_accession_and_amendment_pages(seeds):
    from agreements.models import Accession, Amendment
    from regio.models import Municipality

    coordinator = Client()
    coordinator.force_login(User.objects.get(username="sittard-geleen-coordinator"))
    schinnen = Municipality.objects.get(code="GM0962")
    response = coordinator.post(
        "/overeenkomsten/WM-SO-2025/toetredingen/nieuw/", {"municipality": schinnen.pk, "requested_on": "2026-01-05"}
    )
    assert response.status_code == 302
    accession = Accession.objects.unrestricted().get()
    url = f"/toetredingen/{accession.pk}/"
    page = coordinator.post(url, {"step": "complete", "on": "2026-03-01"}, follow=True).content.decode()
    assert "Nog niet alle partijen" in page
    for code in ("GM1883", "GM0971", "GM0888"):
        municipality = Municipality.objects.get(code=code)
        coordinator.post(url, {"municipality": municipality.pk, "in_favour": "ja", "on": "2026-02-01"})
    coordinator.post(url, {"step": "complete", "on": "2026-03-01"})
    accession.refresh_from_db()
    assert accession.status == "toegetreden"
    response = coordinator.post(
        "/overeenkomsten/WM-SO-2025/wijzigingen/nieuw/",
        {
            "title": "Addendum toezicht",
            "proposed_by": Municipality.objects.get(code="GM0971").pk,
            "proposed_on": "2026-01-10",
            "is_addendum": "on",
        },
    )
    assert response.status_code == 302
    amendment = Amendment.objects.unrestricted().get()
    page = coordinator.get(f"/wijzigingen/{amendment.pk}/").content.decode()
    assert "nog geen besluit" in page


def test_region_file_ending_an_agreement_ends_its_mandates_and_dvo(seeds):
    from agreements.models import Agreement, Mandate

    path = DEMO / "20-agreements-westelijke-mijnstreek.yaml"
    so_open = (
        "effective_from: 2025-04-01   # WM-SO 15.1: retroactively, for an indefinite period\n    effective_until: null"
    )
    text = path.read_text(encoding="utf-8").replace(
        so_open, "effective_from: 2025-04-01\n    effective_until: 2030-03-31"
    )
    text = text.split("mandates:")[0]  # the file's own open-ended mandates would (rightly) be refused
    with pytest.raises(RegionFileError, match="WM-DVO 8.4"):
        import_text(
            text, "beeindigd.yaml", user=system_actor("test")
        )  # the DVO in the same file still says: indefinite
    text = text.replace(
        "effective_from: 2025-04-01   # WM-DVO 8.1\n    effective_until: null",
        "effective_from: 2025-04-01\n    effective_until: 2030-03-31",
    )
    import_text(text, "beeindigd.yaml", user=system_actor("test"))
    assert Agreement.objects.unrestricted().get(code="WM-DVO-2025").effective_until == date(2030, 3, 31)
    mandates = Mandate.objects.unrestricted().filter(agreement__code="WM-SO-2025")
    assert all(m.valid_until == date(2030, 3, 31) for m in mandates)
    again = import_text(text, "beeindigd.yaml", user=system_actor("test"))
    assert again.changed == 0


def test_extra_meeting_pages(seeds):
    from regio.models import Municipality

    client = Client()
    client.force_login(User.objects.get(username="oss-coordinator"))
    response = client.post("/overeenkomsten/BNO-2020/extra-overleg/nieuw/", {"subject": "Wachtlijsten"})
    assert response.status_code == 302
    url = response["Location"]
    # A request recorded with its date in 2021, when Bernheze was a party (BNO-2020 ran 2020-2023).
    page = client.post(
        url,
        {"municipality": Municipality.objects.get(code="GM1721").pk, "on": "2021-05-03", "reasons": "wachtlijst"},
        follow=True,
    ).content.decode()
    assert "Wachtlijsten" in page and "Bernheze" in page and "wachtlijst" in page


def test_end_agreement_page_ends_the_dvo_and_plan_submit(seeds):
    from agreements.models import Agreement, Mandate, PlanObligation, PlanSubmission

    client = Client()
    client.force_login(User.objects.get(username="sittard-geleen-coordinator"))
    plan = PlanObligation.objects.unrestricted().get(agreement__code="WM-SO-2025", key="evaluatie")
    assert client.get(f"/overeenkomsten/WM-SO-2025/plannen/{plan.pk}/ingediend/").status_code == 200
    response = client.post(f"/overeenkomsten/WM-SO-2025/plannen/{plan.pk}/ingediend/", {"year": "2025"})
    assert response.status_code == 302
    assert PlanSubmission.objects.unrestricted().filter(obligation=plan, year=2025).exists()
    response = client.post("/overeenkomsten/WM-SO-2025/beeindigen/", {"last_day": "31-03-2030", "reason": "opgezegd"})
    assert response.status_code == 302
    assert Agreement.objects.unrestricted().get(code="WM-DVO-2025").effective_until == date(2030, 3, 31)
    assert not Mandate.objects.unrestricted().filter(agreement__code="WM-SO-2025", valid_until__isnull=True).exists()
    page = client.get("/overeenkomsten/WM-DVO-2025/").content.decode()
    assert "WM-DVO 8.4" in page
    stein = Client()
    stein.force_login(User.objects.get(username="stein-ambtenaar"))
    assert stein.get("/overeenkomsten/WM-SO-2025/beeindigen/").status_code == 403


def test_weighted_vote_page_bno_6_2(seeds):
    client = Client()
    client.force_login(User.objects.get(username="oss-wethouder"))
    query = "?jaar=2018&voor=GM0828&voor=GM0856&voor=GM1721&voor=GM0756"
    page = client.get(f"/stemmen/brabant-noordoost-oost/{query}").content.decode()
    assert "Aangenomen" in page and "69,18 %" in page and "90.951" in page and "4 gemeenten" in page
    page = client.get("/stemmen/brabant-noordoost-oost/?jaar=2018&voor=GM9999").content.decode()
    assert "GM9999" in page
    assert client.get("/stemmen/westelijke-mijnstreek/").status_code == 404
    # Issue 17: the Westelijke Mijnstreek has no weighted vote (three members; only BNO's centrumregeling has the
    # rule): not offered to its own people either, page nor API.
    wm = Client()
    wm.force_login(User.objects.get(username="sittard-geleen-coordinator"))
    assert wm.get("/stemmen/westelijke-mijnstreek/").status_code == 404
    assert wm.get("/api/v1/regions/westelijke-mijnstreek/weighted-vote/").status_code == 404
    page = client.get("/stemmen/brabant-noordoost-oost/?jaar=2018&voor=GM0828").content.decode()
    assert "1 gemeente voor" in page and "1 gemeenten" not in page


def test_agreement_page_puts_each_action_under_its_own_heading(seeds):
    """Issue 17: "Overeenkomst beëindigen" and the accession link sat under "Verzoeken om extra overleg"."""
    client = Client()
    client.force_login(User.objects.get(username="sittard-geleen-coordinator"))
    page = client.get("/overeenkomsten/WM-SO-2025/").content.decode()
    notices, accessions = page.index(">Opzeggingen</h2>"), page.index(">Toetredingen, wijzigingen en addenda</h2>")
    extra = page.index(">Verzoeken om extra overleg</h2>")
    assert notices < page.index("Overeenkomst beëindigen") < accessions
    assert accessions < page.index("Verzoek tot toetreding vastleggen") < extra
