"""Matrix cases of the tenancy core (issue #3)."""

from regio.models import Region
from tests.factories import PopulationFigureFactory
from tests.tenancy.matrix import Case


def _region(world):
    return {"code": world.a.code}


def _municipality(world):
    PopulationFigureFactory(municipality=world.a2, inhabitants=15813)
    return {"code": world.a2.code}


def _nothing(world):
    return {}


CASES = [
    Case("home", _nothing, lambda w, kw: "Regio A", kind="list"),
    Case("region-list", _nothing, lambda w, kw: "Regio A", kind="list"),
    Case(
        "region-detail",
        _region,
        lambda w, kw: "Regio A",
    ),
    Case("municipality-list", _nothing, lambda w, kw: "Beek", kind="list"),
    Case("municipality-detail", _municipality, lambda w, kw: "15.813"),
    Case(
        "regionfile-upload",
        _nothing,
        lambda w, kw: "Regiobestand inlezen",
        kind="role",
        insider=("a1", "beheerder"),
        writes=("POST",),
        snapshot=lambda w, kw: Region.objects.unrestricted().count(),
    ),
    Case("audit-log", _nothing, lambda w, kw: "Regio A", kind="role", insider=("a1", "beheerder")),
    # API
    Case("api:municipality-list", _nothing, lambda w, kw: "GM0888", kind="list"),
    Case(
        "api:municipality-detail",
        _municipality,
        lambda w, kw: "GM0888",
    ),
    Case("api:region-list", _nothing, lambda w, kw: "regio-a", kind="list"),
    Case(
        "api:region-detail",
        _region,
        lambda w, kw: "regio-a",
    ),
]
