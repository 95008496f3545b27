"""A stored access fee is frozen once its bw_fee invoice line is on an issued invoice (STYLE.md rule 8; WM-DVO
annex 1: "De facturering wordt gedaan per lopende indicatie"): in the model, the queryset and the database; recomputing
leaves it as billed and says so in Dutch. A fee on a draft is still recomputed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client as HttpClient

from beschermdwonen import fees
from beschermdwonen.models import Assessment, Fee
from tests.beschermdwonen.billing_helpers import bill, invoicing_coordinator
from tests.beschermdwonen.money_builders import BWM


@pytest.fixture
def wm(db):
    wm = BWM().with_prices(2025).with_consultation_fees(2025)
    wm.coordinator = invoicing_coordinator(wm)
    bill(wm.coordinator, wm, "bw_fee", issue_to=(wm.stein,))  # Stein's invoice issued, Beek's still a draft
    wm.stein_fee = Fee.objects.unrestricted().get(municipality=wm.stein)
    wm.beek_fee = Fee.objects.unrestricted().get(municipality=wm.beek)
    return wm


def test_model_refuses_changing_or_deleting_a_billed_fee(wm):
    wm.stein_fee.amount = Decimal("1.00")
    with pytest.raises(ValidationError, match="staat op een verzonden factuur"):
        wm.stein_fee.save()
    with pytest.raises(ValidationError, match="verandert niet meer"):
        wm.stein_fee.delete()
    wm.beek_fee.quantity = Decimal("2")  # on a draft: still free
    wm.beek_fee.save()
    assert Fee.objects.unrestricted().get(pk=wm.stein_fee.pk).amount == Decimal("279.80")


def test_queryset_refuses_bulk_changes_that_touch_a_billed_fee(wm):
    every = Fee.objects.unrestricted().all()
    with pytest.raises(ValidationError, match="staat op een verzonden factuur"):
        every.update(amount=Decimal("0.01"))
    with pytest.raises(ValidationError):
        every.delete()
    assert Fee.objects.unrestricted().filter(amount=Decimal("0.01")).count() == 0
    assert Fee.objects.unrestricted().filter(pk=wm.beek_fee.pk).update(amount=Decimal("140.00")) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_a_billed_fee_whoever_writes(wm):
    with connection.cursor() as cursor:
        with pytest.raises(IntegrityError, match="verzonden factuur"), transaction.atomic():
            cursor.execute("UPDATE beschermdwonen_fee SET amount = 1 WHERE id = %s", [wm.stein_fee.pk])
        with pytest.raises(IntegrityError, match="verzonden factuur"), transaction.atomic():
            cursor.execute("DELETE FROM beschermdwonen_fee WHERE id = %s", [wm.stein_fee.pk])
        cursor.execute("UPDATE beschermdwonen_fee SET amount = amount WHERE id = %s", [wm.stein_fee.pk])  # no change
        cursor.execute("UPDATE beschermdwonen_fee SET amount = 2 WHERE id = %s", [wm.beek_fee.pk])  # a draft's
    assert Fee.objects.unrestricted().get(pk=wm.stein_fee.pk).amount == Decimal("279.80")


def test_recomputing_leaves_the_billed_fee_and_says_so(wm):
    assessment = Assessment.objects.unrestricted().get(consultation_requested_by=wm.stein)
    assessment.consultation_hours = Decimal("4")
    assessment.save()
    Assessment.objects.unrestricted().filter(consultation_requested_by=wm.beek).update(consultation_hours=3)
    stored = fees.store_fees(user=wm.team, region=wm.region, year=2025)
    assert [f.record.pk for f in stored.frozen] == [wm.stein_fee.pk]
    assert Fee.objects.unrestricted().get(pk=wm.stein_fee.pk).amount == Decimal("279.80")
    assert Fee.objects.unrestricted().get(pk=wm.beek_fee.pk).amount == Decimal("279.80")  # 3 h × 93,2677, recomputed
    message = stored.frozen_message()
    assert "1 bedrag(en) staan op een verzonden factuur en zijn niet opnieuw berekend" in message
    assert "Stein, sparringuren: gefactureerd € 279,80, nu € 373,07" in message
    page = HttpClient()
    page.force_login(wm.team)
    answer = page.post("/beschermd-wonen/vergoedingen/?regio=westelijke-mijnstreek&jaar=2025", follow=True)
    assert "staan op een verzonden factuur" in answer.content.decode()
