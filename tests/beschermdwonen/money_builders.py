"""The Westelijke Mijnstreek for the money tests of beschermd wonen: three members, the access team of
Sittard-Geleen, a member's bw staff (Stein) and a supervisor."""

from datetime import date

from regio.roles import Role
from tests.factories import MembershipFactory, MunicipalityFactory, RegionFactory, UserFactory


class BWM:
    def __init__(self):
        self.region = RegionFactory(code="westelijke-mijnstreek", name="Westelijke Mijnstreek")
        self.sg = MunicipalityFactory(code="GM1883", name="Sittard-Geleen")
        self.stein = MunicipalityFactory(code="GM0971", name="Stein")
        self.beek = MunicipalityFactory(code="GM0888", name="Beek")
        MembershipFactory(region=self.region, municipality=self.sg, coordinating=True, valid_from=date(2015, 1, 1))
        MembershipFactory(region=self.region, municipality=self.stein, valid_from=date(2015, 1, 1))
        MembershipFactory(region=self.region, municipality=self.beek, valid_from=date(2015, 1, 1))
        self.team = UserFactory(username="bwm-toegang", municipality=self.sg, roles=[Role.PROTECTED_HOUSING])
        self.stein_bw = UserFactory(username="bwm-stein", municipality=self.stein, roles=[Role.PROTECTED_HOUSING])
        self.beek_civil = UserFactory(username="bwm-beek", municipality=self.beek, roles=[Role.CIVIL_SERVANT])
        self.supervisor = UserFactory(username="bwm-toezicht", municipality=self.sg, roles=[Role.SUPERVISOR])
