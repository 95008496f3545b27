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

    def with_prices(self, year=2024):
        """The norms and activity prices of WM-DVO annex 1 (prijspeil 1-1-2024), under the demo's activity codes."""
        from decimal import Decimal

        from costsharing.models import Activity, ActivityComponent, NormScale, NormYear

        norms = NormYear.objects.create(
            region=self.region,
            year=year,
            price_level_date=date(2024, 1, 1),
            productive_hours=Decimal("1345"),
            overhead_per_hour=Decimal("21.00"),
        )
        NormScale.objects.create(norm_year=norms, scale=8, norm=Decimal("78000"))
        NormScale.objects.create(norm_year=norms, scale=10, norm=Decimal("97200"))
        for code, hours10, hours8 in (
            ("bw-melding-intramuraal", "7", "1"),
            ("bw-melding-extramuraal", "7", "0.25"),
            ("bw-lopende-indicatie", "5", "1"),
        ):
            activity = Activity.objects.create(region=self.region, code=code, name=code)
            ActivityComponent.objects.create(
                activity=activity, function="Allround consulent Wmo", scale=10, hours=Decimal(hours10)
            )
            ActivityComponent.objects.create(
                activity=activity, function="Beheer en Planning", scale=8, hours=Decimal(hours8)
            )
        return self

    def client(self, reference, municipality, since=date(2020, 1, 1)):
        from beschermdwonen.models import Client, Residence

        client = Client.objects.create(region=self.region, reference=reference)
        Residence.objects.create(client=client, municipality=municipality, valid_from=since)
        return client

    def start_objective_model(self, on):
        from beschermdwonen.models import RegionSetting

        RegionSetting.objects.update_or_create(region=self.region, defaults={"objective_model_start": on})

    def with_consultation_fees(self, year=2025):
        """Stein (3 h) and Beek (1,5 h) asked for consultation on an intramural notification each; the year's fees
        stored by the access team (the bw_fee records invoicing bills)."""
        from decimal import Decimal

        from beschermdwonen import fees
        from beschermdwonen.models import Assessment, Notification

        for reference, town, hours in (("K-S", self.stein, "3"), ("K-B", self.beek, "1.5")):
            client = self.client(reference, town)
            notification = Notification.objects.create(
                client=client,
                notified_on=f"{year}-04-01",
                kind="intramural",
                municipality=town,
                notified_by="huisarts",
            )
            Assessment.objects.create(
                notification=notification, consultation_hours=Decimal(hours), consultation_requested_by=town
            )
        fees.store_fees(user=self.team, region=self.region, year=year)
        return self
