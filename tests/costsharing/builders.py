"""Builders of the seeds' cost-sharing situations (WM-DVO 2025, BNO 2020) for tests without HTTP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from costsharing.models import (
    Activity,
    ActivityComponent,
    AllocationKey,
    Basis,
    CategoryKey,
    KeyShare,
    KeyVersion,
    NormScale,
    NormYear,
)
from regio.roles import Role
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    PopulationFigureFactory,
    RegionFactory,
    UserFactory,
)
from toezicht.models import SupervisionCapacity

BNO_2018 = [
    ("GM1721", "Bernheze", 30550),
    ("GM0755", "Boekel", 10502),
    ("GM0756", "Boxmeer", 28853),
    ("GM1684", "Cuijk", 24911),
    ("GM0786", "Grave", 12419),
    ("GM1685", "Landerd", 15332),
    ("GM0815", "Mill en Sint Hubert", 10831),
    ("GM0828", "Oss", 90951),
    ("GM1702", "Sint Anthonis", 11577),
    ("GM0856", "Uden", 41725),
]


class WM:
    """Westelijke Mijnstreek 2025: key 69/19/12 (WM-SO 6.2), FTE 2/0.55/0.35 (annex 4), 2024 norms (annex 1)."""

    def __init__(self, code: str = "westelijke-mijnstreek"):
        self.region = RegionFactory(code=code, name="Westelijke Mijnstreek")
        self.sg = MunicipalityFactory(code="GM1883", name="Sittard-Geleen")
        self.stein = MunicipalityFactory(code="GM0971", name="Stein")
        self.beek = MunicipalityFactory(code="GM0888", name="Beek")
        MembershipFactory(region=self.region, municipality=self.sg, coordinating=True, valid_from=date(2015, 1, 1))
        MembershipFactory(region=self.region, municipality=self.stein, valid_from=date(2015, 1, 1))
        MembershipFactory(region=self.region, municipality=self.beek, valid_from=date(2015, 1, 1))
        self.coordinator = UserFactory(username=f"{code}-coord", municipality=self.sg, roles=[Role.COORDINATOR])
        self.beek_user = UserFactory(username=f"{code}-beek", municipality=self.beek, roles=[Role.CIVIL_SERVANT])
        self.stein_coordinator = UserFactory(
            username=f"{code}-stein-coord", municipality=self.stein, roles=[Role.COORDINATOR]
        )
        self.key = AllocationKey.objects.create(region=self.region, code="wm-kosten", name="WM-sleutel")
        self.version = KeyVersion.objects.create(key=self.key, basis=Basis.FIXED, valid_from=date(2025, 1, 1))
        for m, w in ((self.sg, 69), (self.stein, 19), (self.beek, 12)):
            KeyShare.objects.create(version=self.version, municipality=m, weight=Decimal(w))
        self.fte_key = AllocationKey.objects.create(region=self.region, code="wm-fte", name="Fte-sleutel toezicht")
        self.fte_version = KeyVersion.objects.create(key=self.fte_key, basis=Basis.FTE, valid_from=date(2025, 1, 1))
        for m, fte in ((self.sg, "2"), (self.stein, "0.55"), (self.beek, "0.35")):
            SupervisionCapacity.objects.create(region=self.region, municipality=m, year=2025, fte=Decimal(fte))
        for category in (
            "staff",
            "hired",
            "legal",
            "training",
            "pgax",
            "price_book",
            "dispute_advice",
            "annual_insight",
            "staff_bw",
        ):
            CategoryKey.objects.create(region=self.region, category=category, key=self.key)
        CategoryKey.objects.create(region=self.region, category="staff_supervision", key=self.fte_key)
        self.norms = NormYear.objects.create(
            region=self.region,
            year=2024,
            price_level_date=date(2024, 1, 1),
            productive_hours=Decimal("1345"),
            overhead_per_hour=Decimal("21.00"),
        )
        NormScale.objects.create(norm_year=self.norms, scale=8, norm=Decimal("78000"))
        NormScale.objects.create(norm_year=self.norms, scale=10, norm=Decimal("97200"))
        for code, name, hours8 in (
            ("bw-1-intramuraal", "Melding beschermd wonen intramuraal", "1"),
            ("bw-2-extramuraal", "Melding, onderzoek en advies extramuraal", "0.25"),
            ("bw-3-lopend", "Per lopende indicatie per jaar", "1"),
        ):
            activity = Activity.objects.create(region=self.region, code=code, name=name)
            hours10 = "5" if code == "bw-3-lopend" else "7"
            ActivityComponent.objects.create(
                activity=activity, function="Allround consulent", scale=10, hours=Decimal(hours10)
            )
            ActivityComponent.objects.create(
                activity=activity, function="Beheer en planning", scale=8, hours=Decimal(hours8)
            )


class BNO:
    """Brabant Noordoost-oost: Oss (centre) and nine members, CBS inhabitants 1-1-2018 (BNO annex)."""

    def __init__(self):
        self.region = RegionFactory(code="brabant-noordoost-oost", name="Brabant Noordoost-oost")
        self.m = {}
        for code, name, inhabitants in BNO_2018:
            m = MunicipalityFactory(code=code, name=name)
            self.m[name] = m
            PopulationFigureFactory(municipality=m, reference_date=date(2018, 1, 1), inhabitants=inhabitants)
            until = None if name in ("Bernheze", "Boekel", "Oss") else date(2021, 12, 31)
            MembershipFactory(
                region=self.region,
                municipality=m,
                coordinating=name == "Oss",
                valid_from=date(2020, 1, 1),
                valid_until=until,
            )
        self.lvc = MunicipalityFactory(code="GM1982", name="Land van Cuijk")
        self.maashorst = MunicipalityFactory(code="GM1991", name="Maashorst")
        for m in (self.lvc, self.maashorst):
            MembershipFactory(region=self.region, municipality=m, valid_from=date(2022, 1, 1))
        self.coordinator = UserFactory(username="oss-coord", municipality=self.m["Oss"], roles=[Role.COORDINATOR])
        self.key = AllocationKey.objects.create(region=self.region, code="bno-inwoners", name="BNO-sleutel")
