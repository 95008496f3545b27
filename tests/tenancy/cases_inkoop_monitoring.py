"""Matrix cases of care-use monitoring (BNO 4) and the development table (MH), issue 16 part B. Region A's
coordinating municipality a1 is the centre municipality and the project leaders; a2 and a3 are members; region B
sees nothing of region A. The public pages of the development table are on ``public.py`` with their reasons."""

from datetime import date
from decimal import Decimal

from inkoop.models import CareUse, CareUseImport, Contribution, ContributionKind
from tests.inkoop.helpers_b import population, table_with_proposal
from tests.tenancy.matrix import Case

MARKER = "Zorg Matrix-A BV"
THEME = "Administratieve lasten"


def _care_use(world):
    population(world)
    care_import = CareUseImport.objects.create(
        region=world.a, municipality=world.a1, filename="matrix-a.csv", digest="0" * 64, lines=1
    )
    CareUse.objects.create(
        region=world.a,
        municipality=world.a2,
        client_key="C-1",
        product="02A01",
        kind="begeleiding",
        provider_name=MARKER,
        year=2025,
        half=1,
        period_start=date(2025, 1, 1),
        period_end=date(2025, 3, 31),
        volume=Decimal("10"),
        amount=Decimal("100.00"),
        care_import=care_import,
    )
    return {}


def _board(world):
    table_with_proposal(world)
    return {}


def _table(world):
    table, _signatory, _proposal = table_with_proposal(world)
    return {"pk": table.pk}


def _proposal(world):
    _table, _signatory, proposal = table_with_proposal(world)
    return {"pk": proposal.pk}


def _contribution(world):
    contribution = Contribution.objects.create(region=world.a, kind=ContributionKind.SIGNAL, text="Signaal matrix A")
    return {"pk": contribution.pk}


CASES = [
    Case(
        "inkoop-monitoring",
        _care_use,
        lambda w, kw: MARKER,
        query="?regio=regio-a&jaar=2025&halfjaar=1",
        outsiders=(("a2", "toezichthouder"), ("b1", "beheerder")),
    ),
    Case(
        "inkoop-care-use-import",
        _care_use,
        lambda w, kw: "matrix-a.csv",
        kind="list",
        insider=("a1", "coordinator"),
        outsiders=(("a2", "ambtenaar"), ("a3", "coordinator")),
        viewer=("a2", "ambtenaar"),
        writes=("POST",),
        write_payload={"municipality": "GM1883"},
    ),
    Case(
        "api:care-use-report-list",
        _care_use,
        lambda w, kw: MARKER,
        query="?region=regio-a&year=2025&half=1",
        outsiders=(("a2", "toezichthouder"),),
    ),
    Case(
        "inkoop-development",
        _board,
        lambda w, kw: "Minder administratie",
        query="?regio=regio-a",
        viewer=("a2", "ambtenaar"),
        writes=("POST",),
        write_payload={"form": "table", "theme": "Inbraak B"},
    ),
    Case(
        "inkoop-table",
        _table,
        lambda w, kw: THEME,
        viewer=("a2", "ambtenaar"),
        writes=("POST",),
        write_payload={"form": "plan", "subject": "Inbraak B", "held_on": "01-06-2025"},
    ),
    Case(
        "inkoop-proposal",
        _proposal,
        lambda w, kw: "Minder administratie",
        viewer=("a2", "ambtenaar"),
        writes=("POST",),
        write_payload={"form": "decide", "work_out": "ja", "on": "01-03-2025"},
    ),
    Case(
        "inkoop-contribution",
        _contribution,
        lambda w, kw: "Signaal matrix A",
        viewer=("a2", "ambtenaar"),
        writes=("POST",),
        write_payload={"agenda": "ja", "on": "01-03-2025"},
    ),
]
