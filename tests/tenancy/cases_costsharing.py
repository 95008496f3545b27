"""Matrix cases of cost sharing (issue #5). Region A's data: a key 60/40, 2024 norms, a reckoning, a notice."""

from datetime import date
from decimal import Decimal

from costsharing.models import (
    ActualCostLine,
    AllocationKey,
    Basis,
    CaoStep,
    CategoryKey,
    KeyShare,
    KeyVersion,
    NormScale,
    NormYear,
    Notice,
    Reckoning,
    ReckoningLine,
    ReckoningPart,
)
from tests.tenancy.matrix import Case


def _key(world):
    key = AllocationKey.objects.create(region=world.a, code="sleutel-a", name="Sleutel Regio A")
    version = KeyVersion.objects.create(key=key, basis=Basis.FIXED, valid_from=date(2025, 1, 1))
    KeyShare.objects.create(version=version, municipality=world.a1, weight=Decimal("60"))
    KeyShare.objects.create(version=version, municipality=world.a2, weight=Decimal("40"))
    CategoryKey.objects.create(region=world.a, category="legal", key=key)
    return key


def _key_kwargs(world):
    _key(world)
    return {"code": "sleutel-a"}


def _key_pk(world):
    return {"pk": _key(world).pk}


def _norms(world):
    norms = NormYear.objects.create(
        region=world.a, year=2024, productive_hours=Decimal("1345"), overhead_per_hour=Decimal("21.00")
    )
    NormScale.objects.create(norm_year=norms, scale=10, norm=Decimal("97200"))
    return {"region_code": "regio-a"}


def _norms_page(world):
    _norms(world)
    return {"code": "regio-a"}


def _reckoning(world):
    reckoning = Reckoning.objects.create(
        region=world.a, year=2025, total=Decimal("7777.77"), run_state=Reckoning.RunState.DONE, progress=100
    )
    ReckoningLine.objects.create(
        reckoning=reckoning,
        municipality=world.a2,
        share=Decimal("3111.11"),
        advances=Decimal("3000.00"),
        difference=Decimal("111.11"),
    )
    return reckoning


def _reckoning_pk(world):
    return {"pk": _reckoning(world).pk}


def _part(world):
    reckoning = _reckoning(world)
    version = _key(world).versions.unrestricted().first()
    ActualCostLine.objects.create(
        region=world.a, date=date(2025, 4, 1), category="legal", description="Advies A-2025", amount=Decimal("7.77")
    )
    part = ReckoningPart.objects.create(
        reckoning=reckoning, category="legal", key_version=version, amount=Decimal("7.77"), line_count=1
    )
    return {"pk": reckoning.pk, "part": part.pk}


def _statement(world):
    return {"pk": _reckoning(world).pk, "code": world.a2.code}


def _region_year(world):
    _key(world)
    return {"code": "regio-a", "year": 2025}


def _notice(world):
    notice = Notice.objects.create(
        region=world.a,
        municipality=world.a2,
        year=2025,
        title="Kostenoverzicht A-2025",
        body="Bijgewerkt",
        pdf=b"%PDF-1.4 test",
    )
    return {"pk": notice.pk}


def _nothing(world):
    _key(world)
    return {}


def _count(model):
    return lambda w, kw: model.objects.unrestricted().count()


def _reckonings(world, kwargs):
    return list(Reckoning.objects.unrestricted().values_list("pk", "status", "total", "version"))


CASES = [
    # API
    Case("api:allocation-key-list", _nothing, lambda w, kw: "sleutel-a", kind="list"),
    Case(
        "api:allocation-key-detail",
        _key_kwargs,
        lambda w, kw: "sleutel-a",
    ),
    Case("api:allocation-key-split", _key_kwargs, lambda w, kw: "60.00", query="?amount=100.00&on=2025-06-01"),
    Case(
        "api:tariff-list",
        _norms,
        lambda w, kw: "93.27",
        query="?year=2024",
    ),
    Case(
        "api:reckoning-list",
        lambda w: (_reckoning(w), {})[1],
        lambda w, kw: "7777.77",
        kind="list",
        writes=("POST",),
        write_payload={"region": "regio-a", "year": 2025},
        snapshot=_reckonings,
    ),
    Case(
        "api:reckoning-detail",
        _reckoning_pk,
        lambda w, kw: "7777.77",
    ),
    Case(
        "api:reckoning-approve",
        _reckoning_pk,
        lambda w, kw: "7777.77",
        writes=("POST",),
        snapshot=_reckonings,
    ),
    # Pages
    Case("costsharing-home", _nothing, lambda w, kw: "Sleutel Regio A", kind="list"),
    Case(
        "costsharing-key",
        _key_pk,
        lambda w, kw: "Sleutel Regio A",
        query="?amount=100,00&on=01-06-2025",
        writes=("POST",),
        write_payload={"action": "typed", "basis": "fixed", "valid_from": "01-01-2026", "weights": "GM0888: 100"},
        snapshot=lambda w, kw: list(KeyVersion.objects.unrestricted().values_list("pk", "valid_from")),
    ),
    Case(
        "costsharing-tariffs",
        _norms_page,
        lambda w, kw: "93,27",
        query="?jaar=2024",
        writes=("POST",),
        snapshot=_count(NormYear),
    ),
    Case(
        "costsharing-budget",
        _region_year,
        lambda w, kw: "Regio A",
        writes=("POST",),
        write_payload={"action": "reckoning"},
        snapshot=_reckonings,
    ),
    Case(
        "costsharing-reckoning",
        _reckoning_pk,
        lambda w, kw: "7.777,77",
        writes=("POST",),
        write_payload={"action": "approve"},
        snapshot=_reckonings,
    ),
    Case("costsharing-reckoning-part", _part, lambda w, kw: "Advies A-2025"),
    Case("costsharing-reckoning-progress", _reckoning_pk, lambda w, kw: 'value="100"'),
    Case("costsharing-trend", lambda w: (_reckoning(w), {})[1], lambda w, kw: "3.111,11", kind="list"),
    # a2's cost overview is not a3's, though both are members of region A (member <-> member isolation).
    Case(
        "costsharing-notices",
        lambda w: (_notice(w), {})[1],
        lambda w, kw: "Kostenoverzicht A-2025",
        kind="list",
        outsiders=(("a3", "ambtenaar"),),
    ),
    Case(
        "api:cao-step-list",
        lambda w: (
            CaoStep.objects.create(
                region=w.a, effective_date=date(2025, 1, 1), percentage=Decimal("1.5"), source="cao-stap regio A"
            ),
            {"region_code": "regio-a"},
        )[1],
        lambda w, kw: "cao-stap regio A",
        writes=("POST",),
        write_payload={"effective_date": "2025-07-01", "percentage": "2", "source": "poging van regio B"},
        snapshot=_count(CaoStep),
    ),
]
