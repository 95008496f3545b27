"""Frozen means frozen for invoices and settled statements (issue 10; STYLE.md rule 8), on PostgreSQL.

* Invoices (replaces the function of migration 0003): an invoice is inserted as a draft only, and its status moves
  only as the model's ``NEXT_STATUS`` says: draft → issued → (partly) paid or (partly) paid out, never back to draft
  or to issued; the one way back, paid → partly paid, is collection costs recorded after the last payment. The
  figures of an issued invoice stay as 0003 guards them; its lines keep their guard of 0003.
* A settled statement: a bank statement is settled once its import commits. Its record is never updated or deleted,
  and no entry is inserted under it by a later transaction (the statement row must have been written by the current
  one); an entry's bank data never change, its status moves once from unmatched/ambiguous to matched, resolved or
  ignored, and after that nothing changes; entries are never deleted.
* Payments and payouts (what a statement or a person booked) are never updated or deleted.

The model and queryset guards in ``invoicing/models.py`` say the same for the ORM (and are the only ones
on SQLite, the embedded demo). Errors use SQLSTATE 23001 (restrict_violation), so Django raises IntegrityError.
"""

import importlib

from django.db import migrations

INVOICE_MUTABLE = "ARRAY['status', 'overdue_on', 'reminded_on', 'reminder_due_on', 'interest_claimed_on', 'updated_at']"
LINE_MUTABLE = "ARRAY['status', 'candidates', 'note']"

CREATE = f"""
CREATE OR REPLACE FUNCTION invoicing_invoice_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'Een factuur begint als concept en wordt genummerd bij verzenden.' USING ERRCODE = '23001';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'Factuur % is verzonden en kan niet worden verwijderd; maak een creditfactuur.', OLD.number
                USING ERRCODE = '23001';
        END IF;
        RETURN OLD;
    END IF;
    IF NOT (NEW.status = OLD.status
            OR (OLD.status = 'draft' AND NEW.status = 'issued')
            OR (OLD.status = 'issued' AND NEW.status IN ('partly_paid', 'paid', 'partly_paid_out', 'paid_out'))
            OR (OLD.status = 'partly_paid' AND NEW.status = 'paid')
            OR (OLD.status = 'paid' AND NEW.status = 'partly_paid')
            OR (OLD.status = 'partly_paid_out' AND NEW.status = 'paid_out')) THEN
        RAISE EXCEPTION 'Factuur % is verzonden en verandert niet meer (status % naar %); maak een creditfactuur.',
            OLD.number, OLD.status, NEW.status USING ERRCODE = '23001';
    END IF;
    IF OLD.status <> 'draft'
       AND (to_jsonb(NEW) - {INVOICE_MUTABLE}) IS DISTINCT FROM (to_jsonb(OLD) - {INVOICE_MUTABLE}) THEN
        RAISE EXCEPTION 'Factuur % is verzonden en verandert niet meer; maak een creditfactuur.', OLD.number
            USING ERRCODE = '23001';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS invoicing_invoice_immutable ON invoicing_invoice;
CREATE TRIGGER invoicing_invoice_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON invoicing_invoice
    FOR EACH ROW EXECUTE FUNCTION invoicing_invoice_guard();

-- Whether a row version was written by the current transaction (or one of its subtransactions): its xmin is still
-- "in progress", and a row another transaction has not committed is not visible here. xmin carries no epoch: take
-- the current one, or the previous one when that would put it more than half the id space ahead.
CREATE OR REPLACE FUNCTION invoicing_written_by_this_transaction(row_xmin xid) RETURNS boolean AS $$
DECLARE
    current_xid bigint := pg_current_xact_id()::text::bigint;
    full_xid bigint := ((current_xid >> 32) << 32) | row_xmin::text::bigint;
BEGIN
    IF full_xid > current_xid + 2147483648 THEN
        full_xid := full_xid - 4294967296;
    END IF;
    IF full_xid < 3 THEN
        RETURN false;  -- bootstrap or frozen: committed long ago
    END IF;
    RETURN coalesce(pg_xact_status(full_xid::text::xid8) = 'in progress', false);
END;
$$ LANGUAGE plpgsql VOLATILE;

CREATE OR REPLACE FUNCTION invoicing_statement_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Een ingelezen bankafschrift verandert niet en wordt niet verwijderd (afschrift %).', OLD.id
        USING ERRCODE = '23001';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS invoicing_bankstatement_settled ON invoicing_bankstatement;
CREATE TRIGGER invoicing_bankstatement_settled
    BEFORE UPDATE OR DELETE ON invoicing_bankstatement
    FOR EACH ROW EXECUTE FUNCTION invoicing_statement_guard();

CREATE OR REPLACE FUNCTION invoicing_statementline_guard() RETURNS trigger AS $$
DECLARE
    statement_xmin xid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'Een ingelezen bankafschrift verandert niet en wordt niet verwijderd (regel %).', OLD.id
            USING ERRCODE = '23001';
    END IF;
    IF TG_OP = 'INSERT' THEN
        SELECT xmin INTO statement_xmin FROM invoicing_bankstatement WHERE id = NEW.statement_id;
        IF statement_xmin IS NOT NULL AND NOT invoicing_written_by_this_transaction(statement_xmin) THEN
            RAISE EXCEPTION 'Afschrift % is al ingelezen: er komen geen regels meer bij.', NEW.statement_id
                USING ERRCODE = '23001';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW IS DISTINCT FROM OLD AND (
        OLD.status IN ('matched', 'resolved', 'ignored')
        OR (to_jsonb(NEW) - {LINE_MUTABLE}) IS DISTINCT FROM (to_jsonb(OLD) - {LINE_MUTABLE})
    ) THEN
        RAISE EXCEPTION 'Een verwerkte afschriftregel verandert niet meer; de gegevens van de bank veranderen nooit '
            '(regel %).', OLD.id USING ERRCODE = '23001';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS invoicing_bankstatementline_settled ON invoicing_bankstatementline;
CREATE TRIGGER invoicing_bankstatementline_settled
    BEFORE INSERT OR UPDATE OR DELETE ON invoicing_bankstatementline
    FOR EACH ROW EXECUTE FUNCTION invoicing_statementline_guard();

CREATE OR REPLACE FUNCTION invoicing_booking_guard() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Een geboekte betaling of uitbetaling verandert niet en wordt niet verwijderd (% %).',
        TG_TABLE_NAME, OLD.id USING ERRCODE = '23001';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS invoicing_payment_booked ON invoicing_payment;
CREATE TRIGGER invoicing_payment_booked
    BEFORE UPDATE OR DELETE ON invoicing_payment
    FOR EACH ROW EXECUTE FUNCTION invoicing_booking_guard();

DROP TRIGGER IF EXISTS invoicing_payout_booked ON invoicing_payout;
CREATE TRIGGER invoicing_payout_booked
    BEFORE UPDATE OR DELETE ON invoicing_payout
    FOR EACH ROW EXECUTE FUNCTION invoicing_booking_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS invoicing_payout_booked ON invoicing_payout;
DROP TRIGGER IF EXISTS invoicing_payment_booked ON invoicing_payment;
DROP FUNCTION IF EXISTS invoicing_booking_guard();
DROP TRIGGER IF EXISTS invoicing_bankstatementline_settled ON invoicing_bankstatementline;
DROP FUNCTION IF EXISTS invoicing_statementline_guard();
DROP TRIGGER IF EXISTS invoicing_bankstatement_settled ON invoicing_bankstatement;
DROP FUNCTION IF EXISTS invoicing_statement_guard();
DROP FUNCTION IF EXISTS invoicing_written_by_this_transaction(xid);
DROP TRIGGER IF EXISTS invoicing_invoiceline_immutable ON invoicing_invoiceline;
DROP FUNCTION IF EXISTS invoicing_invoiceline_guard();
DROP TRIGGER IF EXISTS invoicing_invoice_immutable ON invoicing_invoice;
DROP FUNCTION IF EXISTS invoicing_invoice_guard();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    """Back to the guards of 0003 (invoices and their lines only)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)
        previous = importlib.import_module("invoicing.migrations.0003_immutable_issued_invoices_trigger")
        schema_editor.execute(previous.CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0007_credit_note_constraints")]

    operations = [migrations.RunPython(create, drop)]
