"""Frozen means frozen (issue 10, finding 3; STYLE.md rule 8): an approved or settled reckoning and its parts, lines
and items refuse every change in the model, in bulk on the queryset and, on PostgreSQL, in a trigger that allows only
forward status moves (draft → approved → settled) and no insert under a frozen reckoning. States are reached through
the services only (approve_reckoning, mark_settled).

Each test here fails on the code before this change: the status could be set back to draft (model, queryset and raw
SQL), parts, lines and items could be inserted under an approved reckoning, and ``Reckoning`` had no guards at all.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from costsharing import services
from costsharing.models import Reckoning, ReckoningItem, ReckoningLine, ReckoningPart
from tests.costsharing.test_reckoning import run, wm25  # noqa: F401 (the fixture)
from tests.factories import MunicipalityFactory


@pytest.fixture
def approved(wm25, django_capture_on_commit_callbacks):  # noqa: F811
    reckoning = run(wm25, django_capture_on_commit_callbacks)
    return services.approve_reckoning(user=wm25.coordinator, reckoning=reckoning)


def stored(reckoning) -> Reckoning:
    return Reckoning.objects.unrestricted().get(pk=reckoning.pk)


def snapshot(reckoning) -> tuple:
    """Everything an attack could change: the reckoning's figures and every derived row."""
    fresh = stored(reckoning)
    rows = [
        sorted(model.objects.unrestricted().filter(reckoning=reckoning).values_list(*fields))
        for model, fields in (
            (ReckoningPart, ("pk", "amount", "category")),
            (ReckoningLine, ("pk", "share", "advances", "difference")),
            (ReckoningItem, ("pk", "amount", "part_id")),
        )
    ]
    return (fresh.status, fresh.total, fresh.inputs_hash, fresh.approved_by_id, *rows)


# --- Model guards ------------------------------------------------------------------------------------------------


def test_finding_3_an_approved_reckoning_never_goes_back_to_draft_in_the_model(approved, wm25):  # noqa: F811
    before = snapshot(approved)
    approved.status = Reckoning.Status.DRAFT
    with pytest.raises(ValidationError, match="alleen vooruit"):
        approved.save()
    fresh = Reckoning.objects.unrestricted().get(pk=approved.pk)
    fresh.status = Reckoning.Status.DRAFT
    with pytest.raises(ValidationError, match="alleen vooruit"):
        fresh.save(update_fields=["status"])
    settled = services.mark_settled(user=wm25.coordinator, reckoning=approved)
    settled.status = Reckoning.Status.APPROVED
    with pytest.raises(ValidationError, match="alleen vooruit"):
        settled.save()
    assert snapshot(approved)[1:] == before[1:] and stored(approved).status == "settled"


def test_a_stale_draft_instance_cannot_write_over_the_approved_row(wm25, django_capture_on_commit_callbacks):  # noqa: F811
    """The guard reads the stored status, not the one the instance was loaded with."""
    draft = run(wm25, django_capture_on_commit_callbacks)
    stale = Reckoning.objects.unrestricted().get(pk=draft.pk)
    services.approve_reckoning(user=wm25.coordinator, reckoning=draft)
    stale.total = Decimal("0.00")
    with pytest.raises(ValidationError, match="alleen vooruit"):
        stale.save()
    with pytest.raises(ValidationError, match="niet verwijderd"):
        stale.delete()
    assert stored(draft).status == "approved" and stored(draft).total == draft.total


def test_finding_3_an_approved_reckoning_keeps_its_figures_and_is_never_deleted(approved):
    before = snapshot(approved)
    for field, value in (("total", Decimal("0.00")), ("inputs_hash", "x"), ("year", 2024), ("approved_by", None)):
        fresh = stored(approved)
        setattr(fresh, field, value)
        with pytest.raises(ValidationError, match="verandert niet"):
            fresh.save()
    with pytest.raises(ValidationError, match="niet verwijderd"):
        stored(approved).delete()
    assert snapshot(approved) == before


def test_a_draft_cannot_skip_approval_or_be_born_approved(wm25, django_capture_on_commit_callbacks):  # noqa: F811
    draft = run(wm25, django_capture_on_commit_callbacks)
    draft.status = Reckoning.Status.SETTLED
    with pytest.raises(ValidationError, match="alleen vooruit"):
        draft.save()
    with pytest.raises(ValidationError, match="alleen vooruit"):
        Reckoning.objects.create(region=wm25.region, year=2026, status=Reckoning.Status.APPROVED)
    with pytest.raises(ValidationError, match="alleen vooruit"):
        Reckoning.objects.bulk_create([Reckoning(region=wm25.region, year=2026, status=Reckoning.Status.SETTLED)])
    assert stored(draft).status == "draft" and Reckoning.objects.unrestricted().count() == 1


def test_finding_3_no_part_line_or_item_is_added_under_an_approved_reckoning(approved, wm25):  # noqa: F811
    before = snapshot(approved)
    part = ReckoningPart.objects.unrestricted().filter(reckoning=approved).first()
    newcomer = MunicipalityFactory(code="GM9999", name="Nieuwkomer")
    line = ReckoningLine(
        reckoning=approved, municipality=newcomer, share=Decimal("1"), advances=Decimal("0"), difference=Decimal("1")
    )
    with pytest.raises(ValidationError, match="verandert niet"):
        line.save()
    with pytest.raises(ValidationError, match="verandert niet"):
        ReckoningLine.objects.bulk_create([line])
    copy = ReckoningPart.objects.unrestricted().get(pk=part.pk)
    copy.pk = None
    copy._state.adding = True
    with pytest.raises(ValidationError, match="verandert niet"):
        copy.save()
    with pytest.raises(ValidationError, match="verandert niet"):
        ReckoningItem(
            reckoning=approved, part=part, municipality=newcomer, weight=Decimal("1"), amount=Decimal("1")
        ).save()
    # Under a new draft version, but hanging from a part of the approved one: refused too.
    draft = Reckoning.objects.create(region=wm25.region, year=2025, version=2, previous=approved)
    stray = ReckoningItem(reckoning=draft, part=part, municipality=newcomer, weight=Decimal("1"), amount=Decimal("1"))
    with pytest.raises(ValidationError, match="verandert niet"):
        stray.save()
    with pytest.raises(ValidationError, match="verandert niet"):
        ReckoningItem.objects.bulk_create([stray])
    # Nor is a draft's item moved under a part of the approved one.
    draft_part = ReckoningPart.objects.unrestricted().create(
        reckoning=draft, category=part.category, key_version=part.key_version, amount=Decimal("1")
    )
    own = ReckoningItem.objects.unrestricted().create(
        reckoning=draft, part=draft_part, municipality=newcomer, weight=Decimal("1"), amount=Decimal("1")
    )
    with pytest.raises(ValidationError, match="verandert niet"):
        ReckoningItem.objects.unrestricted().filter(pk=own.pk).update(part=part)
    assert snapshot(approved) == before


def test_finding_3_parts_lines_and_items_of_an_approved_reckoning_do_not_change_or_move(approved, wm25):  # noqa: F811
    before = snapshot(approved)
    line = ReckoningLine.objects.unrestricted().filter(reckoning=approved).first()
    line.share = Decimal("0.00")
    with pytest.raises(ValidationError):
        line.save()
    for model in (ReckoningPart, ReckoningLine, ReckoningItem):
        row = model.objects.unrestricted().filter(reckoning=approved).first()
        with pytest.raises(ValidationError):
            row.delete()
        with pytest.raises(ValidationError):
            model.objects.unrestricted().filter(pk=row.pk).delete()
        with pytest.raises(ValidationError):
            model.objects.unrestricted().filter(pk=row.pk).update(reckoning=approved)
    # A line of a draft may not be moved under the approved reckoning.
    draft = Reckoning.objects.create(region=wm25.region, year=2024)
    loose = ReckoningLine.objects.unrestricted().create(
        reckoning=draft, municipality=wm25.beek, share=Decimal("1"), advances=Decimal("0"), difference=Decimal("1")
    )
    with pytest.raises(ValidationError):
        ReckoningLine.objects.unrestricted().filter(pk=loose.pk).update(reckoning=approved)
    loose.reckoning = approved
    with pytest.raises(ValidationError):
        loose.save()
    assert snapshot(approved) == before


# --- Queryset guards ---------------------------------------------------------------------------------------------


def test_finding_3_bulk_update_and_delete_of_reckonings_are_refused(approved, wm25):  # noqa: F811
    before = snapshot(approved)
    queryset = Reckoning.objects.unrestricted().filter(pk=approved.pk)
    with pytest.raises(ValidationError, match="alleen vooruit"):
        queryset.update(status=Reckoning.Status.DRAFT)
    with pytest.raises(ValidationError, match="verandert niet"):
        queryset.update(total=Decimal("0.00"))
    with pytest.raises(ValidationError, match="niet verwijderd"):
        Reckoning.objects.unrestricted().filter(region=wm25.region).delete()
    approved.total = Decimal("0.00")
    with pytest.raises(ValidationError, match="verandert niet"), transaction.atomic():  # bulk_update has no savepoint
        Reckoning.objects.unrestricted().bulk_update([approved], ["total"])
    # Nobody sets a status in bulk, not even on a draft (STYLE.md rule 3: the services make the moves).
    draft = Reckoning.objects.create(region=wm25.region, year=2024)
    with pytest.raises(ValidationError, match="alleen vooruit"):
        Reckoning.objects.unrestricted().filter(pk=draft.pk).update(status=Reckoning.Status.APPROVED)
    assert snapshot(approved) == before and stored(draft).status == "draft"
    # What may move: the run marks of a re-run, and a draft's figures.
    assert queryset.update(progress=100, run_state="done", error="") == 1
    Reckoning.objects.unrestricted().filter(pk=draft.pk).update(total=Decimal("5.00"))
    Reckoning.objects.unrestricted().filter(pk=draft.pk).delete()


def test_a_draft_stays_a_draft_to_recompute(wm25, django_capture_on_commit_callbacks):  # noqa: F811
    draft = run(wm25, django_capture_on_commit_callbacks)
    line = ReckoningLine.objects.unrestricted().filter(reckoning=draft).first()
    line.share += Decimal("1.00")
    line.save()
    ReckoningItem.objects.unrestricted().filter(reckoning=draft).update(amount=Decimal("0.00"))
    # A re-run replaces the derived rows of a draft wholesale.
    again = run(wm25, django_capture_on_commit_callbacks)
    assert again.pk == draft.pk and again.run_state == "done"
    assert ReckoningItem.objects.unrestricted().filter(reckoning=draft).exclude(amount=0).exists()


# --- The PostgreSQL trigger, past the ORM ------------------------------------------------------------------------


def refused(sql: str, params, match: str) -> None:
    with pytest.raises(IntegrityError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
def test_finding_3_raw_sql_cannot_set_an_approved_reckoning_back_to_draft(approved, wm25):  # noqa: F811
    before = snapshot(approved)
    refused("UPDATE costsharing_reckoning SET status = 'draft' WHERE id = %s", [approved.pk], "alleen vooruit")
    # The attack of finding 3 in one statement: back to draft and a new total at once.
    refused(
        "UPDATE costsharing_reckoning SET status = 'draft', total = 1 WHERE id = %s", [approved.pk], "alleen vooruit"
    )
    for sql in (
        "UPDATE costsharing_reckoning SET approved_by_id = NULL WHERE id = %s",
        "UPDATE costsharing_reckoning SET approved_at = now() - interval '1 day' WHERE id = %s",
        "UPDATE costsharing_reckoning SET previous_id = id WHERE id = %s",
        "UPDATE costsharing_reckoning SET inputs = '{}' WHERE id = %s",
    ):
        refused(sql, [approved.pk], "verandert niet")
    refused("DELETE FROM costsharing_reckoning WHERE id = %s", [approved.pk], "niet verwijderd")
    assert snapshot(approved) == before
    # Forward still works past the ORM: approved → settled, and then never back.
    services.mark_settled(user=wm25.coordinator, reckoning=approved)
    refused("UPDATE costsharing_reckoning SET status = 'approved' WHERE id = %s", [approved.pk], "alleen vooruit")
    refused("UPDATE costsharing_reckoning SET status = 'draft' WHERE id = %s", [approved.pk], "alleen vooruit")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE costsharing_reckoning SET progress = 100, error = '' WHERE id = %s", [approved.pk])
    assert stored(approved).status == "settled"


@pytest.mark.postgres
def test_raw_sql_cannot_skip_approval_or_insert_an_approved_reckoning(wm25, django_capture_on_commit_callbacks):  # noqa: F811
    draft = run(wm25, django_capture_on_commit_callbacks)
    refused("UPDATE costsharing_reckoning SET status = 'settled' WHERE id = %s", [draft.pk], "alleen vooruit")
    refused(
        "INSERT INTO costsharing_reckoning (region_id, year, version, status, total, inputs_hash, inputs, run_state, "
        "progress, error) VALUES (%s, 2026, 1, 'approved', 0, '', '{}', 'done', 100, '')",
        [wm25.region.pk],
        "begint als concept",
    )
    assert stored(draft).status == "draft" and Reckoning.objects.unrestricted().count() == 1


@pytest.mark.postgres
def test_finding_3_raw_sql_cannot_insert_change_or_delete_children_of_an_approved_reckoning(approved, wm25):  # noqa: F811
    before = snapshot(approved)
    pk = approved.pk
    for sql in (
        # INSERT under the approved reckoning (a copy of an existing row: the trigger refuses before any constraint).
        "INSERT INTO costsharing_reckoningpart (reckoning_id, category, key_version_id, norm_year_id, amount, "
        "line_count, lines_total, cost_line_ids, weights, explanation) SELECT reckoning_id, category, key_version_id, "
        "norm_year_id, amount + 1, line_count, lines_total, cost_line_ids, weights, explanation "
        "FROM costsharing_reckoningpart WHERE reckoning_id = %(pk)s LIMIT 1",
        "INSERT INTO costsharing_reckoningline (reckoning_id, municipality_id, share, advances, difference) "
        "SELECT reckoning_id, municipality_id, share + 1, advances, difference + 1 "
        "FROM costsharing_reckoningline WHERE reckoning_id = %(pk)s LIMIT 1",
        "INSERT INTO costsharing_reckoningitem (reckoning_id, part_id, municipality_id, weight, amount) "
        "SELECT reckoning_id, part_id, municipality_id, weight, amount + 1 "
        "FROM costsharing_reckoningitem WHERE reckoning_id = %(pk)s LIMIT 1",
        # UPDATE and DELETE of each child.
        "UPDATE costsharing_reckoningpart SET amount = 0 WHERE reckoning_id = %(pk)s",
        "UPDATE costsharing_reckoningline SET share = 0 WHERE reckoning_id = %(pk)s",
        "UPDATE costsharing_reckoningitem SET amount = 0 WHERE reckoning_id = %(pk)s",
        "DELETE FROM costsharing_reckoningpart WHERE reckoning_id = %(pk)s",
        "DELETE FROM costsharing_reckoningline WHERE reckoning_id = %(pk)s",
        "DELETE FROM costsharing_reckoningitem WHERE reckoning_id = %(pk)s",
    ):
        refused(sql, {"pk": pk}, "vastgestelde afrekening verandert niet")
    # Moving a draft's rows under the approved reckoning, or hanging an item of a draft from an approved part.
    draft = Reckoning.objects.create(region=wm25.region, year=2025, version=2, previous=approved)
    line = ReckoningLine.objects.unrestricted().create(
        reckoning=draft, municipality=wm25.beek, share=Decimal("1"), advances=Decimal("0"), difference=Decimal("1")
    )
    refused(
        "UPDATE costsharing_reckoningline SET reckoning_id = %s WHERE id = %s",
        [pk, line.pk],
        "vastgestelde afrekening verandert niet",
    )
    refused(
        "INSERT INTO costsharing_reckoningitem (reckoning_id, part_id, municipality_id, weight, amount) "
        "SELECT %s, id, %s, 1, 1 FROM costsharing_reckoningpart WHERE reckoning_id = %s LIMIT 1",
        [draft.pk, wm25.beek.pk, pk],
        "vastgestelde afrekening verandert niet",
    )
    assert snapshot(approved) == before
    # The draft's own rows stay free to change in raw SQL.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE costsharing_reckoningline SET share = 2 WHERE id = %s", [line.pk])
        cursor.execute("DELETE FROM costsharing_reckoningline WHERE id = %s", [line.pk])
