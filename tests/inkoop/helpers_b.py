"""Data of inkoop-b's tests (care use, the development table), built on the ``world`` fixture."""

from __future__ import annotations

from datetime import date

from inkoop.models import Provider
from inkoop.services import development
from regio.tenancy import system_actor
from tests.factories import PopulationFigureFactory

SYSTEM = system_actor("tests")


def provider(region, name="Zorg Noord BV", kvk="12345678", agb="12345678"):
    return Provider.objects.create(region=region, name=name, kvk_number=kvk, agb_code=agb)


def population(world, year=2025):
    for m, n in ((world.a1, 100000), (world.a2, 15000), (world.a3, 25000)):
        PopulationFigureFactory(municipality=m, reference_date=date(year, 1, 1), inhabitants=n)


def csv_file(*rows: str, header="client;gemeente;product;soort;aanbieder;agb;begindatum;einddatum;omvang;bedrag"):
    return ("\n".join([header, *rows]) + "\n").encode()


def table_with_proposal(world, title="Minder administratie"):
    """Region A's table with one signatory and a provisional proposal by it."""
    p = provider(world.a)
    signatory = development.sign(user=SYSTEM, region=world.a, provider=p, signed_on=date(2025, 1, 10))
    table = development.create_table(user=SYSTEM, region=world.a, theme="Administratieve lasten")
    proposal = development.submit_proposal(
        user=SYSTEM,
        table=table,
        title=title,
        summary="Eén declaratieformaat.",
        on=date(2025, 2, 1),
        signatory=signatory,
    )
    return table, signatory, proposal


def publish(proposal, *, until=date(2030, 12, 31)):
    development.table_decides(user=SYSTEM, proposal=proposal, work_out=True, on=date(2025, 3, 1))
    return development.publish_for_reactions(
        user=SYSTEM,
        proposal=proposal,
        elaboration="Uitgewerkt: iWmo 3.2 voor iedereen.",
        on=date(2025, 4, 1),
        reactions_until=until,
    )


def published_proposal_kwargs(world) -> dict:
    """A proposal open for reactions (the public API's object for the hostile-input walk)."""
    _table, _signatory, proposal = table_with_proposal(world)
    publish(proposal)
    return {"pk": proposal.pk}
