"""Matrix cases of the dashboards (issue 18): the page, its PDF and its JSON show a member only its own figures.

The marker is the number of an invoice region A's coordinator issued to a2: a2's civil servant sees it among the
invoices to pay, a3 (another member of region A) and region B's coordinator see their own dashboards without it."""

from tests.invoicing.helpers import issued
from tests.tenancy.matrix import Case

SUBJECT = "Bijdrage Wmo 2026 (dashboard)"


def _invoice_to_a2(world):
    issued(world, subject=SUBJECT)
    return {}


def _number(world, kwargs):
    return "2025-0001"


A3 = (("a3", "ambtenaar"),)

CASES = [
    Case("dashboard", _invoice_to_a2, _number, kind="list", query="?voor=gemeente", outsiders=A3),
    Case("dashboard-pdf", _invoice_to_a2, _number, kind="list", query="?voor=gemeente", outsiders=A3),
    Case("api:dashboard-list", _invoice_to_a2, _number, kind="list", query="?audience=gemeente", outsiders=A3),
]
