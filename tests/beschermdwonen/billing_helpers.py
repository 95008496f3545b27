"""Issuing the drafts invoicing makes of beschermd wonen's billable records, through invoicing's own services (the
invoicing details of both parties and the members' invoicing mandate to Sittard-Geleen, SPEC §5)."""

from datetime import date

from invoicing import services
from regio.roles import Role
from tests.factories import UserFactory
from tests.invoicing.helpers import profile


def invoicing_coordinator(wm):
    """Sittard-Geleen's coordinator (who invoices for the region), with the details and mandates issuing needs."""
    from agreements.models import Agreement, Mandate

    for municipality in (wm.sg, wm.stein, wm.beek):
        profile(municipality)
    agreement = Agreement.objects.unrestricted().create(
        code="WM-SO-2025",
        kind="samenwerkingsovereenkomst",
        title="Samenwerkingsovereenkomst Westelijke Mijnstreek",
        region=wm.region,
        coordinator=wm.sg,
        effective_from=date(2025, 1, 1),
    )
    for member in (wm.stein, wm.beek):
        Mandate.objects.unrestricted().create(
            agreement=agreement,
            mandating=member,
            mandated=wm.sg,
            mandated_body="college",
            powers=["invoicing"],
            valid_from=date(2025, 1, 1),
        )
    return UserFactory(username="bwm-coordinator", municipality=wm.sg, roles=[Role.COORDINATOR])


def bill(user, wm, source_type, *, year=2025, issue_to=()):
    """Invoice a source's billable records of a year; issue the drafts of the members named in ``issue_to``."""
    invoices = services.invoice_billables(user=user, region=wm.region, source_type=source_type, year=year)
    for invoice in invoices:
        if invoice.recipient in issue_to:
            services.issue(user=user, invoice=invoice, on=date(2026, 1, 15))
    return invoices
