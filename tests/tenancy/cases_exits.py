"""Matrix cases of the leaver's bill and secondment (WM-SO 16.3-16.6, BNO 15.4, WM-SO 4.10): a2 (Beek) left region
A's agreement; its exit statement and its secondment are a2's and the coordinator's, not a3's nor region B's."""

from datetime import date
from decimal import Decimal

from agreements.models import Agreement, Notice, NoticeStatus, Party
from costsharing.models import ExitStatement, ExitStatementLine, ExitStatus, Secondment
from invoicing.models import Invoice
from tests.tenancy.matrix import Case


def _agreement(world):
    agreement = Agreement.objects.create(
        code="A-SO-EXIT",
        kind="samenwerkingsovereenkomst",
        title="Samenwerkingsovereenkomst regio A (uittreding)",
        region=world.a,
        coordinator=world.a1,
        effective_from=date(2025, 1, 1),
    )
    for m in (world.a1, world.a2, world.a3):
        Party.objects.create(agreement=agreement, municipality=m, left_on=date(2028, 7, 1) if m == world.a2 else None)
    return agreement


def _notice(world):
    return Notice.objects.create(
        agreement=_agreement(world),
        municipality=world.a2,
        status=NoticeStatus.EFFECTED,
        received_on=date(2028, 6, 1),
        exit_date=date(2028, 7, 1),
        explanation="Opzegging A-EXIT-7777",
    )


def _statement(world, status=ExitStatus.DRAFT):
    notice = _notice(world)
    statement = ExitStatement.objects.create(
        region=world.a,
        agreement=notice.agreement,
        notice=notice,
        municipality=world.a2,
        exit_date=notice.exit_date,
        status=ExitStatus.DRAFT,
    )
    ExitStatementLine.objects.create(
        statement=statement,
        kind="staff",
        description="Boventallig personeel A-EXIT",
        basis="grondslag A-EXIT",
        article="A-SO 16.4",
        amount=Decimal("7777.77"),
        entered=True,
    )
    if status != ExitStatus.DRAFT:
        ExitStatement.objects.filter(pk=statement.pk).update(status=status)
    return statement


def _statement_pk(world):
    return {"pk": _statement(world).pk}


def _final_pk(world):
    return {"pk": _statement(world, ExitStatus.FINAL).pk}


def _lines(world, kwargs):
    return list(ExitStatementLine.objects.unrestricted().values_list("pk", "amount").order_by("pk"))


def _statements(world, kwargs):
    return list(ExitStatement.objects.unrestricted().values_list("pk", "status").order_by("pk"))


def _invoices(world, kwargs):
    return list(Invoice.objects.unrestricted().values_list("pk", "status").order_by("pk"))


def _secondment(world):
    Secondment.objects.create(
        region=world.a,
        year=2026,
        municipality=world.a2,
        function="Gedetacheerde A-EXIT",
        fte=Decimal("0.5"),
        amount=Decimal("4242.42"),
        basis="detachering A",
    )
    return {"code": "regio-a"}


AMOUNT = {"kind": "staff", "description": "poging van buiten", "basis": "geen", "amount": "1.00"}

CASES = [
    # API
    Case(
        "api:exit-statement-list",
        lambda w: (_statement(w), {})[1],
        lambda w, kw: "A-SO-EXIT",
        kind="list",
        outsiders=(("a3", "ambtenaar"),),
    ),
    Case("api:exit-statement-detail", _statement_pk, lambda w, kw: "7777.77", outsiders=(("a3", "ambtenaar"),)),
    Case(
        "api:exit-statement-amounts",
        _statement_pk,
        lambda w, kw: "7777.77",
        writes=("POST",),
        write_payload=AMOUNT,
        snapshot=_lines,
        outsiders=(("a3", "ambtenaar"),),
    ),
    # Pages
    Case(
        "costsharing-exits",
        lambda w: (_statement(w), {})[1],
        lambda w, kw: "A-SO-EXIT",
        kind="list",
        outsiders=(("a3", "ambtenaar"),),
    ),
    Case(
        "costsharing-exit",
        _statement_pk,
        lambda w, kw: "7.777,77",
        writes=("POST",),
        write_payload={"action": "add", **AMOUNT, "amount": "1,00"},
        snapshot=_lines,
        outsiders=(("a3", "ambtenaar"),),
    ),
    Case(
        "costsharing-exit-notice",
        lambda w: {"pk": _notice(w).pk},
        lambda w, kw: "A-EXIT-7777",
        writes=("POST",),
        snapshot=_statements,
    ),
    Case("costsharing-secondments", _secondment, lambda w, kw: "Gedetacheerde A-EXIT", query="?jaar=2026"),
    Case(
        "exit-bill",
        _final_pk,
        lambda w, kw: "7.777,77",
        writes=("POST",),
        snapshot=_invoices,
        outsiders=(("a3", "ambtenaar"),),
    ),
    Case(
        "secondment-bill",
        lambda w: {"code": _secondment(w)["code"], "year": 2026},
        lambda w, kw: "Regio A 2026",
        writes=("POST",),
        snapshot=_invoices,
    ),
]
