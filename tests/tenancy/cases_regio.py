"""Matrix cases of the tenancy core (issue #3)."""

from regio.models import AccessLog, Region, User
from tests.factories import PopulationFigureFactory
from tests.tenancy.matrix import Case


def _region(world):
    return {"code": world.a.code}


def _municipality(world):
    PopulationFigureFactory(municipality=world.a2, inhabitants=15813)
    return {"code": world.a2.code}


def _nothing(world):
    return {}


def _person(world):
    world.user("a1", "ambtenaar")
    return {"username": "a1-ambtenaar"}


def _person_listed(world):
    _person(world)
    return {}


def _access_log(world):
    AccessLog.objects.create(municipality=world.a1, object_type="toezicht.casefile", object_id="A-1234")
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
    Case("access-log", _access_log, lambda w, kw: "A-1234", kind="role", insider=("a1", "beheerder")),
    Case("people-list", _person_listed, lambda w, kw: "a1-ambtenaar", kind="role", insider=("a1", "beheerder")),
    Case(
        "person-update",
        _person,
        lambda w, kw: "a1-ambtenaar@regio-wmo.example",
        insider=("a1", "beheerder"),
        outsider=("b1", "beheerder"),
        writes=("POST",),
        write_payload={"full_name": "Overgenomen", "email": "aanvaller@example.org", "roles": ["beheerder"]},
        snapshot=lambda w, kw: list(User.objects.filter(username="a1-ambtenaar").values_list("email", "full_name")),
    ),
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
