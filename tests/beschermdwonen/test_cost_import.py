"""The import of realised costs (issue 13): CSV and the iWmo WMO303 declaration, BSN pseudonymised at the door,
all or nothing naming every bad record, the same file twice books nothing twice, bounded size, no entity bombs."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from beschermdwonen import costimport
from beschermdwonen.models import CostImport, RealisedCost
from regio.privacy import pseudonymise_bsn
from tests.beschermdwonen.money_builders import BWM

BSN = "123456782"  # passes the 11-test (a test number)
OTHER_BSN = "111222334"  # fails the 11-test


@pytest.fixture
def wm(db):
    return BWM()


def wmo303(prestaties, ontvanger="1883", bsn=BSN):
    body = "".join(
        f"""<Prestatie><ProductReferentie><ReferentieNummer>{ref}</ReferentieNummer></ProductReferentie>
        <ToewijzingNummer>T1</ToewijzingNummer><ProductCategorie>41</ProductCategorie><ProductCode>{code}</ProductCode>
        <ProductPeriode><Begindatum>{start}</Begindatum><Einddatum>{end}</Einddatum></ProductPeriode>
        <GeleverdVolume>30</GeleverdVolume><Eenheid>14</Eenheid><ProductTarief>12345</ProductTarief>
        <IngediendBedrag><Bedrag>{cents}</Bedrag><DebetCredit>{dc}</DebetCredit></IngediendBedrag></Prestatie>"""
        for ref, code, start, end, cents, dc in prestaties
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Bericht xmlns="http://www.istandaarden.nl/iwmo/3_2/wmo303/schema">
<Header><BerichtCode>447</BerichtCode><BerichtVersie>3</BerichtVersie><BerichtSubversie>2</BerichtSubversie>
<Afzender>12345678</Afzender><Ontvanger>{ontvanger}</Ontvanger><DeclaratieNummer>D-1</DeclaratieNummer></Header>
<Client><Bsn>{bsn}</Bsn><Prestaties>{body}</Prestaties></Client></Bericht>""".encode()


def test_wmo303_books_costs_under_the_pseudonym_and_keeps_no_bsn(wm):
    content = wmo303(
        [
            ("R1", "43A01", "2025-01-01", "2025-01-31", "370350", "D"),
            ("R2", "43A01", "2025-01-01", "2025-01-31", "10000", "C"),
        ]
    )
    result = costimport.import_costs(
        user=wm.team, region=wm.region, municipality=wm.sg, filename="wmo303.xml", content=content
    )
    assert result.booked == 2 and result.total == Decimal("3603.50")
    costs = list(RealisedCost.objects.unrestricted().order_by("amount"))
    assert {c.client_key for c in costs} == {pseudonymise_bsn(BSN)}
    assert [c.amount for c in costs] == [Decimal("-100.00"), Decimal("3703.50")]
    with connection.cursor() as cursor:
        for table in ("beschermdwonen_realisedcost", "beschermdwonen_costimport"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608  fixed table names
            assert BSN not in repr(cursor.fetchall())


def test_the_same_file_twice_books_nothing_twice(wm):
    content = wmo303([("R1", "43A01", "2025-01-01", "2025-01-31", "370350", "D")])
    costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename="a.xml", content=content)
    again = costimport.import_costs(
        user=wm.team, region=wm.region, municipality=wm.sg, filename="a.xml", content=content
    )
    assert again.duplicate_file and again.booked == 0
    # Another file that repeats a declared line: only the new line is booked.
    more = wmo303(
        [
            ("R1", "43A01", "2025-01-01", "2025-01-31", "370350", "D"),
            ("R3", "43A01", "2025-02-01", "2025-02-28", "5000", "D"),
        ]
    )
    result = costimport.import_costs(
        user=wm.team, region=wm.region, municipality=wm.sg, filename="b.xml", content=more
    )
    assert (result.booked, result.already) == (1, 1)
    assert RealisedCost.objects.unrestricted().count() == 2


def test_one_bad_record_imports_nothing_and_every_bad_record_is_named_without_the_bsn(wm):
    content = (
        "bsn;gemeente;product;begindatum;einddatum;bedrag\n"
        f"{BSN};GM1883;BW01;01-01-2025;31-01-2025;100,00\n"
        f"{OTHER_BSN};GM1883;BW01;01-01-2025;31-01-2025;100,00\n"
        f"{BSN};GM9999;BW01;01-01-2025;31-01-2025;100,00\n"
        f"{BSN};GM1883;BW01;01-02-2025;31-01-2025;1e5\n"
    ).encode()
    with pytest.raises(costimport.ImportRefused) as refused:
        costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename="x.csv", content=content)
    text = " ".join(refused.value.problems)
    assert "rij 3" in text and "rij 4" in text and "rij 5" in text and "rij 2" not in text
    assert BSN not in text and OTHER_BSN not in text
    assert not RealisedCost.objects.unrestricted().exists() and not CostImport.objects.unrestricted().exists()


def test_entities_and_oversized_files_are_refused(wm, settings):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        b"<Bericht>&lol2;</Bericht>"
    )
    with pytest.raises(costimport.ImportRefused):
        costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename="b.xml", content=bomb)
    settings.BW_IMPORT_MAX_BYTES = 100
    with pytest.raises(costimport.ImportRefused):
        costimport.import_costs(
            user=wm.team, region=wm.region, municipality=wm.sg, filename="c.csv", content=b"x" * 101
        )
    assert not RealisedCost.objects.unrestricted().exists()


def test_only_the_access_team_imports(wm):
    content = wmo303([("R1", "43A01", "2025-01-01", "2025-01-31", "100", "D")])
    for user in (wm.stein_bw, wm.beek_civil, wm.supervisor):
        with pytest.raises(PermissionDenied):
            costimport.import_costs(user=user, region=wm.region, municipality=wm.sg, filename="a.xml", content=content)
    assert not RealisedCost.objects.unrestricted().exists()


def test_a_member_sees_only_its_own_realised_costs(wm):
    content = (
        b"client;gemeente;product;begindatum;einddatum;bedrag\n"
        b"S-1;GM0971;BW01;01-01-2025;31-01-2025;100,00\nB-1;GM0888;BW01;01-01-2025;31-01-2025;100,00\n"
    )
    costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename="t.csv", content=content)
    assert set(RealisedCost.objects.visible_to(wm.stein_bw).values_list("client_key", flat=True)) == {"S-1"}
    assert RealisedCost.objects.visible_to(wm.team).count() == 2
    assert not RealisedCost.objects.visible_to(wm.supervisor).exists()
    assert not RealisedCost.objects.visible_to(wm.beek_civil).exists()


def test_a_bsn_in_the_providers_reference_refuses_the_message_without_repeating_it(wm):
    content = wmo303(
        [
            ("R-1", "43A01", "2025-01-01", "2025-01-31", "100", "D"),
            (f"REF {BSN[:3]}.{BSN[3:6]}.{BSN[6:]}", "43A01", "2025-01-01", "2025-01-31", "100", "D"),
        ]
    )
    with pytest.raises(costimport.ImportRefused) as refused:
        costimport.import_costs(user=wm.team, region=wm.region, municipality=wm.sg, filename="r.xml", content=content)
    assert refused.value.problems == ["prestatie 2: ProductReferentie/ReferentieNummer ontbreekt."]
    assert not RealisedCost.objects.unrestricted().exists()
